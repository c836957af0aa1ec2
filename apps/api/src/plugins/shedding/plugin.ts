import Boom from '@hapi/boom';
import type { Plugin, Request, RouteOptions } from '@hapi/hapi';
import type { LoadProbe } from './event-loop.ts';

export interface SheddingOptions {
  probe: LoadProbe;
  /** Event-loop delay (ms) above which requests are shed; 0 turns event-loop shedding off. */
  maxEventLoopDelayMs: number;
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
 * limit. It runs once the route is matched (onPreAuth, before the body is read), so a shed
 * request is counted and logged under its route template, and routes marked NEVER_SHED keep
 * answering: a probe must not restart a process that is only busy.
 */
export const sheddingPlugin: Plugin<SheddingOptions> = {
  name: 'shedding',
  register(server, { probe, maxEventLoopDelayMs }) {
    if (maxEventLoopDelayMs > 0) {
      server.ext('onPreStart', () => probe.start());
      server.ext('onPostStop', () => probe.stop());
    }
    server.ext('onPreAuth', (request, h) => {
      if (maxEventLoopDelayMs <= 0 || isNeverShed(request)) return h.continue;
      const delayMs = probe.eventLoopDelayMs();
      if (delayMs > maxEventLoopDelayMs) {
        throw Boom.serverUnavailable(
          `overloaded: the event loop lags ${Math.round(delayMs)} ms, over the ${maxEventLoopDelayMs} ms limit (API_MAX_EVENT_LOOP_DELAY_MS); retry later`,
          { shed: 'event-loop' },
        );
      }
      return h.continue;
    });
  },
};
