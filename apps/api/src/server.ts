import Hapi from '@hapi/hapi';
import Joi from 'joi';
import type { ApiConfig } from './config.ts';
import { ConnectionGuard, createListener } from './connections.ts';
import { errorsPlugin, validationFailAction } from './plugins/errors.ts';
import { faultsPlugin } from './plugins/faults/plugin.ts';
import { healthPlugin, type Readiness } from './plugins/health.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { requestLogPlugin } from './plugins/request-log.ts';
import { EventLoopMonitor, type LoadProbe } from './plugins/shedding/event-loop.ts';
import { sheddingPlugin } from './plugins/shedding/plugin.ts';
import { shopPlugin } from './plugins/shop.ts';
import type { Instruments } from './metrics/instruments.ts';

export interface ServerDeps {
  instruments: Instruments | null;
  readiness?: Readiness;
  /** Replaces stdout for the request log (tests). */
  logWrite?: (line: string) => void;
  random?: () => number;
  /** Replaces the event-loop monitor that decides shedding (tests). */
  load?: LoadProbe;
  /** Replaces the wait for injected latency (tests). */
  sleep?: (ms: number) => Promise<unknown>;
}

/** Largest request body accepted, bytes; larger ones answer 413. */
export const MAX_BODY_BYTES = 16 * 1024;

/** Builds and registers the API without listening: tests use `server.inject`. */
export async function createServer(config: ApiConfig, deps: ServerDeps) {
  const readiness = deps.readiness ?? { ready: true };
  const server = Hapi.server({
    port: config.port,
    host: config.host,
    listener: createListener(config),
    routes: {
      validate: { failAction: validationFailAction, options: { abortEarly: true } },
      payload: { maxBytes: MAX_BODY_BYTES },
      // No request is held forever: past this hapi answers 503 (the errors plugin says why).
      timeout: { server: config.routeTimeoutMs },
    },
  });
  server.validator(Joi);
  const connections = new ConnectionGuard(server.listener, config.maxConnections);

  await server.register({ plugin: errorsPlugin });
  if (deps.instruments)
    await server.register({ plugin: metricsPlugin, options: { instruments: deps.instruments } });
  if (config.requestLog) {
    await server.register({
      plugin: requestLogPlugin,
      options: {
        dataPlaneId: config.dataPlaneId,
        ...(deps.logWrite ? { write: deps.logWrite } : {}),
      },
    });
  }
  // Shed instead of falling over: while the event loop lags past the limit, or on a connection
  // beyond API_MAX_CONNECTIONS, business routes answer 503 (the errors plugin adds Retry-After);
  // probes are never shed.
  await server.register({
    plugin: sheddingPlugin,
    options: {
      probe: deps.load ?? new EventLoopMonitor(),
      maxEventLoopDelayMs: config.maxEventLoopDelayMs,
      connections,
    },
  });
  await server.register({ plugin: healthPlugin, options: { readiness } });
  await server.register({
    plugin: shopPlugin,
    options: { instruments: deps.instruments, ...(deps.random ? { random: deps.random } : {}) },
  });
  await server.register({
    plugin: faultsPlugin,
    options: {
      baseErrorRate: config.errorRate,
      baseLatencyMs: config.latencyMs,
      adminToken: config.adminToken,
      instruments: deps.instruments,
      ...(deps.random ? { random: deps.random } : {}),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
    },
  });
  return server;
}
