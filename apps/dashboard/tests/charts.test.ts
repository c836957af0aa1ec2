import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStackConfigFile } from '../../../infra/config.ts';
import { startPlatform, type RunningPlatform } from '../../../infra/process/platform.ts';
import {
  fastIntervals,
  findPortOffset,
  startTraffic,
} from '../../../infra/process/test-support.ts';
import { launchChromium, SCREENSHOTS } from './support.ts';

// The charts as people use them, on the process-mode platform (real Prometheus, Alertmanager,
// APIs and traffic) in headless Chromium: shared crosshair and tooltips, drag to zoom with the
// URL following, fault and alert bands, auto refresh over three intervals, and silences.

let platform: RunningPlatform;
let browser: Browser;
let page: Page;
let stopTraffic: () => void = () => {};
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  const offset = await findPortOffset(
    readStackConfigFile('local', join(import.meta.dirname, '../../..')),
  );
  platform = await startPlatform({
    stack: 'local',
    portOffset: offset,
    runDir: mkdtempSync(join(tmpdir(), 'outpost-charts-')),
    overrides: fastIntervals,
  });
  expect(
    platform.outputs.dashboardUrl,
    'build the dashboard first: npm run build -w @outpost/dashboard',
  ).toBeTruthy();
  stopTraffic = startTraffic(platform.outputs.dataPlanes.map((dp) => dp.apiUrl));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
});

afterAll(async () => {
  stopTraffic();
  await clearFaults().catch(() => {});
  for (const context of contexts) await context.close();
  await browser?.close();
  await platform?.stop();
});

const url = (path: string) => `${platform.outputs.dashboardUrl}${path}`;

async function open(address: string): Promise<void> {
  await page.goto(address);
  await page.waitForSelector('html[data-hydrated]');
}

/** Reloads until `check` passes: data arrives with the next scrape and rule evaluation. */
async function until(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 1000));
    await page.reload();
    await page.waitForSelector('html[data-hydrated]');
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The metrics page with every environment's request rate drawn. */
async function openMetricsWithData(
  path = '/metrics?range=5m&refresh=off',
  minPoints = 90,
): Promise<void> {
  await open(url(path));
  const rate = page.locator('figure[data-chart="Request rate"]');
  await until(
    async () =>
      (await rate.getAttribute('data-series')) === '3' &&
      // Enough of the range measured (90 points: the last 30 s at 5m's 1 s steps).
      Number(await rate.getAttribute('data-points')) >= minPoints &&
      (await page.locator('canvas[data-bands-drawn]').count()) > 0,
    'request-rate series for every environment over the last 30 s, drawn',
    60_000,
  );
}

const prod = () => platform.outputs.dataPlanes.find((dp) => dp.environment === 'prod')!;

