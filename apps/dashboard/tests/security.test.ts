import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD, freePort, launchChromium, SCREENSHOTS, startDashboard } from './support.ts';

// The dashboard's defences, on the built dashboard (`npm run build -w @outpost/dashboard` first)
// against a fake Prometheus and Alertmanager served here: sign-in throttling, sign-out, start-up
// refusal of weak settings, security headers and a CSP that every page works under (Chromium),
// and the cap on what is read from Prometheus. No platform needed.

const MiB = 1024 * 1024;
const AUTH = {
  DASHBOARD_AUTH_USER: 'ops',
  DASHBOARD_AUTH_PASSWORD: 'correct horse battery',
  DASHBOARD_SESSION_SECRET: 's'.repeat(40),
};
const PLANES = [
  ['acme-prod-01', 'prod'],
  ['acme-dev-01', 'dev'],
  ['acme-qa-01', 'qa'],
] as const;

let upstream: Server;
let upstreamUrl: string;
let browser: Browser;
const children: ChildProcess[] = [];

/** What the fake sent of its last oversized answer, and whether the dashboard hung up early. */
let streamed = { bytes: 0, closedEarly: false };

/** Writes a valid matrix answer of about `total` bytes, honouring back-pressure. */
async function streamMatrix(res: ServerResponse, total: number): Promise<void> {
  streamed = { bytes: 0, closedEarly: false };
  res.writeHead(200, { 'content-type': 'application/json' });
  const series = (i: number) =>
    JSON.stringify({
      metric: { __name__: 'huge', instance: `i-${i}`, pad: 'x'.repeat(200) },
      values: Array.from({ length: 250 }, (_, t) => [1_700_000_000 + t, '1']),
    });
  const send = (text: string) => {
    streamed.bytes += Buffer.byteLength(text);
    return res.write(text);
  };
  send('{"status":"success","data":{"resultType":"matrix","result":[');
  for (let i = 0; streamed.bytes < total; i += 1) {
    if (res.destroyed) {
      streamed.closedEarly = true;
      return;
    }
    if (!send(`${i ? ',' : ''}${series(i)}`)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done).off('close', done);
          resolve();
        };
        res.on('drain', done).on('close', done);
      });
    }
  }
  res.end(']}}');
}

/** Prometheus and Alertmanager, as far as the pages and the editor ask them. */
function fakeUpstream(): Server {
  return createServer((req, res) => {
    const url = new URL(req.url!, 'http://fake');
    const query = url.searchParams.get('query') ?? '';
    const now = Math.floor(Date.now() / 1000);
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const success = (data: unknown) => json({ status: 'success', data });
    const labels = (id: string, environment: string) => ({
      data_plane: id,
      environment,
      customer: 'acme',
    });
    switch (url.pathname) {
      case '/api/v1/query':
        return success({
          resultType: 'vector',
          result: PLANES.map(([id, env]) => ({ metric: labels(id, env), value: [now, '0.25'] })),
        });
      case '/api/v1/query_range':
        if (query.includes('huge')) return void streamMatrix(res, 32 * MiB);
        return success({
          resultType: 'matrix',
          result: PLANES.map(([id, env], k) => ({
            metric: labels(id, env),
            values: Array.from({ length: 30 }, (_, i) => [
              now - 300 + i * 10,
              String(1 + k + Math.sin(i / 3)),
            ]),
          })),
        });
      case '/api/v1/series':
        if (url.searchParams.getAll('match[]').some((m) => m.includes('huge')))
          return void streamMatrix(res, 32 * MiB);
        return success([{ __name__: 'up', job: 'data-plane-acme-prod-01' }]);
      case '/api/v1/alerts':
        return success({ alerts: [] });
      case '/api/v1/labels':
        return success(['__name__', 'environment', 'job']);
      case '/api/v1/label/__name__/values':
        return success(['up', 'data_plane:http_server_requests:rate1m']);
      case '/api/v1/metadata':
        return success({ up: [{ type: 'gauge', help: 'Target up.', unit: '' }] });
      case '/api/v2/silences':
        return json([]);
      case '/-/ready':
        res.writeHead(200).end('ready');
        return;
      default:
        res.writeHead(404).end('not found');
    }
  });
}

