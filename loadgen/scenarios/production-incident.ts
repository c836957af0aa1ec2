import type { Scenario } from '../src/scenario.ts';

// Scenario 2 of the original PoC: a traffic spike on prod that coincides with a fault. At
// 60 s the rate jumps five-fold for two minutes, and as it does the prod APIs are told (PUT
// /admin/faults, with the adminToken from the stack outputs) to fail 20% of requests and
// add 300 ms, so the error-rate, latency and SLO burn-rate alerts fire. The fault follows
// the spike: `--spike-at 20s` moves both. The faults are
// cleared (DELETE /admin/faults) when the run ends, also on Ctrl-C. No thresholds: this
// scenario is meant to hurt.
export default {
  description:
    'prod spike x5 at 60s for 2 min, with 20% errors and +300 ms injected on prod (5 min)',
  pattern: 'spike',
  rate: 20,
  duration: '5m',
  params: { spikeAt: '60s', spikeFor: '2m', spikeX: 5 },
  env: ['prod'],
  faults: [{ env: 'prod', at: 'spike-start', fault: { errorRate: 0.2, latencyMs: 300 } }],
} satisfies Scenario;
