import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { connectionLimit, openFileLimit, PROBE_RESERVE } from './connections.ts';
import { testConfig, testServer } from './testing/harness.ts';
import { startApi, type ApiProcess } from './testing/process.ts';

let api: ApiProcess | undefined;
let sockets: Socket[] = [];
let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets = [];
  api?.child.kill('SIGKILL');
  api = undefined;
  for (const close of closers) await close();
  closers = [];
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eventually<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 5000) {
  const until = Date.now() + ms;
  let value = await probe();
  while (!ok(value) && Date.now() < until) {
    await sleep(50);
    value = await probe();
  }
  return value;
}

/** Opens `count` connections that send nothing; counts those the server closes. */
function holdIdle(port: number, count: number) {
  const state = { closedByServer: 0 };
  for (let i = 0; i < count; i += 1) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.resume();
    socket.on('close', () => (state.closedByServer += 1));
    sockets.push(socket);
  }
  return state;
}

/** One raw HTTP/1.1 request; resolves with the status line, headers and when the server closed. */
function rawRequest(port: number, path: string, { keepAlive = true, timeoutMs = 3000 } = {}) {
  return new Promise<{ status: number; head: string; body: string; closed: boolean }>((resolve) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: api\r\n${keepAlive ? '' : 'Connection: close\r\n'}\r\n`,
      ),
    );
    sockets.push(socket);
    let text = '';
    const done = (closed: boolean) => {
      const [head = '', body = ''] = text.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1] ?? 0), head, body, closed });
    };
    socket.on('data', (d) => (text += d));
    socket.on('error', () => {});
    socket.on('close', () => done(true));
    setTimeout(() => done(false), timeoutMs).unref();
  });
}

const status = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(2000) }).then(
    (r) => ({ status: r.status }),
    () => ({ status: 0 }),
  );

async function listening(env: Record<string, string>) {
  const h = await testServer(testConfig(env));
  await h.server.start();
  closers.push(() => h.close());
  return h.server.info.port as number;
}

describe('a flood of idle connections', () => {
  it('leaves the process alive, probes answering, and it serves again when the clients go', async () => {
    // 256 open files: 400 idle connections would exhaust them (today the process died with
    // EMFILE from hapi's load sampler).
    api = await startApi({ OTEL_SDK_DISABLED: 'true', API_REQUEST_LOG: 'off' }, { openFiles: 256 });
    expect(api.output()).toMatch(/API_MAX_CONNECTIONS lowered/);
    const max = Number(/"max_connections":(\d+)/.exec(api.output())?.[1]);
    expect(max).toBe(256 - 64 - PROBE_RESERVE);
    const port = Number(new URL(api.url).port);

    const flood = holdIdle(port, 400);
    // Everything past the cap and the probe reserve is refused at once.
    await eventually(
      async () => flood.closedByServer,
      (n) => n >= 400 - max - PROBE_RESERVE,
    );
    const refused = flood.closedByServer;
    expect(refused).toBeGreaterThanOrEqual(400 - max - PROBE_RESERVE);
    expect(api.child.exitCode).toBeNull();

    // Every regular connection is held: probes answer from the reserve (once the flood's own
    // reserve connections are closed for idling), business routes are shed, never hang.
    // (Raw connections: fetch would reuse the keep-alive connection startApi's /ready check left
    // open, which holds a regular slot and is served normally.)
    const ok = (r: { status: number }) => r.status === 200;
    expect((await eventually(() => rawRequest(port, '/health'), ok)).status).toBe(200);
    expect((await eventually(() => rawRequest(port, '/ready'), ok)).status).toBe(200);
    const shed = await eventually(
      () => rawRequest(port, '/api/products'),
      (r) => r.status !== 0,
    );
    expect(shed.status).toBe(503);
    expect(shed.body).toMatch(/API_MAX_CONNECTIONS/);

    // The clients go: the API serves again.
    const released = Date.now();
    for (const s of sockets) s.destroy();
    const served = await eventually(
      () => status(`${api!.url}/api/products`),
      (r) => r.status === 200,
    );
    const recoveryMs = Date.now() - released;
    expect(served.status).toBe(200);
    expect(recoveryMs).toBeLessThan(2000);
    expect(api.child.exitCode).toBeNull();
    console.log(
      `flood: 400 idle connections, ${refused} refused at once, ${max} held; recovered in ${recoveryMs} ms`,
    );
  });
});

describe('API_MAX_CONNECTIONS', () => {
  it('serves that many, answers probes from a reserve, refuses beyond', async () => {
    const port = await listening({ API_MAX_CONNECTIONS: '3' });
    holdIdle(port, 3);
    await sleep(100);

    const shed = await rawRequest(port, '/api/products');
    expect(shed.status).toBe(503);
    expect(shed.head).toMatch(/^connection: close$/im);
    expect(shed.head).toMatch(/^retry-after: 1$/im);
    expect(JSON.parse(shed.body).message).toMatch(/API_MAX_CONNECTIONS/);

    const probe = await rawRequest(port, '/health');
    expect(probe.status).toBe(200);
    expect(probe.head).toMatch(/^connection: close$/im);
    expect(probe.closed).toBe(true); // the reserve slot is free again

    const beyond = holdIdle(port, PROBE_RESERVE + 20);
    await eventually(
      async () => beyond.closedByServer,
      (n) => n >= 20,
    );
    expect(beyond.closedByServer).toBeGreaterThanOrEqual(20);

    for (const s of sockets) s.destroy();
    const served = await eventually(
      () => rawRequest(port, '/api/products', { keepAlive: false }),
      (r) => r.status === 200,
    );
    expect(served.status).toBe(200);
  });
});

describe('idle and slow clients', () => {
  it('closes a connection that sends nothing or only part of its headers after API_CLIENT_TIMEOUT_MS', async () => {
    const port = await listening({ API_CLIENT_TIMEOUT_MS: '1000' });
    const start = Date.now();
    const closedAfter = (write?: string) =>
      new Promise<{ ms: number; text: string }>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => write && socket.write(write));
        sockets.push(socket);
        let text = '';
        socket.on('data', (d) => (text += d));
        socket.on('error', () => {});
        socket.on('close', () => resolve({ ms: Date.now() - start, text }));
      });
    const [silent, slow] = await Promise.all([
      closedAfter(),
      closedAfter('GET /api/products HTTP/1.1\r\nHost: api\r\n'),
    ]);
    for (const c of [silent, slow]) {
      expect(c.ms).toBeGreaterThanOrEqual(900);
      expect(c.ms).toBeLessThan(3500);
      // node's client timeout, answered by hapi's clientError handler
      expect(c.text).toMatch(/^HTTP\/1.1 4\d\d/);
    }
  });

  it('closes an idle keep-alive connection after API_KEEPALIVE_TIMEOUT_MS', async () => {
    const port = await listening({ API_KEEPALIVE_TIMEOUT_MS: '300' });
    const result = await new Promise<{ ms: number; text: string }>((resolve) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write('GET /health HTTP/1.1\r\nHost: api\r\n\r\n'),
      );
      sockets.push(socket);
      let text = '';
      let answered = 0;
      socket.on('data', (d) => {
        text += d;
        answered ||= Date.now();
      });
      socket.on('close', () => resolve({ ms: Date.now() - answered, text }));
    });
    expect(result.text).toMatch(/^HTTP\/1.1 200/);
    expect(result.text).toMatch(/keep-alive/i);
    expect(result.ms).toBeGreaterThanOrEqual(250);
    expect(result.ms).toBeLessThan(1500);
  });
});

describe('request size', () => {
  it('refuses a request line and headers over 16 KiB with 400', async () => {
    const port = await listening({});
    const res = await rawRequest(port, `/api/search?q=${'a'.repeat(17 * 1024)}`);
    expect(res.status).toBe(400);
    expect(res.closed).toBe(true);
  });
});

describe('settings', () => {
  it('validates the connection settings', () => {
    expect(() =>
      loadConfig({
        API_MAX_CONNECTIONS: '0',
        API_KEEPALIVE_TIMEOUT_MS: 'soon',
        API_CLIENT_TIMEOUT_MS: '10',
        API_ROUTE_TIMEOUT_MS: '-1',
      }),
    ).toThrow(
      /API_MAX_CONNECTIONS: must be greater than or equal to 1[\s\S]*API_KEEPALIVE_TIMEOUT_MS: must be a number[\s\S]*API_CLIENT_TIMEOUT_MS: must be greater than or equal to 1000[\s\S]*API_ROUTE_TIMEOUT_MS/,
    );
    expect(loadConfig({})).toMatchObject({
      maxConnections: 1000,
      keepAliveTimeoutMs: 5000,
      clientTimeoutMs: 10_000,
      routeTimeoutMs: 30_000,
    });
  });

  it('lowers API_MAX_CONNECTIONS to fit the open-file limit', () => {
    expect(connectionLimit(1000, 256)).toBe(256 - 64 - PROBE_RESERVE);
    expect(connectionLimit(100, 256)).toBe(100);
    expect(connectionLimit(1000, null)).toBe(1000);
    expect(connectionLimit(1000, 40)).toBe(1);
    const limits = (soft: string) =>
      `Limit                     Soft Limit           Hard Limit           Units\nMax open files            ${soft}                 4096                 files\n`;
    expect(openFileLimit(() => limits('256'))).toBe(256);
    expect(openFileLimit(() => limits('unlimited'))).toBeNull();
    expect(
      openFileLimit(() => {
        throw new Error('no /proc');
      }),
    ).toBeNull();
  });
});