function outputs() {
  return {
    stack: 'security',
    platform: 'process',
    dashboardUrl: null,
    queryUrl: upstreamUrl,
    prometheusUrl: upstreamUrl,
    alertmanagerUrl: upstreamUrl,
    scrapeInterval: '10s',
    slos: [{ name: 'availability', objective: 0.995, window: '28d' }],
    dataPlanes: PLANES.map(([id, environment]) => ({
      name: id.replace(/-01$/, ''),
      id,
      customer: 'acme',
      environment,
      apiUrl: 'http://127.0.0.1:9',
      metricsUrl: null,
    })),
  };
}

/** A fresh dashboard with the login on (each test its own, so throttling state never leaks). */
async function dashboard(env: Record<string, string> = {}): Promise<string> {
  const started = await startDashboard(outputs(), { ...AUTH, ...env });
  children.push(started.child);
  return started.url;
}

function signIn(url: string, password: string, headers: Record<string, string> = {}) {
  return fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ user: 'ops', password }),
  });
}

/**
 * The most failures answered (not 429) in `seconds` from one key: 5, then one more each time a
 * wait (1 s, 2 s, 4 s, ...) ran out.
 */
const answeredAtMost = (seconds: number) => 5 + Math.ceil(Math.log2(seconds + 1));

/** The session cookie (`name=value`) of a successful sign-in. */
async function sessionCookie(url: string): Promise<string> {
  const res = await signIn(url, AUTH.DASHBOARD_AUTH_PASSWORD);
  expect(res.status).toBe(200);
  return res.headers.getSetCookie()[0]!.split(';')[0]!;
}

beforeAll(async () => {
  upstream = fakeUpstream();
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  for (const child of children) child.kill();
  await browser?.close();
  await new Promise<void>((r) => upstream?.close(() => r()));
});

