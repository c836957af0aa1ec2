import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStackConfigFile } from '../../../infra/config.ts';
import { startPlatform } from '../../../infra/process/platform.ts';
import { fastIntervals, findPortOffset } from '../../../infra/process/test-support.ts';
import { launchChromium } from '../tests/support.ts';

// npm run docs:screenshots: starts the local stack as processes (short intervals), sends mixed
// traffic with a fault on prod so the charts and alerts have something to show, and saves a
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
  overrides: fastIntervals,
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
    body: JSON.stringify({ errorRate: 0.15, latencyMs: 120, route: '/api/orders' }),
  });
  await new Promise((r) => setTimeout(r, (WARMUP_S / 2) * 1000));

  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const shots: Array<[string, string]> = [
    ['/', 'landing'],
    ['/metrics?env=all&range=5m', 'metrics'],
    ['/alerts', 'alerts'],
    ['/slo', 'slo'],
    [
      '/explore?q=sum%20by%20(environment)%20(data_plane%3Ahttp_server_requests%3Arate1m)&range=5m',
      'explore',
    ],
  ];
  for (const [path, name] of shots) {
    await page.goto(`${dash}${path}`);
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: name !== 'metrics' });
    log(`docs/images/${name}.png`);
  }
  await browser.close();
} finally {
  clearInterval(traffic);
  await platform.stop();
}
