import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStackConfigFile } from '../../../infra/config.ts';
import { startPlatform } from '../../../infra/process/platform.ts';
import { compress } from '../../../infra/demo/timeline.ts';
import { findPortOffset } from '../../../infra/process/test-support.ts';
import { launchChromium } from '../tests/support.ts';

// npm run docs:screenshots: starts the local stack as processes on the demo's compressed clock
// (infra/demo/timeline.ts), sends mixed traffic, then the demo's incident on prod (20 % errors,
// +1.5 s) so the charts show it with its fault and alert bands and the alerts fire, and saves a
// screenshot of every page into docs/images/. Takes about a minute and a half.

const ROOT = join(import.meta.dirname, '..', '..', '..');
const OUT = join(ROOT, 'docs', 'images');
const WARMUP_S = Number(process.env.SCREENSHOT_WARMUP_SECONDS ?? 75);
const log = (line: string) => process.stderr.write(`${line}\n`);

mkdirSync(OUT, { recursive: true });
const offset = await findPortOffset(readStackConfigFile('local', ROOT));
const platform = await startPlatform({
  stack: 'local',
  portOffset: offset,
  runDir: mkdtempSync(join(tmpdir(), 'outpost-screens-')),
  overrides: compress,
});
if (!platform.outputs.dashboardUrl) throw new Error('build the dashboard first: npm run build');
const dash = platform.outputs.dashboardUrl;
const prod = platform.outputs.dataPlanes.find((d) => d.environment === 'prod')!;

const paths = ['/api/products', '/api/products/p-004', '/api/search?q=jacket', '/api/reports'];
let tick = 0;
const traffic = setInterval(() => {
  tick += 1;
  for (const dp of platform.outputs.dataPlanes) {
    // A little more traffic on prod, rising over time, so the lines are told apart.
    const n = dp.environment === 'prod' ? 2 + Math.floor(tick / 100) : 1;
    for (let i = 0; i < n; i += 1)
      void fetch(`${dp.apiUrl}${paths[(tick + i) % paths.length]}`).catch(() => {});
    void fetch(`${dp.apiUrl}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ product_id: 'p-001', quantity: 1 }),
    })
      .then((r) => r.json() as Promise<{ id: string }>)
      .then((order) =>
        fetch(`${dp.apiUrl}/api/payments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ order_id: order.id, amount: 129, currency: 'USD' }),
        }),
      )
      .catch(() => {});
  }
}, 100);

try {
  log(`platform up; sending traffic for ${WARMUP_S} s (a fault on prod from the middle)...`);
  await new Promise((r) => setTimeout(r, (WARMUP_S / 2) * 1000));
  await fetch(`${prod.apiUrl}/admin/faults`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${prod.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ errorRate: 0.2, latencyMs: 1500 }),
  });
  await new Promise((r) => setTimeout(r, (WARMUP_S / 2) * 1000));

  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const shots: Array<[string, string]> = [
    ['/', 'landing'],
    ['/metrics?env=all&range=5m', 'metrics'],
    ['/metrics?env=prod&range=5m', 'incident'],
    ['/alerts', 'alerts'],
    ['/slo', 'slo'],
    ['/targets', 'targets'],
    [
      '/explore?q=sum%20by%20(environment)%20(data_plane%3Ahttp_server_requests%3Arate1m)&range=5m',
      'explore',
    ],
  ];
  for (const [path, name] of shots) {
    await page.goto(`${dash}${path}`);
    await page.waitForTimeout(1500);
    await page.screenshot({
      path: join(OUT, `${name}.png`),
      fullPage: name !== 'metrics' && name !== 'incident',
    });
    log(`docs/images/${name}.png`);
  }
  await browser.close();
} finally {
  clearInterval(traffic);
  await platform.stop();
}