describe('start-up', () => {
  /** Runs the built dashboard with `env` and returns how it exited and what it said. */
  async function start(env: Record<string, string>) {
    const port = await freePort();
    const child = spawn(process.execPath, [DASHBOARD], {
      env: {
        PATH: process.env.PATH ?? '',
        HOST: '127.0.0.1',
        PORT: String(port),
        DASHBOARD_CONFIG: JSON.stringify(outputs()),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), 10_000);
      child.on('exit', (c) => (clearTimeout(timer), resolve(c)));
    });
    return { code, output };
  }

  it.each([
    [
      'an 11-character password',
      { DASHBOARD_AUTH_PASSWORD: 'elevenchars' },
      /DASHBOARD_AUTH_PASSWORD is too weak: it must be at least 12 characters and not only whitespace \(it has 11\)/,
    ],
    [
      'a password of 12 spaces',
      { DASHBOARD_AUTH_PASSWORD: ' '.repeat(12) },
      /DASHBOARD_AUTH_PASSWORD is too weak: .*\(it is only whitespace\)/,
    ],
    [
      'a 31-character session secret',
      { DASHBOARD_SESSION_SECRET: 'x'.repeat(31) },
      /DASHBOARD_SESSION_SECRET is too short: it must be at least 32 characters.*\(it has 31\)/,
    ],
  ])('exits with a message naming the variable and the rule for %s', async (_, weak, message) => {
    const { code, output } = await start({ ...AUTH, ...weak });
    expect(code).toBe(1);
    expect(output).toMatch(/^dashboard: refusing to start: /);
    expect(output).toMatch(message);
    expect(output).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it('draws the password line at 12 characters', async () => {
    expect((await start({ ...AUTH, DASHBOARD_AUTH_PASSWORD: 'eleven char' })).code).toBe(1);
    const url = await dashboard({ DASHBOARD_AUTH_PASSWORD: 'twelve chars' });
    expect((await signIn(url, 'twelve chars')).status).toBe(200);
  });
});

describe('sign-in throttling', () => {
  it('answers 2000 wrong passwords from one address with 429 after the first few', async () => {
    const url = await dashboard();
    const statuses = new Map<number, number>();
    const retryAfter = new Set<string | null>();
    const started = performance.now();
    for (let batch = 0; batch < 20; batch += 1) {
      const answers = await Promise.all(
        Array.from({ length: 100 }, (_, i) => signIn(url, `guess-${batch}-${i}`)),
      );
      for (const res of answers) {
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 429) retryAfter.add(res.headers.get('retry-after'));
        await res.body?.cancel();
      }
    }
    const seconds = (performance.now() - started) / 1000;
    console.info(
      `2000 wrong passwords in ${seconds.toFixed(2)} s: ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    const answered = statuses.get(401) ?? 0;
    expect(answered).toBeGreaterThanOrEqual(5);
    expect(answered).toBeLessThanOrEqual(answeredAtMost(seconds));
    expect(statuses.get(429)).toBe(2000 - answered);
    for (const value of retryAfter) expect(value).toMatch(/^[1-9]\d*$/);

    // The right password waits too: while a wait is on, nothing is checked.
    const right = await signIn(url, AUTH.DASHBOARD_AUTH_PASSWORD);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await expect(right.json()).resolves.toEqual({
      message: expect.stringMatching(/^too many failed sign-ins: try again in \d+ s$/),
    });
  });

  it('throttles one user name guessed from many addresses; a success clears it', async () => {
    // Behind a proxy the dashboard takes the client from X-Forwarded-For (adapter-node).
    const url = await dashboard({ ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1' });
    let n = 0;
    const from = () => ({ 'x-forwarded-for': `10.1.${Math.floor(n / 250)}.${n++ % 250}` });
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) => signIn(url, `guess-${i}`, from())),
    );
    const answered = answers.filter((r) => r.status === 401).length;
    expect(answered).toBeLessThanOrEqual(answeredAtMost((performance.now() - started) / 1000));
    expect(answers.filter((r) => r.status === 429)).toHaveLength(300 - answered);

    const blocked = await signIn(url, AUTH.DASHBOARD_AUTH_PASSWORD, from());
    expect(blocked.status).toBe(429);
    await new Promise((r) => setTimeout(r, Number(blocked.headers.get('retry-after')) * 1000));
    expect((await signIn(url, AUTH.DASHBOARD_AUTH_PASSWORD, from())).status).toBe(200);
    // Counted from zero again: five more failures are answered before the next wait.
    for (let i = 0; i < 5; i += 1) expect((await signIn(url, 'typo', from())).status).toBe(401);
    expect((await signIn(url, 'typo', from())).status).toBe(429);
  });

  it('throttles one address whatever user names it tries', async () => {
    const url = await dashboard({ ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1' });
    const statuses = [];
    const started = performance.now();
    for (let i = 0; i < 20; i += 1) {
      const res = await fetch(`${url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.7' },
        body: JSON.stringify({ user: `user-${i}`, password: 'nope' }),
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const answered = statuses.filter((s) => s === 401).length;
    expect(answered).toBeLessThanOrEqual(answeredAtMost((performance.now() - started) / 1000));
    expect(statuses.filter((s) => s === 429)).toHaveLength(20 - answered);
    // Another address is not affected.
    const other = await signIn(url, AUTH.DASHBOARD_AUTH_PASSWORD, {
      'x-forwarded-for': '192.0.2.8',
    });
    expect(other.status).toBe(200);
  });
});

describe('sign-out', () => {
  it('ends the session on the server: the old cookie is refused afterwards', async () => {
    const url = await dashboard();
    const cookie = await sessionCookie(url);
    const elsewhere = await sessionCookie(url); // the same user in another browser
    const get = (path: string, c: string) =>
      fetch(`${url}${path}`, { headers: { cookie: c }, redirect: 'manual' });
    expect((await get('/api/query?q=up', cookie)).status).toBe(200);
    expect((await get('/metrics', cookie)).status).toBe(200);

    // JSON, not a bare DELETE: over plain http SvelteKit 3 takes the request for https and
    // refuses a bare one as a cross-site form (403) before any of our code runs.
    const out = await fetch(`${url}/api/session`, {
      method: 'DELETE',
      headers: { cookie, 'content-type': 'application/json' },
    });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie()[0]).toMatch(/^outpost_session=;.*Max-Age=0/);

    // A copy of the cookie kept by someone else is now worthless.
    expect((await get('/api/query?q=up', cookie)).status).toBe(401);
    const page = await get('/metrics', cookie);
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Fmetrics');
    expect((await get('/api/query?q=up', elsewhere)).status).toBe(200);
  });
});

describe('security headers', () => {
  it('are on pages, API answers, redirects and refusals', async () => {
    const url = await dashboard();
    const cookie = await sessionCookie(url);
    const withCookie = { headers: { cookie }, redirect: 'manual' } as const;
    const answers = {
      'login page': await fetch(`${url}/login`),
      'metrics page': await fetch(`${url}/metrics`, withCookie),
      'unknown page': await fetch(`${url}/no-such-page`, withCookie),
      'API answer': await fetch(`${url}/api/query?q=up`, withCookie),
      'API refusal': await fetch(`${url}/api/query?q=up`),
      'redirect to login': await fetch(`${url}/metrics`, { redirect: 'manual' }),
      'health check': await fetch(`${url}/healthz`),
      'failed sign-in': await signIn(url, 'wrong'),
    };
    const pages = ['login page', 'metrics page', 'unknown page'];
    for (const [what, res] of Object.entries(answers)) {
      const headers = Object.fromEntries(res.headers);
      expect(headers, what).toMatchObject({
        'x-frame-options': 'DENY',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'same-origin',
      });
      const csp = headers['content-security-policy'] ?? '';
      expect(csp, what).toContain("frame-ancestors 'none'");
      if (pages.includes(what)) {
        // Scripts: our files and SvelteKit's nonce'd start-up script, nothing inline or eval'd.
        expect(csp, what).toMatch(/(^|; )script-src 'self' 'nonce-[\w+/=]+'(;|$)/);
        expect(csp, what).toMatch(/^default-src 'self';/);
        expect(csp, what).toContain("object-src 'none'");
        expect(csp, what).toContain("style-src 'self' 'unsafe-inline'");
      } else {
        expect(csp, what).toBe("default-src 'none'; frame-ancestors 'none'");
      }
    }
    expect(answers['metrics page'].status).toBe(200);
    expect(answers['unknown page'].status).toBe(404);
  });
});

describe('Content-Security-Policy in Chromium', () => {
  let page: Page;
  const violations: string[] = [];

  beforeAll(async () => {
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text()))
        violations.push(`${page.url()} console: ${message.text()}`);
    });
    await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        (window as unknown as { reportViolation: (t: string) => void }).reportViolation(
          `${location.pathname} event: ${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber} (${e.sample})`,
        );
      });
    });
  });

  afterAll(() => page?.close());

  let url: string;
  /** Opens a page, checks it came with the policy under test, and waits for hydration. */
  async function open(path: string): Promise<void> {
    const response = await page.goto(`${url}${path}`);
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self' 'nonce-/);
    await page.waitForSelector('html[data-hydrated]');
  }

  it('every page works with zero violations, charts and the explore editor included', async () => {
    url = await dashboard();
    await open('/metrics');
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('input[name="user"]', 'ops');
    await page.fill('input[name="password"]', AUTH.DASHBOARD_AUTH_PASSWORD);
    await page.click('button');
    await page.waitForURL(/\/metrics$/);
    await page.waitForSelector('html[data-hydrated]');
    // Chart.js has drawn: the canvases have pixels, not only a size.
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('canvas')].filter((c) => {
          const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? [];
          return data.some((v) => v !== 0);
        }).length >= 6,
      undefined,
      { timeout: 15_000 },
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'csp-metrics.png'), fullPage: true });

    for (const path of ['/', '/alerts', '/slo']) {
      await open(path);
      await page.waitForLoadState('networkidle');
    }

    await open('/explore?q=sum%20by%20(environment)%20(up)&range=5m');
    await page.locator('.cm-content').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('canvas').length >= 1);
    // Typing asks the completion proxy for metric names; CodeMirror styles itself meanwhile.
    const completion = page.waitForResponse((r) => r.url().includes('/api/promql/api/v1/'));
    await page.locator('.cm-content').click();
    await page.keyboard.press('End');
    await page.keyboard.type(' + data_pl');
    expect((await completion).status()).toBe(200);
    await page.locator('.cm-tooltip-autocomplete').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Run' }).click();
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(SCREENSHOTS, 'csp-explore.png'), fullPage: true });

    const signOut = page.waitForResponse(
      (r) => r.url().endsWith('/api/session') && r.request().method() === 'DELETE',
    );
    await page.getByRole('button', { name: /Sign out/ }).click();
    console.info(`the Sign out button's DELETE /api/session: ${(await signOut).status()}`);
    await page.waitForURL(/\/login/);
    await page.waitForLoadState('networkidle');

    expect(violations).toEqual([]);
  });

  it('blocks what it should: inline script, loads from other origins, framing', async () => {
    // The control for the test above: violations are seen when they happen.
    await open('/login');
    const ran = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.body.append(script);
      // Injected CSS cannot carry data away: a load from another origin is refused.
      document.body.insertAdjacentHTML(
        'beforeend',
        '<p style="background: url(http://192.0.2.1/leak)">injected</p>',
      );
      return (window as unknown as { injected?: boolean }).injected ?? false;
    });
    expect(ran).toBe(false);
    await expect.poll(() => violations.join('\n')).toMatch(/script-src-elem/);
    await expect.poll(() => violations.join('\n')).toMatch(/img-src blocked http:\/\/192\.0\.2\.1/);

    const framer = await browser.newPage();
    await framer.setContent(`<iframe src="${url}/login"></iframe>`);
    await framer.waitForTimeout(1000);
    const framed = framer.frames().find((f) => f !== framer.mainFrame());
    expect(await framed?.$('input[name="password"]')).toBeNull();
    await framer.close();
  });
});

