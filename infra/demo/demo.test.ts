import { describe, expect, it } from 'vitest';
import { INCIDENT_ALERTS, runDemo, type Timeline } from './timeline.ts';

// The demo of docs/demo-script.md against the real platform, on a compressed clock (short
// intervals, `for:` and burn windows; a shorter scenario): a change that breaks the story the
// script tells fails here. The script's own figures come from `npm run demo:timeline`.

describe('the demo tells its story', () => {
  let timeline: Timeline;

  it(
    'runs: normal traffic, production-incident, recovery, qa-load-test',
    { timeout: 600_000 },
    async () => {
      timeline = await runDemo({
        compressed: true,
        log: (line) => process.stderr.write(`demo: ${line}\n`),
      });
    },
  );

  it('under normal traffic only the Watchdog fires', () => {
    expect(timeline.beforeIncident).toEqual(['Watchdog']);
  });

  it('the incident fires the error, latency and both SLO pages, on prod only', () => {
    const fired = Object.entries(timeline.alerts)
      .filter(([, a]) => a.firing !== undefined)
      .map(([key]) => key);
    expect(fired.sort()).toEqual(INCIDENT_ALERTS.map((a) => `${a} acme-prod-01`).sort());
    for (const a of Object.values(timeline.alerts)) {
      expect(a.firing!).toBeLessThan(timeline.cleared);
      expect(a.notified, 'the receiver heard of it').toBeDefined();
    }
  });

  it('clearing the faults resolves every one, and the receiver gets the resolved notices', () => {
    for (const [key, a] of Object.entries(timeline.alerts)) {
      expect(a.resolved, key).toBeGreaterThan(timeline.cleared);
      expect(a.notifiedResolved, key).toBeGreaterThanOrEqual(a.resolved!);
    }
  });

  it("qa-load-test's thresholds pass on a healthy stack and fail (exit 99) with a fault on qa", () => {
    expect(timeline.qaLoadTest).toEqual({ healthy: 0, faulted: 99 });
  });
});
