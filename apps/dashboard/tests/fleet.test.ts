import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStackConfigFile } from '../../../infra/config.ts';
import { startPlatform, type RunningPlatform } from '../../../infra/process/platform.ts';
import {
  eventually,
  fastIntervals,
  findPortOffset,
  startTraffic,
} from '../../../infra/process/test-support.ts';
import { launchChromium, SCREENSHOTS } from './support.ts';

// The dashboard at fleet size: the process-mode platform with 120 simulated data planes beside
// the stack's three real ones (40 customers more), driven in headless Chromium. The simulated
// planes drift, so a plane's health may change between two loads: the assertions compare what
// one page says with itself (counts with rows, the sort with the values shown), not with a
// fixed health.

const FLEET = 120;

let platform: RunningPlatform;
let browser: Browser;
let page: Page;
let stopTraffic: () => void = () => {};
let planes: number;
let customers: number;

beforeAll(async () => {
  const offset = await findPortOffset(
    readStackConfigFile('local', join(import.meta.dirname, '../../..')),
  );
  platform = await startPlatform({
    stack: 'local',
    fleet: FLEET,
    portOffset: offset,
    runDir: mkdtempSync(join(tmpdir(), 'outpost-fleet-')),
    overrides: fastIntervals,
  });
  expect(
    platform.outputs.dashboardUrl,
    'build the dashboard first: npm run build -w @outpost/dashboard',
  ).toBeTruthy();
  planes = platform.outputs.dataPlanes.length;
  customers = new Set(platform.outputs.dataPlanes.map((dp) => dp.customer)).size;
  stopTraffic = startTraffic(
    platform.outputs.dataPlanes.filter((dp) => !dp.simulated).map((dp) => dp.apiUrl),
  );
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
});

afterAll(async () => {
  stopTraffic();
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
  timeoutMs = 45_000,
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

const rows = () => page.locator('tr[data-row]');
const rowIds = () => rows().evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-row')!));
/** The counts at the top: { all, down, unknown, up, firing }. */
const counts = () =>
  page
    .locator('[data-testid="counts"] a')
    .evaluateAll((links) =>
      Object.fromEntries(
        links.map((a) => [
          a.getAttribute('data-count'),
          Number(a.querySelector('strong')!.textContent),
        ]),
      ),
    ) as Promise<Record<string, number>>;
/** One column's raw values, top to bottom (null where the plane has none). */
const column = (col: string) =>
  page
    .locator(`tr[data-row] td[data-col="${col}"]`)
    .evaluateAll((tds) =>
      tds.map((td) =>
        td.hasAttribute('data-value') ? Number(td.getAttribute('data-value')) : null,
      ),
    );
const param = (name: string) => new URL(page.url()).searchParams.get(name);

/** Numbers in order (largest first for desc), missing values only at the end. */
function ordered(values: Array<number | null>, dir: 'asc' | 'desc'): boolean {
  const firstNull = values.indexOf(null);
  const numbers = (firstNull === -1 ? values : values.slice(0, firstNull)) as number[];
  if (firstNull !== -1 && values.slice(firstNull).some((v) => v !== null)) return false;
  return numbers.every(
    (v, i) => i === 0 || (dir === 'desc' ? numbers[i - 1]! >= v : numbers[i - 1]! <= v),
  );
}

describe('the overview with 123 planes', () => {
  it('shows every plane, grouped by customer, the counts adding up', async () => {
    await open(url('/'));
    await until(
      async () =>
        (await rows().count()) === planes &&
        (await page.locator('td[data-col="rate"][data-value]').count()) >= FLEET,
      `${planes} rows with request rates`,
    );
    const c = await counts();
    expect(c.all).toBe(planes);
    expect(c.down! + c.unknown! + c.up!).toBe(planes);
    expect(await page.locator('tbody[data-customer]').count()).toBe(customers);
    await expect(page.getByTestId('shown').textContent()).resolves.toMatch(
      new RegExp(`^\\s*${planes} data planes`),
    );
    // Worst first: no plane that is UP without alerts comes before one that is DOWN.
    const statuses = await rows().evaluateAll((trs) => trs.map((tr) => tr.dataset.status));
    if (statuses.includes('DOWN')) expect(statuses.indexOf('DOWN')).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'fleet-overview.png') });
  });

  it('searches as you type, keeping the focus; the URL carries the search', async () => {
    await open(url('/'));
    await page.locator('input[name="q"]').pressSequentially('cust-01', { delay: 30 });
    await page.waitForURL(/[?&]q=cust-01(&|$)/);
    await eventually('30 rows of customers cust-010 to cust-019', async () => {
      const ids = await rowIds();
      return ids.length === 30 && ids.every((id) => id.startsWith('cust-01'));
    });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('q');
    expect((await counts()).all).toBe(30);
    await expect(page.getByTestId('shown').textContent()).resolves.toMatch(
      new RegExp(`30 of ${planes} data planes`),
    );
  });

  it('filters by environment and customer; counts follow, the URL keeps every choice', async () => {
    await open(url('/?q=cust-01'));
    await page.selectOption('select[name="env"]', 'prod');
    await page.waitForURL(/env=prod/);
    await eventually(
      'the prod planes of cust-010..019',
      async () => (await rowIds()).length === 10,
    );
    expect((await rowIds()).every((id) => id.endsWith('-prod-01'))).toBe(true);
    expect(param('q')).toBe('cust-01');

    await page.selectOption('select[name="customer"]', 'cust-014');
    await page.waitForURL(/customer=cust-014/);
    await eventually('one plane', async () => (await rowIds()).join() === 'cust-014-prod-01');
    expect((await counts()).all).toBe(1);
    expect([param('q'), param('env'), param('customer')]).toEqual(['cust-01', 'prod', 'cust-014']);

    await page.getByRole('link', { name: 'Clear filters' }).first().click();
    await page.waitForURL((u) => u.search === '');
    await eventually('every plane again', async () => (await rowIds()).length === planes);
  });

  it('filters by status from the counts: the rows are the count, each with that status', async () => {
    await open(url('/'));
    await page.locator('[data-testid="counts"] a[data-count="up"]').click();
    await page.waitForURL(/status=up/);
    await page.waitForSelector('[data-testid="counts"] a[data-count="up"][aria-current="true"]');
    const statuses = await rows().evaluateAll((trs) => trs.map((tr) => tr.dataset.status));
    // Counts and rows come from the same load.
    expect(statuses.length).toBe((await counts()).up);
    expect(statuses.every((s) => s === 'UP')).toBe(true);
    expect(statuses.length).toBeGreaterThan(0);
  });

  it('sorts by any column from the keyboard, both ways, missing values last', async () => {
    await open(url('/?group=none'));
    await until(async () => (await rows().count()) === planes, 'every plane');
    const header = page.locator('button[data-sort="errors"]');
    await header.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/sort=errors/);
    await page.waitForSelector('th[aria-sort="descending"] button[data-sort="errors"]');
    expect(ordered(await column('errors'), 'desc')).toBe(true);
    expect(param('dir')).toBeNull(); // the column's own direction is the default
    // The focus stays on the header, so Enter again reverses it.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-sort'))).toBe(
      'errors',
    );
    await page.keyboard.press('Enter');
    await page.waitForURL(/dir=asc/);
    await page.waitForSelector('th[aria-sort="ascending"] button[data-sort="errors"]');
    expect(ordered(await column('errors'), 'asc')).toBe(true);

    await page.locator('button[data-sort="p95"]').click();
    await page.waitForURL(/sort=p95/);
    await page.waitForSelector('th[aria-sort="descending"] button[data-sort="p95"]');
    expect(ordered(await column('p95'), 'desc')).toBe(true);
    expect(param('dir')).toBeNull();
    expect(param('group')).toBe('none');

    await page.locator('button[data-sort="plane"]').click();
    await page.waitForURL(/sort=plane/);
    await page.waitForSelector('th[aria-sort="ascending"] button[data-sort="plane"]');
    const ids = await rowIds();
    expect(ids).toEqual([...ids].sort((a, b) => a.localeCompare(b)));
  });

  it('collapses and expands a customer with Space and Enter', async () => {
    await open(url('/?customer=cust-007'));
    const toggle = page.locator('tbody[data-customer="cust-007"] button.toggle');
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true');
    expect(await rows().count()).toBe(3);
    await toggle.focus();
    await page.keyboard.press('Space');
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false');
    expect(await rows().count()).toBe(0);
    await page.keyboard.press('Enter');
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true');
    expect(await rows().count()).toBe(3);
  });

  it('ignores a parameter it does not accept, saying so, and still lands', async () => {
    const response = await page.goto(url('/?status=sideways&sort=colour'));
    expect(response?.status()).toBe(200);
    await expect(page.locator('p.note').allTextContents()).resolves.toEqual([
      'status=sideways ignored: accepted are down, unknown, up, firing',
      expect.stringMatching(/^sort=colour ignored: accepted are worst, status, plane/),
    ]);
    expect(await rows().count()).toBe(planes);
  });
});

