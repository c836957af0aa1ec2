import type { HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { METRIC_ATTRIBUTES, METRICS } from '@outpost/outputs';
import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, testConfig, testServer } from '../../testing/harness.ts';
import { EventLoopMonitor, type LoadProbe } from './event-loop.ts';

/** A load check that reports whatever event-loop delay the test sets. */
function fakeLoad(delayMs: number): LoadProbe & { delayMs: number } {
  return {
    delayMs,
    start() {},
    stop() {},
    eventLoopDelayMs() {
      return this.delayMs;
    },
  };
}

function blockEventLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy: nothing else runs, as under a CPU-bound overload
  }
}

describe('liveness is never shed', () => {
  it('answers /health, /ready and the admin routes while business routes shed with 503', async () => {
    const load = fakeLoad(1000);
    const h = await testServer(testConfig({ API_MAX_EVENT_LOOP_DELAY_MS: '200' }), undefined, {
      load,
    });
    const health = await h.server.inject('/health');
    const ready = await h.server.inject('/ready');
    const admin = await h.server.inject({
      url: '/admin/faults',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const shed = await h.server.inject('/api/products');
    load.delayMs = 0;
    const recovered = await h.server.inject('/api/products');
    await h.close();

    expect(health.statusCode).toBe(200);
    expect(ready.statusCode).toBe(200);
    expect(admin.statusCode).toBe(200);
    expect(shed.statusCode).toBe(503);
    expect(shed.headers['retry-after']).toBe('1');
    expect(JSON.parse(shed.payload).message).toMatch(/API_MAX_EVENT_LOOP_DELAY_MS/);
    expect(recovered.statusCode).toBe(200);
  });

  it('keeps /health at 200 while a blocked event loop sheds business routes', async () => {
    const h = await testServer(testConfig({ API_MAX_EVENT_LOOP_DELAY_MS: '20' }));
    await h.server.start();
    blockEventLoop(400);
    const health = await h.server.inject('/health');
    const shed = await h.server.inject('/api/products');
    await h.close();
    expect(health.statusCode).toBe(200);
    expect(shed.statusCode).toBe(503);
  });

  it('sheds nothing with API_MAX_EVENT_LOOP_DELAY_MS=0', async () => {
    const h = await testServer(testConfig({ API_MAX_EVENT_LOOP_DELAY_MS: '0' }), undefined, {
      load: fakeLoad(10_000),
    });
    const res = await h.server.inject('/api/products');
    await h.close();
    expect(res.statusCode).toBe(200);
  });
});

describe('a shed request is recorded under its route template', () => {
  it('in http.server.request.duration and in the request log', async () => {
    const lines: string[] = [];
    const h = await testServer(
      testConfig({ API_MAX_EVENT_LOOP_DELAY_MS: '20', API_REQUEST_LOG: 'on' }),
      undefined,
      { logWrite: (line) => lines.push(line) },
    );
    await h.server.start();
    blockEventLoop(400);
    const shed = await h.server.inject('/api/products/p-001');
    const rm = await h.metrics();
    await h.close();

    expect(shed.statusCode).toBe(503);
    const duration = rm.scopeMetrics
      .flatMap((s) => s.metrics)
      .find((m) => m.descriptor.name === METRICS.requestDuration.name) as HistogramMetricData;
    expect(duration.dataPoints.map((p) => p.attributes)).toContainEqual(
      expect.objectContaining({
        [METRIC_ATTRIBUTES.route]: '/api/products/{id}',
        [METRIC_ATTRIBUTES.status]: 503,
      }),
    );
    const log = lines.map((l) => JSON.parse(l) as { route: string; status: number });
    expect(log).toContainEqual(
      expect.objectContaining({ route: '/api/products/{id}', status: 503 }),
    );
  });
});

describe('EventLoopMonitor', () => {
  it('reports a blocked loop at once and forgets it after the next samples', async () => {
    const monitor = new EventLoopMonitor(50);
    monitor.start();
    await new Promise((r) => setTimeout(r, 120));
    expect(monitor.eventLoopDelayMs()).toBeLessThan(100);
    blockEventLoop(300);
    expect(monitor.eventLoopDelayMs()).toBeGreaterThanOrEqual(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(monitor.eventLoopDelayMs()).toBeLessThan(100);
    monitor.stop();
    expect(monitor.eventLoopDelayMs()).toBe(0);
  });
});