describe('result size cap', () => {
  it('answers an oversized explore query with 422, having aborted the upstream read', async () => {
    const url = await dashboard();
    const cookie = await sessionCookie(url);
    const started = performance.now();
    const res = await fetch(`${url}/api/query?q=huge_series&range=5m`, { headers: { cookie } });
    const ms = performance.now() - started;
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as { message: string; limitBytes: number };
    expect(body.message).toMatch(/^the result is larger than 2 MiB, the most the dashboard reads/);
    expect(body.message).toMatch(/narrow the query with label matchers .* or pick a shorter range/);
    expect(body.limitBytes).toBe(2 * MiB);
    await expect.poll(() => streamed.closedEarly).toBe(true);
    expect(streamed.bytes).toBeLessThan(16 * MiB);
    console.info(`/api/query: 422 after ${ms.toFixed(0)} ms, upstream sent ${streamed.bytes} B`);

    const normal = await fetch(`${url}/api/query?q=up&range=5m`, { headers: { cookie } });
    expect(normal.status).toBe(200);
    expect(((await normal.json()) as { series: unknown[] }).series).toHaveLength(3);
  });

  it("answers an oversized completion lookup with 422 in Prometheus's error format", async () => {
    const url = await dashboard();
    const cookie = await sessionCookie(url);
    const res = await fetch(`${url}/api/promql/api/v1/series?match[]=huge`, {
      headers: { cookie },
    });
    expect(res.status).toBe(422);
    await expect(res.json()).resolves.toEqual({
      status: 'error',
      errorType: 'result_too_large',
      error: expect.stringMatching(/larger than 2 MiB.*narrow it with a more selective match\[\]/),
    });
    await expect.poll(() => streamed.closedEarly).toBe(true);
    expect(streamed.bytes).toBeLessThan(16 * MiB);
    console.info(`/api/promql: upstream sent ${streamed.bytes} B before the abort`);

    const normal = await fetch(`${url}/api/promql/api/v1/series?match[]=up`, {
      headers: { cookie },
    });
    expect(normal.status).toBe(200);
  });
});
