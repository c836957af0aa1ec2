import type { Plugin, Request } from '@hapi/hapi';
import { ATTR, UNMATCHED_ROUTE, type Instruments } from '../metrics/instruments.ts';

const KNOWN_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'CONNECT',
  'TRACE',
]);
const started = Symbol('outpost.started');

/**
 * Records http.server.request.duration and http.server.active_requests with the stable HTTP
 * semantic-convention attributes. `http.route` is hapi's matched route template
 * (`/api/products/{id}`), never the raw path; requests that match no route get the one fixed
 * value `unmatched`, so a scanner cannot create new series. 5xx responses carry `error.type`.
 */
export const metricsPlugin: Plugin<{ instruments: Instruments }> = {
  name: 'metrics',
  register(server, { instruments }) {
    server.ext('onRequest', (request, h) => {
      (request.plugins as Record<symbol, bigint>)[started] = process.hrtime.bigint();
      instruments.activeRequests.add(1, activeAttributes(request));
      return h.continue;
    });
    server.events.on('response', (request) => {
      const start = (request.plugins as Record<symbol, bigint | undefined>)[started];
      // Shed requests pass onRequest like any other (shedding runs after routing). A request
      // answered before onRequest ran is counted all the same, timed from when hapi received it.
      const seconds =
        start === undefined
          ? (Date.now() - request.info.received) / 1e3
          : Number(process.hrtime.bigint() - start) / 1e9;
      if (start !== undefined) instruments.activeRequests.add(-1, activeAttributes(request));
      const status = statusOf(request);
      instruments.requestDuration.record(seconds, {
        ...activeAttributes(request),
        [ATTR.route]: routeOf(request),
        [ATTR.status]: status,
        // Semantic conventions: a server error's type is its status code, as a string.
        ...(status >= 500 ? { [ATTR.errorType]: String(status) } : {}),
      });
    });
  },
};

/** `http.request.method` and `url.scheme`, the attributes both HTTP server metrics carry. */
function activeAttributes(request: Request) {
  return { [ATTR.method]: methodOf(request), [ATTR.scheme]: request.server.info.protocol };
}

/** True when hapi matched no route (its internal not-found route, method `_special`). */
export function isUnmatched(request: Request): boolean {
  return (request.route.method as string) === '_special';
}

export function routeOf(request: Request): string {
  return isUnmatched(request) ? UNMATCHED_ROUTE : request.route.path;
}

/** Semantic conventions: known methods upper-case, anything else `_OTHER`. */
function methodOf(request: Request): string {
  const method = request.method.toUpperCase();
  return KNOWN_METHODS.has(method) ? method : '_OTHER';
}

export function statusOf(request: Request): number {
  const response = request.response as unknown as {
    statusCode?: number;
    isBoom?: boolean;
    output?: { statusCode: number };
  } | null;
  if (!response) return 499; // the client went away before a response was written
  if (response.isBoom) return response.output?.statusCode ?? 500;
  return response.statusCode ?? 200;
}
