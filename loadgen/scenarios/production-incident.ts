import type { Scenario } from '../src/scenario.ts';

// Scenario 2 of the original PoC: a bad deploy on prod. At 60 s the rate jumps five-fold for
// four minutes, and as it does the prod APIs are told (PUT /admin/faults, with the adminToken
// from the stack outputs) to fail 20 % of requests and add 1.5 s to each: past the error-ratio
// threshold (5 %), the p95 latency threshold (1 s) and both SLOs' fast-burn rates, so
// HighErrorRatio, HighLatencyP95 and the SLO pages fire on prod only (docs/demo-script.md has
// the minutes). The fault follows the spike: `--spike-at 20s` moves both. The faults are
// cleared (DELETE /admin/faults) when the run ends, also on Ctrl-C, and the alerts resolve.
// No thresholds: this scenario is meant to hurt.
export default {
  description:
    'prod spike x5 at 60s for 4 min, with 20% errors and +1.5 s injected on prod until the end (6 min)',
  pattern: 'spike',
  rate: 20,
  duration: '6m',
  params: { spikeAt: '60s', spikeFor: '4m', spikeX: 5 },
  env: ['prod'],
  faults: [{ env: 'prod', at: 'spike-start', fault: { errorRate: 0.2, latencyMs: 1500 } }],
} satisfies Scenario;
