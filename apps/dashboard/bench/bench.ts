import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { goBinary } from '../../../infra/process/binaries.ts';
import { freePort, launchChromium, startDashboard } from '../tests/support.ts';

// npm run bench:dashboard: (1) JavaScript shipped to the browser for /metrics, gzip'd, as
// Chromium loads it; (2) server-side time of the metrics page (every query it runs) for all
// environments over 1 h and 24 h, against a Prometheus seeded with 24 h of recorded series by
// `promtool tsdb create-blocks-from openmetrics`. Goals: <= 100 KB gzip, p95 < 300 ms for 24 h.

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const STEP_S = 10;
const ENVS = ['prod', 'dev', 'qa'];
const ROUTES = [
  '/api/products',
  '/api/products/{id}',
  '/api/search',
  '/api/orders',
  '/api/payments',
  '/api/reports',
];
const log = (line: string) => process.stderr.write(`${line}\n`);
const dir = mkdtempSync(join(tmpdir(), 'bench-dashboard-'));

// 1. Seed 24 h of the recorded series the metrics page reads.
const end = Math.floor(Date.now() / 1000) - 60;
const start = end - 24 * 3600;
const lines: string[] = [];
const gauge = (name: string, labels: Record<string, string>, f: (t: number) => number) => {
  const l = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  lines.push(`# TYPE ${name.replace(/:/g, '_')} gauge`);
  for (let t = start; t <= end; t += STEP_S) lines.push(`${name}{${l}} ${f(t).toFixed(6)} ${t}`);
};
for (const [i, environment] of ENVS.entries()) {
  const base = { customer: 'acme', environment, data_plane: `acme-${environment}-01` };
  const wave = (t: number) => 1 + 0.3 * Math.sin(t / 3600 + i);
  gauge('data_plane:http_server_requests:rate1m', base, (t) => 20 * wave(t));
  gauge('data_plane:http_server_errors:rate1m', base, (t) => 0.3 * wave(t));
  gauge('data_plane:http_server_active_requests:sum', base, (t) => 2 * wave(t));
  for (const q of ['p50', 'p95', 'p99']) {
    gauge(
      `environment:http_server_request_duration_seconds:${q}_rate1m`,
      { customer: 'acme', environment },
      (t) => (q === 'p50' ? 0.01 : q === 'p95' ? 0.1 : 0.2) * wave(t),
    );
  }
  for (const kind of ['app_orders_created', 'app_search_queries', 'app_reports_generated']) {
    gauge(`data_plane:${kind}:rate1m`, base, (t) => 3 * wave(t));
  }
  for (const outcome of ['approved', 'declined']) {
    gauge(
      'data_plane:app_payments_processed:rate1m',
      { ...base, app_payment_outcome: outcome },
      (t) => (outcome === 'approved' ? 2 : 0.2) * wave(t),
    );
  }
  for (const route of ROUTES) {
    gauge(
      'data_plane_route:http_server_request_duration_seconds:p95_rate1m',
      { ...base, http_route: route, http_request_method: 'GET' },
      (t) => 0.05 * wave(t),
    );
  }
}
lines.push('# EOF');
// OpenMetrics wants one TYPE line per metric family: keep the first of each.
const seen = new Set<string>();
const text =
  lines.filter((l) => !l.startsWith('# TYPE') || (!seen.has(l) && seen.add(l))).join('\n') + '\n';
writeFileSync(join(dir, 'seed.om'), text);
log(
  `seeding ${((lines.length - 60) / 1e6).toFixed(2)} M samples (24 h, ${STEP_S} s resolution)...`,
);
execFileSync(
  goBinary('promtool'),
  ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'seed.om'), join(dir, 'data')],
  { stdio: 'ignore' },
);

const promPort = await freePort();
writeFileSync(join(dir, 'prometheus.yml'), 'global: { scrape_interval: 10s }\n');
const prometheus = spawn(
  goBinary('prometheus'),
  [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    '--storage.tsdb.retention.time=30d',
    `--web.listen-address=127.0.0.1:${promPort}`,
  ],
  { stdio: 'ignore' },
);
const promUrl = `http://127.0.0.1:${promPort}`;

try {
  for (
    let i = 0;
    i < 100 &&
    !(await fetch(`${promUrl}/-/ready`).then(
      (r) => r.ok,
      () => false,
    ));
    i += 1
  )
    await new Promise((r) => setTimeout(r, 100));
  const outputs = {
    stack: 'bench',
    platform: 'process',
    dashboardUrl: null,
    queryUrl: promUrl,
    prometheusUrl: promUrl,
    alertmanagerUrl: null,
    scrapeInterval: `${STEP_S}s`,
    slos: [],
    dataPlanes: ENVS.map((environment) => ({
      name: `acme-${environment}`,
      id: `acme-${environment}-01`,
      customer: 'acme',
      environment,
      apiUrl: 'http://127.0.0.1:1',
      metricsUrl: null,
    })),
  };
  const dashboard = await startDashboard(outputs);

  // 2. JavaScript shipped for /metrics, as the browser loads it.
  const browser = await launchChromium();
  const page = await browser.newPage();
  const scripts = new Map<string, Buffer>();
  page.on('response', async (response) => {
    if (response.url().endsWith('.js'))
      scripts.set(response.url(), await response.body().catch(() => Buffer.alloc(0)));
  });
  await page.goto(`${dashboard.url}/metrics?range=24h`, { waitUntil: 'networkidle' });
  await browser.close();
  const raw = [...scripts.values()].reduce((n, b) => n + b.length, 0);
  const gzip = [...scripts.values()].reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0);

  // 3. Server-side time of the whole metrics page (every query it runs).
  const timing: Record<string, number[]> = {};
  for (const range of ['1h', '24h']) {
    timing[range] = [];
    await fetch(`${dashboard.url}/metrics?range=${range}`); // warm-up
    for (let i = 0; i < RUNS; i += 1) {
      const t0 = performance.now();
      const res = await fetch(`${dashboard.url}/metrics?range=${range}`);
      const html = await res.text();
      if (!res.ok) throw new Error(`/metrics?range=${range} answered ${res.status}`);
      // The page must really have drawn the seeded data, not an empty state.
      if (!html.includes('data-chart="Request rate" data-series="3"'))
        throw new Error(`/metrics?range=${range} shows no seeded data`);
      timing[range].push(performance.now() - t0);
    }
  }
  dashboard.child.kill();

  const pct = (xs: number[], p: number) =>
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * p) - 1)]!;
  process.stdout.write(
    `\nbench:dashboard — 3 environments, recorded series seeded for 24 h at ${STEP_S} s\n\n` +
      `  JavaScript for /metrics: ${scripts.size} files, ${(raw / 1024).toFixed(0)} KB raw, ${(gzip / 1024).toFixed(1)} KB gzip   (goal <= 100 KB gzip, ${gzip <= 100 * 1024 ? 'within' : 'MISSED'}; Grafana ships about 8.6 MB minified)\n` +
      Object.entries(timing)
        .map(
          ([range, xs]) =>
            `  metrics page, all environments, ${range.padEnd(3)}: p50 ${pct(xs, 0.5).toFixed(0)} ms, p95 ${pct(xs, 0.95).toFixed(0)} ms over ${RUNS} requests`,
        )
        .join('\n') +
      '\n  (goal: p95 < 300 ms for 24 h; dashboard, Prometheus and client share the 2 cores)\n',
  );
} finally {
  prometheus.kill();
}
