import type { Counter, Histogram, Meter, UpDownCounter } from '@opentelemetry/api';
import {
  DURATION_BUCKETS,
  METRIC_ATTRIBUTES,
  METRICS,
  UNMATCHED_ROUTE,
  type MetricSpec,
} from '@outpost/outputs';
import { ActiveRequests } from './active-requests.ts';

// The metric catalogue lives in the contract package (@outpost/outputs, docs/metrics.md):
// names, units, attributes and buckets are defined there once, for the API, the rules and the
// dashboard. This module only creates the instruments from it.

/** Attribute names (semantic conventions where they exist), from the contract. */
export const ATTR = METRIC_ATTRIBUTES;
/** Instrument specs, from the contract. */
export const SPECS = METRICS;
export { DURATION_BUCKETS, UNMATCHED_ROUTE };
export type InstrumentSpec = MetricSpec;

export interface Instruments {
  requestDuration: Histogram;
  /** Observed by the asynchronous UpDownCounter http.server.active_requests. */
  activeRequests: ActiveRequests;
  ordersCreated: Counter;
  paymentsProcessed: Counter;
  searchQueries: Counter;
  reportsGenerated: Counter;
  /** Kept equal to the active faults by the faults plugin (an UpDownCounter, so 0 stays exported). */
  faultsActive: UpDownCounter;
}

/** Creates the request and business instruments on a meter (called once the provider exists). */
export function createInstruments(meter: Meter): Instruments {
  const counter = (spec: MetricSpec) =>
    meter.createCounter(spec.name, { unit: spec.unit, description: spec.description });
  // Created in the catalogue's order, which is the order of the exported metrics.
  const requestDuration = meter.createHistogram(SPECS.requestDuration.name, {
    unit: SPECS.requestDuration.unit,
    description: SPECS.requestDuration.description,
    advice: { explicitBucketBoundaries: [...DURATION_BUCKETS] },
  });
  const activeRequests = new ActiveRequests();
  meter
    .createObservableUpDownCounter(SPECS.activeRequests.name, {
      unit: SPECS.activeRequests.unit,
      description: SPECS.activeRequests.description,
    })
    .addCallback((result) => activeRequests.observe(result));
  return {
    requestDuration,
    activeRequests,
    ordersCreated: counter(SPECS.ordersCreated),
    paymentsProcessed: counter(SPECS.paymentsProcessed),
    searchQueries: counter(SPECS.searchQueries),
    reportsGenerated: counter(SPECS.reportsGenerated),
    faultsActive: meter.createUpDownCounter(SPECS.faultsActive.name, {
      unit: SPECS.faultsActive.unit,
      description: SPECS.faultsActive.description,
    }),
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
