import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStackConfigFile } from '../../../infra/config.ts';
import { startPlatform, type RunningPlatform } from '../../../infra/process/platform.ts';
import {
  fastIntervals,
  findPortOffset,
  startTraffic,
} from '../../../infra/process/test-support.ts';
import { launchChromium, SCREENSHOTS, startDashboard } from './support.ts';

// The built dashboard on the process-mode platform: real Prometheus, Alertmanager, three APIs
// and traffic, driven in headless Chromium. Screenshots land in apps/dashboard/test-results/.

let platform: RunningPlatform;
let browser: Browser;
let page: Page;
let stopTraffic: () => void = () => {};
const extra: ChildProcess[] = [];

beforeAll(async () => {
  const offset = await findPortOffset(
    readStackConfigFile('local', join(import.meta.dirname, '../../..')),
  );
  platform = await startPlatform({
    stack: 'local',
    portOffset: offset,
    runDir: mkdtempSync(join(tmpdir(), 'outpost-browser-')),
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
  for (const child of extra) child.kill();
  await browser?.close();
  await platform?.stop();
});

const url = (path: string) => `${platform.outputs.dashboardUrl}${path}`;

/** Opens a page and waits until it is hydrated, so clicks and selects reach their handlers. */
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
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('dashboard in Chromium', () => {
  it('landing shows every data plane UP', async () => {
    await page.goto(url('/'));
    await until(
      async () => (await page.locator('article[data-status="UP"]').count()) === 3,
      'three planes UP',
    );
    for (const id of ['acme-prod-01', 'acme-dev-01', 'acme-qa-01']) {
      await expect(page.locator(`article[data-plane="${id}"] .status`).textContent()).resolves.toBe(
        'UP',
      );
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'landing.png'), fullPage: true });
  });

  it('a hung API behind its live collector shows DOWN within two scrape intervals, and UP again', async () => {
    await page.goto(url('/'));
    const api = platform.child('acme-dev-api');
    process.kill(api.pid!, 'SIGSTOP');
    try {
      await until(
        async () =>
          (await page.locator('article[data-plane="acme-dev-01"]').getAttribute('data-status')) ===
          'DOWN',
        'dev DOWN',
      );
      await expect(
        page.locator('article[data-plane="acme-prod-01"]').getAttribute('data-status'),
      ).resolves.toBe('UP');
    } finally {
      process.kill(api.pid!, 'SIGCONT');
    }
    await until(
      async () =>
        (await page.locator('article[data-plane="acme-dev-01"]').getAttribute('data-status')) ===
        'UP',
      'dev UP again',
    );
  });

  it('metrics page draws charts with data for every environment', async () => {
    await page.goto(url('/metrics'));
    const rate = page.locator('figure[data-chart="Request rate"]');
    await until(
      async () =>
        (await rate.getAttribute('data-series')) === '3' &&
        Number(await rate.getAttribute('data-points')) >= 6,
      'a request-rate series with points for every environment',
    );
    await expect(page.locator('figure[data-chart="Latency p95"] canvas').count()).resolves.toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'metrics.png'), fullPage: true });
  });

  it('changing environment and range changes the URL and the charts', async () => {
    await open(url('/metrics'));
    await page.selectOption('select[name="env"]', 'prod');
    await page.waitForURL(/env=prod/);
    await until(
      async () =>
        (await page.locator('figure[data-chart="Request rate"]').getAttribute('data-series')) ===
        '1',
      'one series',
    );
    await page.getByRole('button', { name: '15m' }).click();
    await page.waitForURL(/range=15m/);
    expect(new URL(page.url()).searchParams.get('env')).toBe('prod');
    await expect(page.locator('button[aria-pressed="true"]').textContent()).resolves.toBe('15m');
  });

  it('answers a bad URL parameter with a 400 saying what is accepted', async () => {
    const response = await page.goto(url('/metrics?range=7m'));
    expect(response?.status()).toBe(400);
    await expect(page.content()).resolves.toMatch(/accepted are 5m, 15m, 1h, 6h, 24h/);
  });

  it('the SLO page shows every objective', async () => {
    await page.goto(url('/slo'));
    await expect(page.locator('li[data-slo]').count()).resolves.toBe(platform.outputs.slos.length);
    await expect(page.locator('tr[data-row]').count()).resolves.toBe(
      platform.outputs.slos.length * 3,
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'slo.png'), fullPage: true });
  });

  it('the alerts page lists the Watchdog with its runbook', async () => {
    await page.goto(url('/alerts'));
    await until(
      async () => (await page.locator('tr[data-alert="Watchdog"]').count()) === 1,
      'the Watchdog',
    );
    await expect(page.locator('tr[data-alert="Watchdog"] a').getAttribute('href')).resolves.toMatch(
      /runbooks\/Watchdog\.md$/,
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'alerts.png'), fullPage: true });
  });

  it('the targets page lists every scrape job with its health (Prometheus ships no UI here)', async () => {
    await page.goto(url('/targets'));
    await until(
      async () =>
        (await page
          .locator('section[data-job="data-plane-acme-prod-01"] tr[data-health="up"]')
          .count()) === 1,
      "prod's collector up",
    );
    for (const job of [
      'prometheus',
      'alertmanager',
      'thanos-query',
      'gateway',
      'collector-acme-dev-01',
    ])
      await expect(page.locator(`section[data-job="${job}"]`).count(), job).resolves.toBe(1);
    // qa pushes: no target of its own.
    await expect(page.locator('section[data-job="data-plane-acme-qa-01"]').count()).resolves.toBe(
      0,
    );
  });

  it('explore runs PromQL through the server and draws the result', async () => {
    await page.goto(
      url(
        '/explore?q=sum%20by%20(environment)%20(data_plane%3Ahttp_server_requests%3Arate1m)&range=5m',
      ),
    );
    await page.locator('.cm-content').waitFor();
    await until(
      async () =>
        (await page.locator('figure[data-chart="Result"]').getAttribute('data-series')) === '3',
      'three result series',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'explore.png'), fullPage: true });
  });

  it('shows a banner when Prometheus is unreachable, and the page still renders', async () => {
    const dead = {
      ...platform.outputs,
      queryUrl: 'http://127.0.0.1:9',
      prometheusUrl: 'http://127.0.0.1:9',
    };
    const dashboard = await startDashboard(dead);
    extra.push(dashboard.child);
    const response = await page.goto(`${dashboard.url}/metrics`);
    expect(response?.status()).toBe(200);
    await expect(page.getByTestId('prometheus-down').textContent()).resolves.toMatch(
      /Prometheus unreachable/,
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'prometheus-down.png'), fullPage: true });
  });

  it('with auth on, every page and API route needs a login', async () => {
    const dashboard = await startDashboard(platform.outputs, {
      DASHBOARD_AUTH_USER: 'ops',
      DASHBOARD_AUTH_PASSWORD: 'correct horse',
      DASHBOARD_SESSION_SECRET: 's'.repeat(40),
    });
    extra.push(dashboard.child);
    expect((await fetch(`${dashboard.url}/api/query?q=up`)).status).toBe(401);
    expect((await fetch(`${dashboard.url}/healthz`)).status).toBe(200);
    await page.goto(`${dashboard.url}/metrics`);
    await page.waitForURL(/\/login\?next=%2Fmetrics/);
    await page.waitForSelector('html[data-hydrated]');
    await page.fill('input[name="user"]', 'ops');
    await page.fill('input[name="password"]', 'wrong');
    await page.click('button');
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/wrong user or password/);
    await page.fill('input[name="password"]', 'correct horse');
    await page.click('button');
    await page.waitForURL(/\/metrics$/);
    const cookie = (await page.context().cookies()).find((c) => c.name === 'outpost_session');
    expect(cookie?.httpOnly).toBe(true);
  });
});
