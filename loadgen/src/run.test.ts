import { afterEach, describe, expect, it } from 'vitest';
import { startControlServer } from './control/server.ts';
import { DEFAULT_MIX } from './issue/routes.ts';
import { Run, type RunConfig, type RunStatus } from './run.ts';
import { buildCurve } from './schedule/patterns.ts';
import { Schedule } from './schedule/schedule.ts';
import { closedPort, startFakeApi, type FakeApi } from './testing/fake-api.ts';

let api: FakeApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

function config(url: string, overrides: Partial<RunConfig>): RunConfig {
  return {
    schedule: new Schedule(buildCurve('steady', 100, 1)),
    targets: [{ name: 'test', url }],
    mix: DEFAULT_MIX,
    invalidShare: 0,
    seed: 7,
    connections: 4,
    maxInFlight: 1000,
    timeoutMs: 5000,
    spikeX: 5,
    spikeForS: 10,
    intervalMs: 200,
    log: () => {},
    ...overrides,
  };
}

describe('a run against a server that stalls', () => {
  it('the corrected p99 shows a 500 ms stall; the uncorrected p99 does not', async () => {
    // One connection: while the server holds one request for 500 ms, the sends due meanwhile
    // wait in the pool's queue. A closed-loop view (uncorrected) sees one slow request; the
    // users who arrived on schedule (corrected) waited up to the whole stall.
    api = await startFakeApi({ stallFromMs: 800, stallForMs: 500 });
    const run = new Run(
      config(api.url, {
        schedule: new Schedule(buildCurve('steady', 200, 2.5)),
        connections: 1,
        mix: { browse: 0, search: 0, order: 0, pay: 0, report: 1 },
      }),
    );
    const result = await run.start();
    const { corrected, uncorrected } = result.total.latency;
    if (process.env.LOADGEN_TEST_VERBOSE) console.log(corrected, uncorrected);
    expect(result.total.scheduled).toBe(500);
    expect(result.total.completed).toBe(500);
    expect(result.total.dropped).toBe(0);
    expect(corrected.p99).toBeGreaterThan(350);
    expect(corrected.max).toBeGreaterThan(450);
    expect(uncorrected.p99).toBeLessThan(100);
    // The one request that sat on the server through the stall is in both maxima.
    expect(uncorrected.max).toBeGreaterThan(400);
  });

  it('sends beyond the in-flight limit are dropped and counted, not delayed', async () => {
    api = await startFakeApi({ stallFromMs: 0, stallForMs: 600 });
    const run = new Run(
      config(api.url, {
        schedule: new Schedule(buildCurve('steady', 100, 0.5)),
        maxInFlight: 5,
      }),
    );
    const result = await run.start();
    expect(result.total.scheduled).toBe(50);
    expect(result.total.dropped).toBe(45);
    expect(result.total.completed).toBe(5);
    expect(result.total.statuses.dropped).toBe(45);
  });
});

