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
 * Records http.server.request.duration and http.server.active_requests. `http.route` is hapi's
 * matched route template (`/api/products/{id}`), never the raw path; requests that match no
 * route get the one fixed value `unmatched`, so a scanner cannot create new series.
 */
export const metricsPlugin: Plugin<{ instruments: Instruments }> = {
  name: 'metrics',
  register(server, { instruments }) {
    server.ext('onRequest', (request, h) => {
      (request.plugins as Record<symbol, bigint>)[started] = process.hrtime.bigint();
      instruments.activeRequests.add(1, { [ATTR.method]: methodOf(request) });
      return h.continue;
    });
    server.events.on('response', (request) => {
      const start = (request.plugins as Record<symbol, bigint | undefined>)[started];
      const method = methodOf(request);
      // Shed requests pass onRequest like any other (shedding runs after routing). A request
      // answered before onRequest ran is counted all the same, timed from when hapi received it.
      const seconds =
        start === undefined
          ? (Date.now() - request.info.received) / 1e3
          : Number(process.hrtime.bigint() - start) / 1e9;
      if (start !== undefined) instruments.activeRequests.add(-1, { [ATTR.method]: method });
      instruments.requestDuration.record(seconds, {
        [ATTR.method]: method,
        [ATTR.route]: routeOf(request),
        [ATTR.status]: statusOf(request),
      });
    });
  },
};

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
