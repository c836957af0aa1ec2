import type { Scenario } from '../src/scenario.ts';

// Scenario 1 of the original PoC: everyday traffic on every environment of the stack, so
// the dashboard has healthy, realistic series to show. A small share of invalid requests
// keeps the 4xx panels alive; the thresholds say what "healthy" means here.
export default {
  description: 'steady everyday traffic on all environments (20 req/s, 5 min, 1% invalid)',
  pattern: 'steady',
  rate: 20,
  duration: '5m',
  invalid: 0.01,
  thresholds: ['errors<1%', 'p95<500ms', 'dropped==0'],
} satisfies Scenario;
