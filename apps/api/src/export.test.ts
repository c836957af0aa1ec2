import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN } from './testing/harness.ts';
import { freePort, startApi, type ApiProcess } from './testing/process.ts';

let api: ApiProcess | undefined;
let receiver: Server | undefined;
afterEach(() => {
  api?.child.kill('SIGKILL');
  receiver?.close();
  api = undefined;
  receiver = undefined;
});

/** The Prometheus series names docs/metrics.md promises for the raw metrics. */
function documentedSeries(): string[] {
  const doc = readFileSync(new URL('../../../docs/metrics.md', import.meta.url), 'utf8');
  const raw = doc.split('## Raw series')[1]!.split('## Recording rules')[0]!;
  return [...raw.matchAll(/\| `([a-z0-9_]+)`(?: \/ `_sum` \/ `_count`)?[^|]*\|\s*$/gm)].map(
    (m) => m[1]!,
  );
}

describe('Prometheus path (OTEL_METRICS_EXPORTER=prometheus)', () => {
  it('serves exactly the series names of docs/metrics.md, as the Collector would write them', async () => {
    const metricsPort = await freePort();
    api = await startApi({
      OTEL_METRICS_EXPORTER: 'prometheus',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
      API_REQUEST_LOG: 'off',
    });
    const order = await fetch(`${api.url}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ product_id: 'p-001', quantity: 1 }),
    }).then((r) => r.json() as Promise<{ id: string }>);
    await fetch(`${api.url}/api/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ order_id: order.id, amount: 129, currency: 'USD' }),
    });
    await fetch(`${api.url}/api/search?q=tent`);
    await fetch(`${api.url}/api/reports`);
    const text = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text());
    const names = new Set(
      text
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => l.split(/[{ ]/)[0]),
    );
    const expected = documentedSeries();
    expect(expected).toHaveLength(10);
    for (const series of expected)
      expect(names, `${series} missing from /metrics`).toContain(series);
    expect(text).toMatch(
      /http_server_request_duration_seconds_bucket\{[^}]*http_route="\/api\/orders"[^}]*le="0.005"/,
    );
    expect(text).toMatch(/http_server_request_duration_seconds_count\{[^}]*url_scheme="http"/);
    expect(text).toMatch(/http_server_active_requests\{[^}]*url_scheme="http"/);
  });

  it('serves app_faults_active from /admin/faults: 1 while a fault is active, 0 once cleared', async () => {
    const metricsPort = await freePort();
    api = await startApi({
      OTEL_METRICS_EXPORTER: 'prometheus',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
      API_REQUEST_LOG: 'off',
      API_ADMIN_TOKEN: ADMIN_TOKEN,
    });
    const admin = (method: string, body?: object) =>
      fetch(`${api!.url}/admin/faults`, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const scrape = async () => {
      const text = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text());
      return faultSeries(text);
    };
    expect(await scrape()).toEqual({ 'error all all': 0, 'latency all all': 0 });

    await admin('PUT', { errorRate: 0.5, latencyMs: 200, route: '/api/orders', method: 'POST' });
    await admin('PUT', { latencyMs: 100 });
    expect(await scrape()).toEqual({
      'error all all': 0,
      'latency all all': 1,
      'error /api/orders POST': 1,
      'latency /api/orders POST': 1,
    });

    expect((await admin('DELETE')).status).toBe(200);
    expect(await scrape()).toEqual({
      'error all all': 0,
      'latency all all': 0,
      'error /api/orders POST': 0,
      'latency /api/orders POST': 0,
    });
  });
});

/** `app_faults_active` samples of a scrape as `kind route method` -> value. */
function faultSeries(text: string): Record<string, number> {
  const label = (labels: string, name: string) =>
    new RegExp(`${name}="([^"]*)"`).exec(labels)?.[1] ?? '?';
  return Object.fromEntries(
    [...text.matchAll(/^app_faults_active\{([^}]*)\} (\S+)/gm)].map((m) => [
      ['app_fault_kind', 'http_route', 'http_request_method'].map((n) => label(m[1]!, n)).join(' '),
      Number(m[2]),
    ]),
  );
}

describe('OTLP path (OTEL_METRICS_EXPORTER=otlp)', () => {
  it('exports OTLP/JSON to the configured endpoint with the resource and instruments', async () => {
    const bodies: Array<{
      resourceMetrics: Array<{
        resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
        scopeMetrics: Array<{ metrics: Array<{ name: string; unit: string }> }>;
      }>;
    }> = [];
    const port = await freePort();
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        if (req.url === '/v1/metrics' && req.headers['content-type']?.includes('json'))
          bodies.push(JSON.parse(body));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    }).listen(port, '127.0.0.1');
    api = await startApi({
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_METRIC_EXPORT_INTERVAL: '300',
      API_REQUEST_LOG: 'off',
      ENVIRONMENT: 'qa',
      DATA_PLANE_ID: 'acme-qa-01',
    });
    await fetch(`${api.url}/api/products/p-001`);
    for (let i = 0; i < 50 && !bodies.some(hasDuration); i += 1)
      await new Promise((r) => setTimeout(r, 100));
    const body = bodies.find(hasDuration)!;
    expect(body).toBeDefined();
    const rm = body.resourceMetrics[0]!;
    const attrs = Object.fromEntries(
      rm.resource.attributes.map((a) => [a.key, a.value.stringValue]),
    );
    expect(attrs).toMatchObject({
      'deployment.environment.name': 'qa',
      'data_plane.id': 'acme-qa-01',
    });
    const metrics = rm.scopeMetrics.flatMap((s) => s.metrics);
    // On this path the names stay the OpenTelemetry names; the Collector adds the suffixes.
    expect(metrics.find((m) => m.name === 'http.server.request.duration')?.unit).toBe('s');
  });
});

function hasDuration(body: {
  resourceMetrics: Array<{ scopeMetrics: Array<{ metrics: Array<{ name: string }> }> }>;
}): boolean {
  return body.resourceMetrics.some((rm) =>
    rm.scopeMetrics.some((s) => s.metrics.some((m) => m.name === 'http.server.request.duration')),
  );
}

describe('graceful shutdown', () => {
  it('on SIGTERM goes unready, finishes in-flight requests and exits 0', async () => {
    api = await startApi({ OTEL_SDK_DISABLED: 'true', API_LATENCY_MS: '800' });
    const inFlight = fetch(`${api.url}/api/products`).then((r) => r.status);
    await new Promise((r) => setTimeout(r, 200));
    api.child.kill('SIGTERM');
    expect(await inFlight).toBe(200);
    expect(await api.exited).toBe(0);
    expect(api.output()).toMatch(/"msg":"draining"/);
  });

  it('refuses bad settings with the variable named, exit 2', async () => {
    await expect(
      startApi({ API_ERROR_RATE: '2', OTEL_METRICS_EXPORTER: 'zipkin' }),
    ).rejects.toThrow(
      /API_ERROR_RATE: must be less than or equal to 1[\s\S]*OTEL_METRICS_EXPORTER: must be one of \[otlp, prometheus\]/,
    );
  });
});