/** Fault injection goes to the API's admin route (the test's doing; the dashboard never calls it). */
async function putFault(fault: object): Promise<void> {
  const res = await fetch(`${prod().apiUrl}/admin/faults`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${prod().adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  expect(res.status, await res.text()).toBe(200);
}

async function clearFaults(): Promise<void> {
  await fetch(`${prod().apiUrl}/admin/faults`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${prod().adminToken}` },
  });
}

describe('charts in Chromium', () => {
  it('hovering one chart draws the crosshair and a tooltip at that instant on every chart', async () => {
    await openMetricsWithData();
    const charts = page.locator('figure[data-chart] canvas');
    const count = await charts.count();
    expect(count).toBeGreaterThanOrEqual(6);
    // Aligned plot areas: every chart's canvas starts its plot at the same x (fixed y axis).
    const canvas = page.locator('figure[data-chart="Request rate"] canvas');
    const box = (await canvas.boundingBox())!;
    // Near the right edge: the platform has only just started, older steps are gaps.
    await page.mouse.move(box.x + box.width * 0.95, box.y + box.height / 2);
    await page.waitForFunction(
      (n) => document.querySelectorAll('canvas[data-crosshair]').length === n,
      count,
    );
    const instants = await page.$$eval('canvas', (cs) => cs.map((c) => c.dataset.crosshair));
    expect(new Set(instants).size).toBe(1);
    // One tooltip per chart listing every series' value at that instant, with units.
    const rate = await canvas.getAttribute('data-tooltip');
    expect(rate?.split('\n')).toHaveLength(3);
    for (const line of rate!.split('\n')) expect(line).toMatch(/^(dev|prod|qa): [\d.]+k? req\/s$/);
    const p95 = await page
      .locator('figure[data-chart="Latency p95"] canvas')
      .getAttribute('data-tooltip');
    for (const line of p95!.split('\n')) expect(line).toMatch(/^(dev|prod|qa): [\d.]+ (µs|ms|s)$/);
    await page.screenshot({ path: join(SCREENSHOTS, 'crosshair.png'), fullPage: true });
    await page.mouse.move(5, 5);
    await page.waitForFunction(
      () => document.querySelectorAll('canvas[data-crosshair]').length === 0,
    );
  });

  it('dragging zooms every chart into a range the URL keeps; double-click goes back', async () => {
    await openMetricsWithData('/metrics?range=15m&env=all', 6);
    const canvas = page.locator('figure[data-chart="Latency p95"] canvas');
    const box = (await canvas.boundingBox())!;
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.4, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, y, { steps: 4 });
    await page.mouse.move(box.x + box.width * 0.8, y, { steps: 4 });
    await page.mouse.up();
    await page.waitForURL(/from=.*to=/);
    const params = new URL(page.url()).searchParams;
    expect(params.get('range')).toBeNull();
    expect(params.get('env')).toBe('all');
    const from = Date.parse(params.get('from')!);
    const to = Date.parse(params.get('to')!);
    expect(to - from).toBeGreaterThan(60_000);
    expect(to - from).toBeLessThan(15 * 60_000 * 0.6);
    // The range inputs show the URL's range.
    await expect(page.inputValue('input[name="from"]')).resolves.not.toBe('');
    await expect(page.locator('button[aria-pressed="true"]').count()).resolves.toBe(0);
    await canvas.dblclick({ position: { x: box.width / 2, y: box.height / 2 } });
    await page.waitForURL(/range=15m/);
    expect(new URL(page.url()).searchParams.get('from')).toBeNull();
  });

  it('draws injected faults and firing alerts as bands on the charts they explain', async () => {
    await putFault({ errorRate: 1 });
    try {
      await open(url('/metrics?range=5m&env=prod&refresh=off'));
      const errors = page.locator('figure[data-chart="Error rate (5xx share)"]');
      await until(
        async () => (await errors.locator('li[data-band="fault"]').count()) > 0,
        'an error-fault band',
        60_000,
      );
      expect(
        Number(await errors.locator('canvas').getAttribute('data-bands-drawn')),
      ).toBeGreaterThan(0);
      await expect(errors.locator('li[data-band="fault"]').first().textContent()).resolves.toMatch(
        /^error fault · prod · /,
      );
      // The request-rate chart explains nothing about it.
      await expect(
        page.locator('figure[data-chart="Request rate"]').getAttribute('data-bands'),
      ).resolves.toBe('0');
      // HighErrorRatio fires after the stack's symptomFor (1m in the local stack).
      await until(
        async () => (await errors.locator('li[data-band="alert"]').count()) > 0,
        'a HighErrorRatio band',
        150_000,
      );
      await expect(errors.locator('li[data-band="alert"]').first().textContent()).resolves.toMatch(
        /^HighErrorRatio · prod · /,
      );
      await page.screenshot({ path: join(SCREENSHOTS, 'annotations.png'), fullPage: true });
    } finally {
      await clearFaults();
    }
  }, 240_000);

  it('auto refresh keeps refreshing: three intervals, three data requests', async () => {
    await open(url('/metrics?range=5m&every=5s'));
    let requests = 0;
    const count = (r: { url(): string }) => {
      if (r.url().includes('/metrics/__data.json')) requests += 1;
    };
    page.on('request', count);
    await page.waitForTimeout(3 * 5000 + 1500);
    page.off('request', count);
    expect(requests).toBeGreaterThanOrEqual(3);
    expect(requests).toBeLessThanOrEqual(4);
    await expect(page.locator('label.refresh').getAttribute('data-refresh')).resolves.toBe(
      'running',
    );
    // Leaving the page stops it: no data request for /metrics after navigating away.
    await page.click('nav a[href="/slo"]');
    await page.waitForURL(/\/slo$/);
    requests = 0;
    page.on('request', count);
    await page.waitForTimeout(6000);
    page.off('request', count);
    expect(requests).toBe(0);
  });

  it('an empty past range says so, with no favicon 404', async () => {
    const missing: string[] = [];
    page.on('response', (r) => {
      if (r.status() === 404) missing.push(r.url());
    });
    const from = new Date(Date.now() - 20 * 86_400_000).toISOString();
    const to = new Date(Date.now() - 19 * 86_400_000).toISOString();
    await open(url(`/metrics?from=${from}&to=${to}`));
    await expect(
      page.locator('figure[data-chart="Request rate"] .empty').textContent(),
    ).resolves.toMatch(/no data in this range/);
    await expect(page.locator('[data-card="rate"] .value').textContent()).resolves.toBe(
      'no traffic',
    );
    expect(missing).toEqual([]);
  });

  it('creates a silence prefilled from an alert, shows errors inline, and expires it', async () => {
    // The platform's own dashboard, over plain http: its server entry (serve.js) tells
    // SvelteKit's CSRF check the scheme, so form posts are accepted (docs/dashboard.md).
    const dashboard = { url: platform.outputs.dashboardUrl! };
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    contexts.push(context);
    const p = await context.newPage();
    const am = platform.outputs.alertmanagerUrl!;
    const deadline = Date.now() + 30_000;
    do {
      await p.goto(`${dashboard.url}/alerts`);
      await p.waitForSelector('html[data-hydrated]');
    } while ((await p.locator('tr[data-alert="Watchdog"]').count()) === 0 && Date.now() < deadline);
    await p.locator('tr[data-alert="Watchdog"] button', { hasText: 'Silence' }).click();
    await expect(p.inputValue('input[name="name"] >> nth=0')).resolves.toBe('alertname');
    await expect(p.inputValue('input[name="value"] >> nth=0')).resolves.toBe('Watchdog');
    // Invalid: errors next to their fields, nothing sent to Alertmanager.
    await p.fill('input[name="duration"]', '90d');
    await p.fill('textarea[name="comment"]', 'x');
    await p.fill('input[name="createdBy"]', 'ops');
    await p.click('button:has-text("Create silence")');
    await expect(p.locator('label:has(input[name="duration"]) .error').textContent()).resolves.toBe(
      'between 1m and 30d',
    );
    await expect(p.locator('label.comment .error').textContent()).resolves.toMatch(/3 to 500/);
    await p.fill('input[name="duration"]', '1h');
    await p.fill('textarea[name="comment"]', 'browser test: silence the Watchdog');
    await p.click('button:has-text("Create silence")');
    await expect(p.getByRole('status').textContent()).resolves.toMatch(/Silence .+ created/);
    const row = p.locator('tr[data-silence]', { hasText: 'browser test' });
    await row.waitFor();
    const id = (await row.getAttribute('data-silence'))!;
    const silence = (await (await fetch(`${am}/api/v2/silence/${id}`)).json()) as {
      status: { state: string };
      matchers: Array<{ name: string; value: string }>;
      createdBy: string;
    };
    expect(silence.status.state).toBe('active');
    expect(silence.createdBy).toBe('ops');
    expect(silence.matchers).toContainEqual(
      expect.objectContaining({ name: 'alertname', value: 'Watchdog' }),
    );
    await p.screenshot({ path: join(SCREENSHOTS, 'silence.png'), fullPage: true });
    await row.locator('button', { hasText: 'Expire' }).click();
    await row.waitFor({ state: 'detached' });
    const expired = (await (await fetch(`${am}/api/v2/silence/${id}`)).json()) as {
      status: { state: string };
    };
    expect(expired.status.state).toBe('expired');
  });
});