describe('the metrics page with 123 planes', () => {
  it('draws the top 5 planes per chart and one series for the others, the legend saying how many', async () => {
    await open(url('/metrics?by=data_plane&refresh=off'));
    const rate = page.locator('figure[data-chart="Request rate"]');
    let hidden = 0;
    await until(async () => {
      const legend = await rate.locator('.legend li').allTextContents();
      const others = /^\+ (\d+) others \(mean\)$/.exec(legend.at(-1)?.trim() ?? '');
      hidden = Number(others?.[1] ?? 0);
      return (await rate.getAttribute('data-series')) === '6' && hidden >= FLEET - 5;
    }, 'five planes and "+ N others" on the request-rate chart');
    expect(hidden).toBeLessThanOrEqual(planes - 5);
    const legend = await rate.locator('.legend li').allTextContents();
    expect(legend.slice(0, 5).every((name) => /-(prod|dev|qa)-01$/.test(name.trim()))).toBe(true);
    await expect(page.getByTestId('top-note').textContent()).resolves.toMatch(
      /the 5\s+data planes with the highest mean/,
    );
    await expect(
      page.locator('figure[data-chart="Error rate (5xx share)"] .legend li').last().textContent(),
    ).resolves.toMatch(/^\+ \d+ others \(overall\)$/);
    await page.screenshot({ path: join(SCREENSHOTS, 'fleet-metrics.png') });

    await page.selectOption('select[name="top"]', '3');
    await page.waitForURL(/top=3/);
    await eventually(
      'three planes and others',
      async () => (await rate.getAttribute('data-series')) === '4',
    );
    expect(param('by')).toBe('data_plane');
  });

  it("keeps customer=: one customer's three planes are drawn without others", async () => {
    await open(url('/metrics?by=data_plane&customer=cust-002&refresh=off'));
    const rate = page.locator('figure[data-chart="Request rate"]');
    await until(
      async () => (await rate.getAttribute('data-series')) === '3',
      "cust-002's three planes",
    );
    const legend = (await rate.locator('.legend li').allTextContents()).map((s) => s.trim());
    expect(legend).toEqual(['cust-002-dev-01', 'cust-002-prod-01', 'cust-002-qa-01']);
    await expect(page.getByTestId('top-note').count()).resolves.toBe(0);
  });
});
