import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunStatus } from '../report/status.ts';
import { MAX_RATE } from '../schedule/patterns.ts';

// The control endpoint, on 127.0.0.1 only: GET /status (progress as JSON) and
// PUT /rate {"rate": N} to change the target rate while the run goes on.
//
// Listening on the loopback address keeps other machines out, but not web pages in the
// user's own browser: a page on another site can make its name resolve to 127.0.0.1 (DNS
// rebinding) and then talk to this port as "its own" origin. Such requests carry the page's
// host name in `Host`, so only requests addressed to 127.0.0.1:<port> or localhost:<port>
// are answered (421 otherwise), and requests a page of another origin sends are refused (403).

export interface Controllable {
  status(): RunStatus;
  setRate(rate: number): void;
}

const MAX_BODY = 1024;

export async function startControlServer(
  run: Controllable,
  port: number,
): Promise<{ port: number; close(): Promise<void> }> {
  let hosts = new Set<string>();
  const server: Server = createServer((req, res) => {
    handle(run, hosts, req, res).catch((err: unknown) =>
      send(res, 500, { error: (err as Error).message }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  hosts = allowedHosts(actual);
  return {
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The `Host` values that name this endpoint (a port-80 endpoint may be named without it). */
function allowedHosts(port: number): Set<string> {
  const names = ['127.0.0.1', 'localhost'];
  return new Set([...names.map((n) => `${n}:${port}`), ...(port === 80 ? names : [])]);
}

async function handle(
  run: Controllable,
  hosts: Set<string>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const host = req.headers.host?.toLowerCase();
  if (!host || !hosts.has(host)) {
    const [own] = hosts;
    return send(res, 421, {
      error: `Host '${req.headers.host ?? ''}' is not this endpoint: address it as http://${own} (only 127.0.0.1 and localhost are answered, so a web page cannot reach it through DNS rebinding)`,
    });
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !hosts.has(origin.replace(/^http:\/\//, '').toLowerCase())) {
    return send(res, 403, {
      error: `requests from web pages (Origin '${origin}') are refused; use curl or a script`,
    });
  }
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
  if (path === '/status') {
    if (req.method !== 'GET') return send(res, 405, { error: 'use GET /status' }, { allow: 'GET' });
    return send(res, 200, run.status());
  }
  if (path === '/rate') {
    if (req.method !== 'PUT')
      return send(res, 405, { error: 'use PUT /rate with {"rate": N}' }, { allow: 'PUT' });
    const text = await readBody(req);
    if (text === undefined) return send(res, 413, { error: `body over ${MAX_BODY} bytes` });
    let rate: unknown;
    try {
      rate = (JSON.parse(text) as { rate?: unknown } | null)?.rate;
    } catch {
      return send(res, 400, { error: 'body must be JSON such as {"rate": 200}' });
    }
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0 || rate > MAX_RATE) {
      return send(res, 400, {
        error: `rate: must be a number > 0 and <= ${MAX_RATE} (req/s), e.g. {"rate": 200}; got ${typeof rate === 'number' ? rate : (JSON.stringify(rate) ?? 'none')}`,
      });
    }
    try {
      run.setRate(rate);
    } catch (err) {
      return send(res, 409, { error: (err as Error).message });
    }
    return send(res, 200, run.status());
  }
  send(res, 404, { error: 'routes: GET /status, PUT /rate' });
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
