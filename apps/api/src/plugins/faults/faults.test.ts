import type { MetricData } from '@opentelemetry/sdk-metrics';
import { METRIC_ATTRIBUTES, METRICS } from '@outpost/outputs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, testConfig, testServer } from '../../testing/harness.ts';

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
