import type { HistogramMetricData, MetricData } from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, testConfig, testServer } from '../testing/harness.ts';
import { DURATION_BUCKETS, UNMATCHED_ROUTE } from '@outpost/outputs';

type Harness = Awaited<ReturnType<typeof testServer>>;
let h: Harness;
beforeEach(async () => {
  h = await testServer(testConfig(), () => 0.99);
});
afterEach(async () => h.close());

async function metric(name: string): Promise<MetricData | undefined> {
  const rm = await h.metrics();
  return rm.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
}

describe('http.server.request.duration', () => {
  it('is a histogram in seconds with the semantic-convention buckets', async () => {
    await h.server.inject('/api/products');
    const m = (await metric('http.server.request.duration')) as HistogramMetricData;
    expect(m.descriptor.unit).toBe('s');
    const point = m.dataPoints[0]!;
    expect(point.value.buckets.boundaries).toEqual(DURATION_BUCKETS);
    expect(point.value.sum).toBeLessThan(1); // seconds, not milliseconds
  });

  it('labels the route template, never the raw path, and unknown routes with one value', async () => {
    await h.server.inject('/api/products/p-001');
    await h.server.inject('/api/products/p-002');
    await h.server.inject('/no/such/path/1');
    await h.server.inject('/no/such/path/2');
    const m = (await metric('http.server.request.duration')) as HistogramMetricData;
    const routes = m.dataPoints.map((p) => p.attributes['http.route']);
    expect(new Set(routes)).toEqual(new Set(['/api/products/{id}', UNMATCHED_ROUTE]));
    const product = m.dataPoints.find((p) => p.attributes['http.route'] === '/api/products/{id}')!;
    expect(product.attributes).toEqual({
      'http.request.method': 'GET',
      'http.route': '/api/products/{id}',
      'http.response.status_code': 200,
      'url.scheme': 'http',
    });
    expect(product.value.count).toBe(2);
  });

  it('records the status code of errors, simulated failures included', async () => {
    const failing = await testServer(testConfig({ API_ERROR_RATE: '1' }), () => 0.5);
    await failing.server.inject('/api/products');
    const rm = await failing.metrics();
    await failing.close();
    const m = rm.scopeMetrics
      .flatMap((s) => s.metrics)
      .find((x) => x.descriptor.name === 'http.server.request.duration')!;
    expect(m.dataPoints[0]!.attributes['http.response.status_code']).toBe(500);
  });
});

const activeGets = async () =>
  (await metric('http.server.active_requests'))?.dataPoints.find(
    (p) => p.attributes['http.request.method'] === 'GET',
  )?.value;

describe('HTTP semantic-convention attributes', () => {
  it('puts url.scheme on both HTTP metrics and error.type (the status code) on 5xx only', async () => {
    const failing = await testServer(
      testConfig({ API_ERROR_RATE: '0.5' }),
      () => 0.1, // fails every request the base error rate applies to
      { load: { start() {}, stop() {}, eventLoopDelayMs: () => 0 } },
    );
    await failing.server.inject('/api/products'); // 500, simulated
    await failing.server.inject('/health'); // 200
    await failing.server.inject('/api/products/42'); // 400
    await failing.server.inject('/no/such/path'); // 404
    const rm = await failing.metrics();
    await failing.close();
    const all = rm.scopeMetrics.flatMap((s) => s.metrics);
    const duration = all.find((m) => m.descriptor.name === 'http.server.request.duration')!;
    const byStatus = Object.fromEntries(
      duration.dataPoints.map((p) => [p.attributes['http.response.status_code'], p.attributes]),
    );
    expect(byStatus[500]).toMatchObject({ 'url.scheme': 'http', 'error.type': '500' });
    for (const status of [200, 400, 404]) {
      expect(byStatus[status]).toMatchObject({ 'url.scheme': 'http' });
      expect(byStatus[status]).not.toHaveProperty('error.type');
    }
    const active = all.find((m) => m.descriptor.name === 'http.server.active_requests')!;
    for (const p of active.dataPoints) {
      expect(Object.keys(p.attributes).sort()).toEqual(['http.request.method', 'url.scheme']);
      expect(p.attributes['url.scheme']).toBe('http');
    }
  });

  it('gives a shed 503 error.type "503"', async () => {
    const shedding = await testServer(testConfig(), undefined, {
      load: { start() {}, stop() {}, eventLoopDelayMs: () => 10_000 },
    });
    await shedding.server.inject('/api/search?q=tent');
    const rm = await shedding.metrics();
    await shedding.close();
    const duration = rm.scopeMetrics
      .flatMap((s) => s.metrics)
      .find((m) => m.descriptor.name === 'http.server.request.duration')!;
    expect(duration.dataPoints[0]!.attributes).toEqual({
      'http.request.method': 'GET',
      'http.route': '/api/search',
      'http.response.status_code': 503,
      'url.scheme': 'http',
      'error.type': '503',
    });
  });
});

