import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';

// A stand-in for the Outpost API in tests and the benchmark: the routes and bodies of the
// API contract, validation that refuses the load generator's invalid forms, admin fault
// routes, and an optional stall (every response held until a moment passes) to make
// coordinated omission visible.

export interface FakeApiOptions {
  /** Hold every request that arrives in [stallFromMs, stallFromMs + stallForMs) after the first one. */
  stallFromMs?: number;
  stallForMs?: number;
  adminToken?: string;
  /** Answer every request with 200 {} without routing (the benchmark's minimal server). */
  minimal?: boolean;
}

export interface FakeApi {
  url: string;
  port: number;
  /** Requests seen, by `METHOD path` (query stripped). */
  seen: Map<string, number>;
  /** Fault bodies received by PUT /admin/faults, and DELETE count. */
  faults: { put: unknown[]; deleted: number };
  close(): Promise<void>;
}

const PRODUCTS = ['p-001', 'p-002', 'p-003'].map((id) => ({
  id,
  name: `product ${id}`,
  price: 10,
}));

export async function startFakeApi(options: FakeApiOptions = {}): Promise<FakeApi> {
  const seen = new Map<string, number>();
  const faults = { put: [] as unknown[], deleted: 0 };
  let firstAt = 0;
  let orderId = 0;
  const server: Server = createServer((req, res) => {
    if (options.minimal) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '2' });
      res.end('{}');
      return;
    }
    const now = performance.now();
    firstAt ||= now;
    const from = firstAt + (options.stallFromMs ?? Infinity);
    const until = from + (options.stallForMs ?? 0);
    const delay = now >= from && now < until ? until - now : 0;
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const answer = (): void => route(req, res, body);
      if (delay > 0) setTimeout(answer, delay);
      else answer();
    });
  });

  function route(req: IncomingMessage, res: ServerResponse, body: string): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const key = `${req.method} ${url.pathname}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    const json = (status: number, value: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    const parsed = (): Record<string, unknown> | undefined => {
      try {
        return JSON.parse(body) as Record<string, unknown>;
      } catch {
        return undefined;
      }
    };
    if (url.pathname.startsWith('/admin/')) {
      if (req.headers.authorization !== `Bearer ${options.adminToken}`)
        return json(401, { error: 'token' });
      if (req.method === 'PUT') faults.put.push(parsed());
      if (req.method === 'DELETE') faults.deleted++;
      return json(200, {});
    }
    if (key === 'GET /health') return json(200, { status: 'ok' });
    if (key === 'GET /api/products') return json(200, PRODUCTS);
    if (req.method === 'GET' && url.pathname.startsWith('/api/products/')) {
      const id = decodeURIComponent(url.pathname.slice('/api/products/'.length));
      const p = PRODUCTS.find((x) => x.id === id);
      return p ? json(200, p) : json(404, { error: 'no such product' });
    }
    if (key === 'GET /api/search')
      return url.searchParams.get('q') ? json(200, []) : json(400, { error: 'q' });
    if (key === 'GET /api/reports') return json(200, { orders: orderId });
    if (key === 'POST /api/orders') {
      const b = parsed();
      const ok =
        typeof b?.product_id === 'string' &&
        Number.isInteger(b.quantity) &&
        (b.quantity as number) > 0;
      return ok ? json(201, { id: `o-${++orderId}`, total: 10 }) : json(400, { error: 'order' });
    }
    if (key === 'POST /api/payments') {
      const b = parsed();
      const ok =
        typeof b?.order_id === 'string' &&
        typeof b.amount === 'number' &&
        b.amount > 0 &&
        /^[A-Z]{3}$/.test(String(b.currency));
      return ok ? json(201, { status: 'approved' }) : json(400, { error: 'payment' });
    }
    json(404, { error: 'not found' });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (taken from the OS, then released). */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