describe('live control', () => {
  it('PUT /rate changes the rate mid-run; GET /status reports it', async () => {
    api = await startFakeApi();
    const statuses: RunStatus[] = [];
    const run = new Run(
      config(api.url, {
        schedule: new Schedule(buildCurve('steady', 50, 2)),
        onInterval: (s) => statuses.push(s),
      }),
    );
    const control = await startControlServer(run, 0);
    const base = `http://127.0.0.1:${control.port}`;
    try {
      const done = run.start();
      await new Promise((r) => setTimeout(r, 500));
      const bad = await fetch(`${base}/rate`, { method: 'PUT', body: '{"rate":"fast"}' });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: string }).error).toMatch(/rate: must be a number > 0/);
      const put = await fetch(`${base}/rate`, {
        method: 'PUT',
        body: JSON.stringify({ rate: 200 }),
      });
      expect(put.status).toBe(200);
      expect(((await put.json()) as RunStatus).targetRate).toBe(200);
      const status = (await (await fetch(`${base}/status`)).json()) as RunStatus;
      expect(status.state).toBe('running');
      expect(status.factor).toBe(4);
      expect((await fetch(`${base}/status`, { method: 'POST' })).status).toBe(405);
      expect((await fetch(`${base}/nope`)).status).toBe(404);
      const result = await done;
      // ~0.5 s at 50/s, then ~1.5 s at 200/s: about 325 sends (timing of the PUT varies).
      expect(result.total.scheduled).toBeGreaterThan(260);
      expect(result.total.scheduled).toBeLessThan(380);
      expect(statuses.some((s) => s.targetRate === 200)).toBe(true);
    } finally {
      await control.close();
    }
  });

  it('pause stops sends, resume picks up; the keys multiply the rate', async () => {
    api = await startFakeApi();
    const run = new Run(
      config(api.url, { schedule: new Schedule(buildCurve('steady', 100, 1.5)) }),
    );
    const done = run.start();
    await new Promise((r) => setTimeout(r, 300));
    run.togglePause();
    expect(run.status().state).toBe('paused');
    expect(run.status().targetRate).toBe(0);
    await new Promise((r) => setTimeout(r, 250)); // let the interval fold the last sends in
    const atPause = run.status().scheduled;
    await new Promise((r) => setTimeout(r, 400));
    expect(run.status().scheduled).toBe(atPause);
    run.togglePause();
    run.adjustRate(1.1);
    expect(run.status().factor).toBeCloseTo(1.1, 6);
    const result = await done;
    // ~0.3 s + ~0.7 s at 110/s instead of 1.5 s at 100/s.
    expect(result.total.scheduled).toBeGreaterThan(80);
    expect(result.total.scheduled).toBeLessThan(125);
  });
});

describe('the route mix against the API contract', () => {
  it('valid sends get 2xx, payments use the ids orders returned, invalid ones get 4xx', async () => {
    api = await startFakeApi();
    const run = new Run(
      config(api.url, { schedule: new Schedule(buildCurve('steady', 200, 1)), invalidShare: 0.2 }),
    );
    await run.prepare();
    const result = await run.start();
    expect(result.targets[0]?.productIds).toBe('from-api');
    expect(result.total.errors).toBe(0);
    expect(result.total.expectedRejections).toBeGreaterThan(10);
    for (const route of [
      'GET /api/products',
      'GET /api/search',
      'POST /api/orders',
      'POST /api/payments',
      'GET /api/reports',
    ]) {
      expect(api.seen.get(route), route).toBeGreaterThan(0);
    }
  });

  it('falls back to p-001.. when GET /api/products gives no ids', async () => {
    const logs: string[] = [];
    const run = new Run(
      config(`http://127.0.0.1:${await closedPort()}`, {
        schedule: new Schedule(buildCurve('steady', 1, 0.1)),
        log: (l) => logs.push(l),
      }),
    );
    await run.prepare();
    expect(logs.join()).toMatch(/using p-001\.\.p-020/);
  });
});

describe('stopping', () => {
  it('Ctrl-C while draining waits at most 1 s more; rate changes then do nothing', async () => {
    // Every request is held 5 s; the run schedules for 0.2 s, then drains (timeout 10 s).
    api = await startFakeApi({ stallFromMs: 0, stallForMs: 5000 });
    const run = new Run(
      config(api.url, { schedule: new Schedule(buildCurve('steady', 20, 0.2)), timeoutMs: 10_000 }),
    );
    const started = performance.now();
    const done = run.start();
    await new Promise((r) => setTimeout(r, 400));
    expect(run.status().state).toBe('draining');
    run.adjustRate(2);
    run.togglePause();
    expect(run.status().state).toBe('draining');
    run.stop('interrupted');
    const result = await done;
    expect(result.reason).toBe('interrupted');
    expect(result.abandoned).toBe(4);
    expect(performance.now() - started).toBeLessThan(2500);
  });
});
