import type { Fault } from '@outpost/outputs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { combine, DEFAULT_SETTINGS } from './options.ts';
import { faultTimes, listScenarios, loadScenario, scenarioSettings } from './scenario.ts';
import { buildCurve } from './schedule/patterns.ts';
import { FaultPlan, type FaultBody } from './faults.ts';
import { startFakeApi } from './testing/fake-api.ts';

describe('scenarios', () => {
  it('lists the three scenarios of the original PoC with descriptions', async () => {
    const list = await listScenarios();
    expect(list.map((s) => s.name)).toEqual([
      'normal-operations',
      'production-incident',
      'qa-load-test',
    ]);
    for (const s of list) expect(s.description.length).toBeGreaterThan(20);
  });

  it('every scenario turns into valid settings and a curve', async () => {
    for (const { name } of await listScenarios()) {
      const loaded = await loadScenario(name, DEFAULT_SETTINGS);
      const curve = buildCurve(
        loaded.settings.pattern,
        loaded.settings.rate,
        loaded.settings.duration,
        loaded.settings.params,
      );
      expect(curve.total, name).toBeGreaterThan(0);
    }
  });

  it('production incident: a spike on prod with faults at the spike', async () => {
    const { settings, faults } = await loadScenario('production-incident', DEFAULT_SETTINGS);
    expect(settings.filters.envs).toEqual(['prod']);
    expect(settings.pattern).toBe('spike');
    expect(faults).toEqual([
      { env: 'prod', at: 'spike-start', fault: { errorRate: 0.2, latencyMs: 1500 } },
    ]);
    expect(settings.params.spikeAt).toBe(60);
    expect(faultTimes(faults, settings)[0]?.atS).toBe(60);
    // The fault follows the spike when a flag moves it.
    const moved = combine(settings, undefined, { params: { spikeAt: 5 } });
    expect(faultTimes(faults, moved)[0]?.atS).toBe(5);
  });

  it('an unknown name lists the known ones; a bad field names the file and the field', async () => {
    await expect(loadScenario('nope', DEFAULT_SETTINGS)).rejects.toThrow(
      /unknown scenario 'nope'; accepted: normal-operations, production-incident, qa-load-test/,
    );
    expect(() =>
      scenarioSettings(
        'x',
        { description: 'd', pattern: 'steady', rate: 1, duration: 'ten minutes' },
        DEFAULT_SETTINGS,
      ),
    ).toThrow(/scenarios\/x\.ts: duration: 'ten minutes' is not a duration/);
  });
});

describe('fault plan', () => {
  it("sends the contract's fault fields (checked by tsc): a new field reaches scenarios", () => {
    expectTypeOf<keyof FaultBody>().toEqualTypeOf<keyof Fault>();
    expectTypeOf<FaultBody['route']>().toEqualTypeOf<string | undefined>();
    const body: FaultBody = { errorRate: 0.2, latencyMs: 300, route: '/api/orders' };
    expect(body).toBeTruthy();
  });

  it('injects at its time with the bearer token and clears what it touched', async () => {
    const api = await startFakeApi({ adminToken: 'tok' });
    try {
      const logs: string[] = [];
      const plan = new FaultPlan(
        [{ env: 'prod', atS: 0.05, fault: { errorRate: 0.5, route: '/api/orders' } }],
        [{ name: 'p', url: api.url, environment: 'prod', adminToken: 'tok' }],
        (l) => logs.push(l),
      );
      plan.start();
      await new Promise((r) => setTimeout(r, 300));
      await plan.clear();
      expect(api.faults.put).toEqual([{ errorRate: 0.5, route: '/api/orders' }]);
      expect(api.faults.deleted).toBe(1);
      expect(logs.join('\n')).toMatch(/fault injected on p[\s\S]*faults cleared on p/);
    } finally {
      await api.close();
    }
  });

  it('refuses to start without a plane of that environment or without its token', () => {
    expect(
      () =>
        new FaultPlan(
          [{ env: 'prod', atS: 1, fault: {} }],
          [{ name: 'q', url: 'http://x', environment: 'qa' }],
          () => {},
        ),
    ).toThrow(/injects faults into 'prod', but no targeted data plane/);
    expect(
      () =>
        new FaultPlan(
          [{ env: 'prod', atS: 1, fault: {} }],
          [{ name: 'p', url: 'http://x', environment: 'prod', adminToken: null }],
          () => {},
        ),
    ).toThrow(/need the adminToken of p/);
  });
});
