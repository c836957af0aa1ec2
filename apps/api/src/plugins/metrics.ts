import type { Plugin, Request } from '@hapi/hapi';
import type { Attributes } from '@opentelemetry/api';
import { performance } from 'node:perf_hooks';
import { HttpAttributes } from '../metrics/http-attributes.ts';
import { UNMATCHED_ROUTE, type Instruments } from '../metrics/instruments.ts';

/** What the metrics keep per request: when it arrived and the series it was counted active in. */
class InFlight {
  readonly startMs: number;
  readonly active: Attributes;
  constructor(startMs: number, active: Attributes) {
    this.startMs = startMs;
    this.active = active;
  }
}
const inFlight = Symbol('outpost.metrics.inFlight');
type Plugins = Record<symbol, InFlight | undefined>;

/**
 * Records http.server.request.duration and http.server.active_requests with the stable HTTP
 * semantic-convention attributes. `http.route` is hapi's matched route template
 * (`/api/products/{id}`), never the raw path; requests that match no route get the one fixed
 * value `unmatched`, so a scanner cannot create new series. 5xx responses carry `error.type`.
 *
 * Per request it allocates one small record and no attribute objects (they are built once per
 * distinct set), and makes one SDK call: the histogram's `record`. The active count is kept in
 * `ActiveRequests` and observed at collection.
 */
export const metricsPlugin: Plugin<{ instruments: Instruments }> = {
  name: 'metrics',
  register(server, { instruments }) {
    const { activeRequests, requestDuration } = instruments;
    const attributes = new HttpAttributes(server.info.protocol);
    server.ext('onRequest', (request, h) => {
      const active = attributes.active(request.method);
      activeRequests.add(1, active);
      (request.plugins as Plugins)[inFlight] = new InFlight(performance.now(), active);
      return h.continue;
    });
    server.events.on('response', (request) => {
      const timing = (request.plugins as Plugins)[inFlight];
      let seconds: number;
      // Shed requests pass onRequest like any other (shedding runs after routing). A request
      // answered before onRequest ran is counted all the same, timed from when hapi received it.
      if (timing === undefined) {
        seconds = (Date.now() - request.info.received) / 1e3;
      } else {
        seconds = (performance.now() - timing.startMs) / 1e3;
        activeRequests.add(-1, timing.active);
      }
      requestDuration.record(
        seconds,
        attributes.duration(routeOf(request), request.method, statusOf(request)),
      );
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
