import type { Counter, Histogram, Meter, UpDownCounter } from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
} from '@opentelemetry/semantic-conventions';

// The metric catalogue (docs/metrics.md): names from the OpenTelemetry semantic conventions
// where they exist, UCUM units, and the attributes each one carries.

export const ATTR = {
  method: ATTR_HTTP_REQUEST_METHOD,
  route: ATTR_HTTP_ROUTE,
  status: ATTR_HTTP_RESPONSE_STATUS_CODE,
  paymentOutcome: 'app.payment.outcome',
  cpuMode: 'cpu.mode',
} as const;

/** The `http.route` value for requests that matched no route (never the raw path). */
export const UNMATCHED_ROUTE = 'unmatched';

/** Semantic-convention boundaries for http.server.request.duration, seconds. */
export const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

export interface InstrumentSpec {
  name: string;
  unit: string;
  description: string;
}

export const SPECS = {
  requestDuration: {
    name: METRIC_HTTP_SERVER_REQUEST_DURATION,
    unit: 's',
    description: 'Duration of HTTP server requests.',
  },
  activeRequests: {
    name: 'http.server.active_requests',
    unit: '{request}',
    description: 'Number of active HTTP server requests.',
  },
  ordersCreated: { name: 'app.orders.created', unit: '{order}', description: 'Orders created.' },
  paymentsProcessed: {
    name: 'app.payments.processed',
    unit: '{payment}',
    description: 'Payments processed, by outcome (approved or declined).',
  },
  searchQueries: { name: 'app.search.queries', unit: '{query}', description: 'Catalog searches.' },
  reportsGenerated: {
    name: 'app.reports.generated',
    unit: '{report}',
    description: 'Reports generated.',
  },
  processCpuTime: {
    name: 'process.cpu.time',
    unit: 's',
    description: 'Total CPU seconds, by mode.',
  },
  processMemoryUsage: {
    name: 'process.memory.usage',
    unit: 'By',
    description: 'Resident set size of the process.',
  },
  eventLoopDelayP99: {
    name: 'nodejs.eventloop.delay.p99',
    unit: 's',
    description: 'Event-loop delay, 99th percentile since the previous collection.',
  },
} satisfies Record<string, InstrumentSpec>;

export interface Instruments {
  requestDuration: Histogram;
  activeRequests: UpDownCounter;
  ordersCreated: Counter;
  paymentsProcessed: Counter;
  searchQueries: Counter;
  reportsGenerated: Counter;
}

/** Creates the request and business instruments on a meter (called once the provider exists). */
export function createInstruments(meter: Meter): Instruments {
  const counter = (spec: InstrumentSpec) =>
    meter.createCounter(spec.name, { unit: spec.unit, description: spec.description });
  return {
    requestDuration: meter.createHistogram(SPECS.requestDuration.name, {
      unit: SPECS.requestDuration.unit,
      description: SPECS.requestDuration.description,
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
    activeRequests: meter.createUpDownCounter(SPECS.activeRequests.name, {
      unit: SPECS.activeRequests.unit,
      description: SPECS.activeRequests.description,
    }),
    ordersCreated: counter(SPECS.ordersCreated),
    paymentsProcessed: counter(SPECS.paymentsProcessed),
    searchQueries: counter(SPECS.searchQueries),
    reportsGenerated: counter(SPECS.reportsGenerated),
  };
}

/**
 * The unit suffix the OpenTelemetry Collector's Prometheus exporter appends (`s` -> `seconds`,
 * `By` -> `bytes`; annotations such as `{request}` add nothing). The API's own Prometheus
 * exporter does not append units, so telemetry.ts renames instruments with these suffixes on
 * that path only, and both paths store the same series names.
 */
export function prometheusUnitSuffix(unit: string): string | null {
  const suffixes: Record<string, string> = {
    s: 'seconds',
    ms: 'milliseconds',
    By: 'bytes',
    '1': 'ratio',
  };
  return suffixes[unit] ?? null;
}
