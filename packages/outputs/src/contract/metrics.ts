// The metric catalogue (docs/metrics.md): OpenTelemetry names (semantic conventions where
// they exist), UCUM units, and the names Prometheus stores on every path (the collector's
// Prometheus exporter and remote write append unit suffixes and `_total`).

export interface MetricSpec {
  /** The OpenTelemetry instrument name. */
  name: string;
  /** UCUM unit. */
  unit: string;
  description: string;
  /** The series name in Prometheus (histograms add `_bucket`, `_sum`, `_count`). */
  prometheus: string;
}

export const METRICS = {
  requestDuration: {
    name: 'http.server.request.duration',
    unit: 's',
    description: 'Duration of HTTP server requests.',
    prometheus: 'http_server_request_duration_seconds',
  },
  activeRequests: {
    name: 'http.server.active_requests',
    unit: '{request}',
    description: 'Number of active HTTP server requests.',
    prometheus: 'http_server_active_requests',
  },
  ordersCreated: {
    name: 'app.orders.created',
    unit: '{order}',
    description: 'Orders created.',
    prometheus: 'app_orders_created_total',
  },
  paymentsProcessed: {
    name: 'app.payments.processed',
    unit: '{payment}',
    description: 'Payments processed, by outcome (approved or declined).',
    prometheus: 'app_payments_processed_total',
  },
  searchQueries: {
    name: 'app.search.queries',
    unit: '{query}',
    description: 'Catalog searches.',
    prometheus: 'app_search_queries_total',
  },
  reportsGenerated: {
    name: 'app.reports.generated',
    unit: '{report}',
    description: 'Reports generated.',
    prometheus: 'app_reports_generated_total',
  },
  /** Faults injected through /admin/faults that are active now, by kind, route and method. */
  faultsActive: {
    name: 'app.faults.active',
    unit: '{fault}',
    description: 'Faults injected at runtime that are active now.',
    prometheus: 'app_faults_active',
  },
  processCpuTime: {
    name: 'process.cpu.time',
    unit: 's',
    description: 'Total CPU seconds, by mode.',
    prometheus: 'process_cpu_time_seconds_total',
  },
  processMemoryUsage: {
    name: 'process.memory.usage',
    unit: 'By',
    description: 'Resident set size of the process.',
    prometheus: 'process_memory_usage_bytes',
  },
  eventLoopDelayP99: {
    name: 'nodejs.eventloop.delay.p99',
    unit: 's',
    description: 'Event-loop delay, 99th percentile since the previous collection.',
    prometheus: 'nodejs_eventloop_delay_p99_seconds',
  },
} as const satisfies Record<string, MetricSpec>;

/** Attribute names on the metrics above (semantic conventions where they exist). */
export const METRIC_ATTRIBUTES = {
  method: 'http.request.method',
  route: 'http.route',
  status: 'http.response.status_code',
  scheme: 'url.scheme',
  errorType: 'error.type',
  paymentOutcome: 'app.payment.outcome',
  faultKind: 'app.fault.kind',
  cpuMode: 'cpu.mode',
} as const;

/** The `http.route` of requests that matched no route (never the raw path). */
export const UNMATCHED_ROUTE = 'unmatched';

/** Semantic-convention bucket boundaries of http.server.request.duration, seconds. */
export const DURATION_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

/** Resource attributes every plane's telemetry carries. */
export const RESOURCE_ATTRIBUTES = {
  environment: 'deployment.environment.name',
  dataPlane: 'data_plane.id',
  customer: 'customer.id',
} as const;

/**
 * A PromQL matcher for one bucket boundary of the duration histogram. Prometheus 3 stores a
 * scraped `le` as a float (`1.0`), while remote write from the collector keeps `1`: an integer
 * boundary matches both spellings, so pulled and pushed planes agree.
 */
export function leMatcher(seconds: number): string {
  return Number.isInteger(seconds) ? `le=~"${seconds}|${seconds}.0"` : `le="${seconds}"`;
}
