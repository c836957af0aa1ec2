import Boom from '@hapi/boom';
import type { Plugin, Request, RouteOptions } from '@hapi/hapi';
import type { Socket } from 'node:net';
import type { ConnectionGuard } from '../../connections.ts';
import type { LoadProbe } from './event-loop.ts';

export interface SheddingOptions {
  probe: LoadProbe;
  /** Event-loop delay (ms) above which requests are shed; 0 turns event-loop shedding off. */
  maxEventLoopDelayMs: number;
  /** Which connections are in the probe reserve (beyond API_MAX_CONNECTIONS). */
  connections?: Pick<ConnectionGuard, 'inReserve' | 'maxConnections'>;
}

/** Route options that keep a route answering under overload (liveness, readiness, admin). */
export const NEVER_SHED = {
  plugins: { shedding: { neverShed: true } },
} as const satisfies RouteOptions;

export function isNeverShed(request: Request): boolean {
  const settings = request.route.settings.plugins as
    { shedding?: { neverShed?: boolean } } | undefined;
  return settings?.shedding?.neverShed === true;
}

/**
 * Sheds load with 503 (the errors plugin adds `Retry-After`) while the event loop lags past the
 * limit, and on connections beyond API_MAX_CONNECTIONS (which are closed after one response).
 * It runs once the route is matched (onPreAuth, before the body is read), so a shed request is
 * counted and logged under its route template, and routes marked NEVER_SHED keep answering: a
 * probe must not restart a process that is only busy.
 */
export const sheddingPlugin: Plugin<SheddingOptions> = {
  name: 'shedding',
  register(server, { probe, maxEventLoopDelayMs, connections }) {
    if (maxEventLoopDelayMs > 0) {
      server.ext('onPreStart', () => probe.start());
      server.ext('onPostStop', () => probe.stop());
    }
    const inReserve = (request: Request) =>
      connections?.inReserve(request.raw.req.socket as Socket | undefined) ?? false;

    server.ext('onPreAuth', (request, h) => {
      if (isNeverShed(request)) return h.continue;
      if (inReserve(request)) {
        throw Boom.serverUnavailable(
          `too many connections: the API serves ${connections!.maxConnections} at once (API_MAX_CONNECTIONS); retry later`,
          { shed: 'connections' },
        );
      }
      if (maxEventLoopDelayMs <= 0) return h.continue;
      const delayMs = probe.eventLoopDelayMs();
      if (delayMs > maxEventLoopDelayMs) {
        throw Boom.serverUnavailable(
          `overloaded: the event loop lags ${Math.round(delayMs)} ms, over the ${maxEventLoopDelayMs} ms limit (API_MAX_EVENT_LOOP_DELAY_MS); retry later`,
          { shed: 'event-loop' },
        );
      }
      return h.continue;
    });

    // A reserve connection serves one response, then frees its slot for the next probe.
    server.ext('onPreResponse', (request, h) => {
      if (!inReserve(request)) return h.continue;
      const response = request.response;
      if (Boom.isBoom(response)) response.output.headers.connection = 'close';
      else response.header('connection', 'close');
      return h.continue;
    });
  },
};
