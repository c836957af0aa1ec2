import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CONTENT_TYPE, renderPlane } from './exposition.ts';
import { PlaneSimulation } from './model.ts';
import type { FleetPlane } from './planes.ts';

// The HTTP side of the simulator: every plane's endpoints under /planes/<id>/ on one server.
// Read-only GETs, no request bodies read, bounded times; a scrape computes the plane's counters
// from the time elapsed, so nothing runs between requests.

export interface FleetServerOptions {
  planes: readonly FleetPlane[];
  /** The seed of every plane's traffic. */
  seed: number;
  /** Seconds since the simulation started. Default: a monotonic clock started at creation. */
  clock?: () => number;
}

/** Bounds on a request: a scrape is one small GET answered at once. */
export const LIMITS = {
  /** Time to receive the request headers. */
  headersTimeoutMs: 5_000,
  /** Time for the whole request. */
  requestTimeoutMs: 10_000,
  /** Idle time before a kept-alive connection closes (above Prometheus' usual 10-15 s interval). */
  keepAliveTimeoutMs: 20_000,
  /** Open connections at once: a couple of Prometheus replicas scraping every plane. */
  maxConnections: 4096,
  maxHeadersCount: 64,
};

const PLANE_PATH = /^\/planes\/([^/]+)\/(metrics|health|ready)$/;

/** A server for these planes, not listening yet. */
export function createFleetServer(options: FleetServerOptions): Server {
  const started = performance.now();
  const clock = options.clock ?? (() => (performance.now() - started) / 1000);
  const planes = new Map(options.planes.map((p) => [p.id, new PlaneSimulation(options.seed, p)]));

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      json(res, 405, { error: 'only GET and HEAD' }, { allow: 'GET, HEAD' });
      return;
    }
    const path = pathOf(req);
    if (path === '/healthz') {
      json(res, 200, { status: 'ok', planes: planes.size });
      return;
    }
    const match = PLANE_PATH.exec(path);
    if (!match) {
      json(res, 404, {
        error: 'unknown path: try /planes/<id>/metrics, /health, /ready or /healthz',
      });
      return;
    }
    const [, id, endpoint] = match;
    // Plane ids are lower-case letters, digits and dashes: nothing to decode.
    const plane = planes.get(id!);
    if (!plane) {
      json(res, 404, { error: 'no such plane' });
      return;
    }
    if (endpoint === 'metrics') {
      const body = renderPlane(plane.at(clock()));
      res.writeHead(200, {
        'content-type': CONTENT_TYPE,
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
      return;
    }
    json(res, 200, { status: 'ok', simulated: true });
  };

  const server = createServer({ maxHeaderSize: 8 * 1024 }, (req, res) => {
    try {
      handle(req, res);
    } catch (err) {
      // A bug: said loudly, but one request's failure does not take the other planes down.
      console.error('fleet simulator: request failed:', err);
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
      else res.destroy();
    }
  });
  server.headersTimeout = LIMITS.headersTimeoutMs;
  server.requestTimeout = LIMITS.requestTimeoutMs;
  server.keepAliveTimeout = LIMITS.keepAliveTimeoutMs;
  server.maxConnections = LIMITS.maxConnections;
  server.maxHeadersCount = LIMITS.maxHeadersCount;
  return server;
}

/** The path of a request, without its query. */
function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
