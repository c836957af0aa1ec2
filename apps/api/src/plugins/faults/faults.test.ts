import type { MetricData } from '@opentelemetry/sdk-metrics';
import { MAX_FAULT_LATENCY_MS, METRIC_ATTRIBUTES, METRICS } from '@outpost/outputs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, testConfig, testServer } from '../../testing/harness.ts';
import { addedLatencyMs, MAX_TOTAL_FAULT_LATENCY_MS } from './fault-set.ts';

type Harness = Awaited<ReturnType<typeof testServer>>;
let h: Harness;
beforeEach(async () => {
  h = await testServer(testConfig(), () => 0.99);
});
afterEach(async () => h.close());

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
const putFault = (payload: object) =>
  h.server.inject({ method: 'PUT', url: '/admin/faults', headers: auth, payload });

/** app.faults.active as `kind route method` -> value. */
async function activeFaults(): Promise<Record<string, number>> {
  const rm = await h.metrics();
  const metric = rm.scopeMetrics
    .flatMap((s) => s.metrics)
    .find((m) => m.descriptor.name === METRICS.faultsActive.name) as MetricData | undefined;
  expect(metric, `${METRICS.faultsActive.name} missing`).toBeDefined();
  expect(metric!.descriptor.unit).toBe('{fault}');
  return Object.fromEntries(
    metric!.dataPoints.map((p) => [
      [
        p.attributes[METRIC_ATTRIBUTES.faultKind],
        p.attributes[METRIC_ATTRIBUTES.route],
        p.attributes[METRIC_ATTRIBUTES.method],
      ].join(' '),
      p.value as number,
    ]),
  );
}

describe('app.faults.active', () => {
  it('is exported at 0 for global faults before any fault is injected', async () => {
    expect(await activeFaults()).toEqual({ 'error all all': 0, 'latency all all': 0 });
  });

  it('counts active faults by kind, route template and method; both kinds count once each', async () => {
    await putFault({ errorRate: 0.5, latencyMs: 100, route: '/api/orders', method: 'POST' });
    await putFault({ latencyMs: 50 });
    await putFault({ errorRate: 0.1, route: '/api/search' });
    await putFault({ errorRate: 0.2, route: '/api/products/{id}', method: 'GET' });
    expect(await activeFaults()).toEqual({
      'error all all': 0,
      'latency all all': 1,
      'error /api/orders POST': 1,
      'latency /api/orders POST': 1,
      'error /api/search all': 1,
      'error /api/products/{id} GET': 1,
    });
  });

  it('follows a replaced fault and drops every series to 0, not absent, when cleared', async () => {
    await putFault({ errorRate: 0.5, latencyMs: 100, route: '/api/orders', method: 'POST' });
    await putFault({ latencyMs: 10, route: '/api/orders', method: 'POST' });
    expect(await activeFaults()).toMatchObject({
      'error /api/orders POST': 0,
      'latency /api/orders POST': 1,
    });
    const cleared = await h.server.inject({
      method: 'DELETE',
      url: '/admin/faults',
      headers: auth,
    });
    expect(cleared.statusCode).toBe(200);
    expect(await activeFaults()).toEqual({
      'error all all': 0,
      'latency all all': 0,
      'error /api/orders POST': 0,
      'latency /api/orders POST': 0,
    });
  });

  it('is unchanged by a rejected fault', async () => {
    await putFault({ errorRate: 2, route: '/api/orders' });
    await putFault({ errorRate: 1, route: '/api/nope' });
    expect(await activeFaults()).toEqual({ 'error all all': 0, 'latency all all': 0 });
  });
});

describe('latency caps', () => {
  it('adds at most MAX_TOTAL_FAULT_LATENCY_MS to a request, however many faults match', async () => {
    const waits: number[] = [];
    const capped = await testServer(testConfig({ API_LATENCY_MS: '60000' }), () => 0.99, {
      sleep: async (ms) => void waits.push(ms),
    });
    const put = (payload: object) =>
      capped.server.inject({ method: 'PUT', url: '/admin/faults', headers: auth, payload });
    // Four overlapping selectors for GET /api/products, 60 s each, on top of a 60 s base.
    for (const target of [
      {},
      { method: 'GET' },
      { route: '/api/products' },
      { route: '/api/products', method: 'GET' },
    ])
      expect((await put({ latencyMs: MAX_FAULT_LATENCY_MS, ...target })).statusCode).toBe(200);
    const res = await capped.server.inject('/api/products');
    await capped.close();
    expect(res.statusCode).toBe(200);
    expect(waits).toEqual([MAX_TOTAL_FAULT_LATENCY_MS]);
    expect(MAX_TOTAL_FAULT_LATENCY_MS).toBeLessThanOrEqual(10_000);
    // Still far above the 1 s latency alert threshold.
    expect(MAX_TOTAL_FAULT_LATENCY_MS).toBeGreaterThanOrEqual(5_000);
  });

  it('sums overlapping faults below the cap', () => {
    const fault = (latencyMs: number) => ({ errorRate: 0, latencyMs, route: null, method: null });
    expect(addedLatencyMs(100, [fault(2000), fault(2000)])).toBe(4100);
    expect(
      addedLatencyMs(
        0,
        [1, 2, 3, 4, 5].map(() => fault(60_000)),
      ),
    ).toBe(MAX_TOTAL_FAULT_LATENCY_MS);
  });

  it('answers 503 with Retry-After once a request passes API_ROUTE_TIMEOUT_MS', async () => {
    const slow = await testServer(testConfig({ API_ROUTE_TIMEOUT_MS: '300' }), () => 0.99);
    await slow.server.inject({
      method: 'PUT',
      url: '/admin/faults',
      headers: auth,
      payload: { latencyMs: 2000, route: '/api/products' },
    });
    const start = Date.now();
    const res = await slow.server.inject('/api/products');
    const elapsed = Date.now() - start;
    const other = await slow.server.inject('/api/search?q=tent');
    await slow.close();
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(JSON.parse(res.payload).message).toMatch(/API_ROUTE_TIMEOUT_MS/);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2000);
    expect(other.statusCode).toBe(200);
  });

  it('gives every route a server timeout, 30 s by default', async () => {
    const table = h.server.table();
    expect(table.length).toBeGreaterThan(5);
    for (const route of table)
      expect(route.settings.timeout?.server, `${route.method} ${route.path}`).toBe(30_000);
  });
});
