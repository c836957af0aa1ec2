import { MAX_FAULT_LATENCY_MS } from '@outpost/outputs';
import Joi from 'joi';

/** Everything the API reads from its environment, validated once at start. */
export interface ApiConfig {
  port: number;
  host: string;
  environment: string;
  dataPlaneId: string;
  customer: string;
  /** Base share of /api requests that fail with a simulated 500 (0..1). */
  errorRate: number;
  /** Base latency added to every /api request, milliseconds. */
  latencyMs: number;
  /** Bearer token for /admin/faults; null disables the admin routes (403). */
  adminToken: string | null;
  /** Event-loop delay (ms) above which requests are shed with 503; 0 turns shedding off. */
  maxEventLoopDelayMs: number;
  /**
   * Concurrent client connections served; a small reserve beyond it is kept for health probes
   * and more are refused. main.ts lowers it to what the open-file limit can hold.
   */
  maxConnections: number;
  /** An idle keep-alive connection is closed after this, milliseconds. */
  keepAliveTimeoutMs: number;
  /**
   * A client must send its whole request (headers and body) within this, milliseconds; a
   * connection that sends nothing is closed after it too.
   */
  clientTimeoutMs: number;
  /** Longest a request may take on any route before it answers 503, milliseconds. */
  routeTimeoutMs: number;
  /** How long shutdown waits for in-flight requests, milliseconds. */
  shutdownTimeoutMs: number;
  /** One JSON line per request on stdout. */
  requestLog: boolean;
  telemetry: TelemetryConfig;
}

export interface TelemetryConfig {
  /** OTEL_SDK_DISABLED=true: no metrics at all (the benchmark's baseline). */
  disabled: boolean;
  exporter: 'otlp' | 'prometheus';
  /** Base OTLP/HTTP endpoint; `/v1/metrics` is appended. */
  otlpEndpoint: string;
  exportIntervalMs: number;
  prometheusHost: string;
  prometheusPort: number;
  serviceName: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const schema = Joi.object({
  PORT: Joi.number().integer().min(0).max(65535).default(8080),
  HOST: Joi.string().default('0.0.0.0'),
  ENVIRONMENT: Joi.string()
    .pattern(/^[a-z][a-z0-9-]{0,30}$/)
    .default('dev')
    .messages({ 'string.pattern.base': 'must be a lower-case name such as prod, dev or qa' }),
  DATA_PLANE_ID: Joi.string()
    .pattern(/^[a-z0-9][a-z0-9-]{0,62}$/)
    .messages({
      'string.pattern.base': 'must be lower-case letters, digits and dashes, e.g. acme-prod-01',
    }),
  CUSTOMER: Joi.string()
    .pattern(/^[a-z0-9][a-z0-9-]{0,62}$/)
    .default('default')
    .messages({
      'string.pattern.base': 'must be lower-case letters, digits and dashes, e.g. acme',
    }),
  API_ERROR_RATE: Joi.number().min(0).max(1).default(0),
  API_LATENCY_MS: Joi.number().integer().min(0).max(MAX_FAULT_LATENCY_MS).default(0),
  API_ADMIN_TOKEN: Joi.string().min(16).allow(''),
  API_MAX_EVENT_LOOP_DELAY_MS: Joi.number().integer().min(0).default(200),
  API_MAX_CONNECTIONS: Joi.number().integer().min(1).max(1_000_000).default(1000),
  API_KEEPALIVE_TIMEOUT_MS: Joi.number().integer().min(100).max(600_000).default(5000),
  API_CLIENT_TIMEOUT_MS: Joi.number().integer().min(1000).max(600_000).default(10_000),
  API_ROUTE_TIMEOUT_MS: Joi.number().integer().min(100).max(600_000).default(30_000),
  API_SHUTDOWN_TIMEOUT_MS: Joi.number().integer().min(0).default(10_000),
  API_REQUEST_LOG: Joi.string().valid('on', 'off').default('on'),
  OTEL_SDK_DISABLED: Joi.string().valid('true', 'false').insensitive().default('false'),
  OTEL_METRICS_EXPORTER: Joi.string().valid('otlp', 'prometheus').default('otlp'),
  OTEL_EXPORTER_OTLP_ENDPOINT: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default('http://127.0.0.1:4318'),
  OTEL_METRIC_EXPORT_INTERVAL: Joi.number().integer().min(100).default(5000),
  OTEL_EXPORTER_PROMETHEUS_HOST: Joi.string().default('0.0.0.0'),
  OTEL_EXPORTER_PROMETHEUS_PORT: Joi.number().integer().min(0).max(65535).default(9464),
  OTEL_SERVICE_NAME: Joi.string().default('outpost-api'),
})
  .unknown(true)
  .prefs({ abortEarly: false, convert: true });

/**
 * Reads the API's settings from environment variables. Throws a ConfigError listing every bad
 * variable with the values it accepts, so one restart fixes them all.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  // Empty variables count as unset: `PORT= npm run api` should mean the default.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const { value, error } = schema.validate(present);
  if (error) {
    const lines = error.details.map(
      (d) => `  ${String(d.path[0])}: ${d.message.replace(/^"[^"]+" /, '')}`,
    );
    throw new ConfigError(`invalid environment:\n${lines.join('\n')}`);
  }
  const environment: string = value.ENVIRONMENT;
  return {
    port: value.PORT,
    host: value.HOST,
    environment,
    dataPlaneId: value.DATA_PLANE_ID ?? `${value.CUSTOMER}-${environment}-01`,
    customer: value.CUSTOMER,
    errorRate: value.API_ERROR_RATE,
    latencyMs: value.API_LATENCY_MS,
    adminToken: value.API_ADMIN_TOKEN || null,
    maxEventLoopDelayMs: value.API_MAX_EVENT_LOOP_DELAY_MS,
    maxConnections: value.API_MAX_CONNECTIONS,
    keepAliveTimeoutMs: value.API_KEEPALIVE_TIMEOUT_MS,
    clientTimeoutMs: value.API_CLIENT_TIMEOUT_MS,
    routeTimeoutMs: value.API_ROUTE_TIMEOUT_MS,
    shutdownTimeoutMs: value.API_SHUTDOWN_TIMEOUT_MS,
    requestLog: value.API_REQUEST_LOG === 'on',
    telemetry: {
      disabled: String(value.OTEL_SDK_DISABLED).toLowerCase() === 'true',
      exporter: value.OTEL_METRICS_EXPORTER,
      otlpEndpoint: String(value.OTEL_EXPORTER_OTLP_ENDPOINT).replace(/\/+$/, ''),
      exportIntervalMs: value.OTEL_METRIC_EXPORT_INTERVAL,
      prometheusHost: value.OTEL_EXPORTER_PROMETHEUS_HOST,
      prometheusPort: value.OTEL_EXPORTER_PROMETHEUS_PORT,
      serviceName: value.OTEL_SERVICE_NAME,
    },
  };
}
