import type { Scenario } from '../src/scenario.ts';

// Scenario 3 of the original PoC: QA's load test, a heavy ramp on the qa environment from
// 10 req/s up to 400 req/s at the half-way mark and back down, with CI-style thresholds
// that set the exit code (99 when one fails).
export default {
  description: 'heavy ramp on qa: 10 -> 400 -> 10 req/s over 10 min, with pass/fail thresholds',
  pattern: 'ramp',
  rate: 400,
  duration: '10m',
  params: { rampFrom: 10 },
  env: ['qa'],
  thresholds: ['p95<500ms', 'errors<2%', 'dropped<1%'],
} satisfies Scenario;