describe('active requests, business and runtime metrics', () => {
  it('counts active requests over real HTTP and returns to zero after they finish', async () => {
    await h.server.start();
    const { port } = h.server.info;
    // Hold the request with an injected latency, and wait for it to arrive (a fixed sleep was
    // flaky on a busy machine).
    await h.server.inject({
      method: 'PUT',
      url: '/admin/faults',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { latencyMs: 1000, route: '/api/reports' },
    });
    const slow = fetch(`http://127.0.0.1:${port}/api/reports`);
    let during: unknown;
    for (let i = 0; i < 100 && during !== 1; i += 1) {
      await new Promise((r) => setTimeout(r, 10));
      during = await activeGets();
    }
    expect(during).toBe(1);
    await slow;
    const m = await metric('http.server.active_requests');
    expect(m?.descriptor.unit).toBe('{request}');
    expect(await activeGets()).toBe(0);
  });

  it('counts orders, payments by outcome, searches and reports', async () => {
    const order = await h.server.inject({
      method: 'POST',
      url: '/api/orders',
      payload: { product_id: 'p-001', quantity: 1 },
    });
    await h.server.inject({
      method: 'POST',
      url: '/api/payments',
      payload: { order_id: (order.result as { id: string }).id, amount: 129, currency: 'USD' },
    });
    await h.server.inject('/api/search?q=boots');
    await h.server.inject('/api/reports');
    expect((await metric('app.orders.created'))?.dataPoints[0]?.value).toBe(1);
    expect((await metric('app.orders.created'))?.descriptor.unit).toBe('{order}');
    const payments = await metric('app.payments.processed');
    expect(payments?.dataPoints[0]?.attributes).toEqual({ 'app.payment.outcome': 'approved' });
    expect((await metric('app.search.queries'))?.dataPoints[0]?.value).toBe(1);
    expect((await metric('app.reports.generated'))?.dataPoints[0]?.value).toBe(1);
  });

  it('observes CPU time by mode, memory and event-loop delay', async () => {
    const cpu = await metric('process.cpu.time');
    expect(cpu?.descriptor.unit).toBe('s');
    expect(cpu?.dataPoints.map((p) => p.attributes['cpu.mode']).sort()).toEqual(['system', 'user']);
    expect((await metric('process.memory.usage'))?.dataPoints[0]?.value).toBeGreaterThan(
      10_000_000,
    );
    expect((await metric('nodejs.eventloop.delay.p99'))?.descriptor.unit).toBe('s');
  });

  it('carries the resource attributes, ENVIRONMENT winning over OTEL_RESOURCE_ATTRIBUTES', async () => {
    const previous = process.env.OTEL_RESOURCE_ATTRIBUTES;
    process.env.OTEL_RESOURCE_ATTRIBUTES = 'deployment.environment.name=staging,team=payments';
    const other = await testServer(testConfig());
    const rm = await other.metrics();
    await other.close();
    process.env.OTEL_RESOURCE_ATTRIBUTES = previous ?? '';
    expect(rm.resource.attributes).toMatchObject({
      'service.name': 'outpost-api',
      'deployment.environment.name': 'prod',
      'data_plane.id': 'acme-prod-01',
      'customer.id': 'acme',
      team: 'payments',
    });
    expect(rm.resource.attributes['service.instance.id']).toBeTruthy();
  });
});
