// Runtime fault injection (/admin/faults on each API), shared by the API, the load
// generator's scenarios and the dashboard's annotations (through METRICS.faultsActive).

/** A fault: extra error rate and latency, for one route (and optionally method) or globally. */
export interface Fault {
  /** Share of matching requests that fail with a simulated 500 (0..1). */
  errorRate: number;
  /** Latency added to matching requests, milliseconds. */
  latencyMs: number;
  /** Route template (e.g. `/api/orders`); null for every business route. */
  route: string | null;
  /** HTTP method; null for every method. */
  method: string | null;
}

/** What a fault does, the `app.fault.kind` attribute of METRICS.faultsActive. */
export type FaultKind = 'error' | 'latency';

/** Largest latency one fault may add, milliseconds. */
export const MAX_FAULT_LATENCY_MS = 60_000;

/**
 * Most latency added to one request by the base and every matching fault together, so faults on
 * overlapping selectors cannot hold a request for minutes; far above the latency alert's
 * threshold, so a demo incident can still push p95 past it.
 */
export const MAX_TOTAL_FAULT_LATENCY_MS = 10_000;

/** The `http.route` / `http.request.method` of METRICS.faultsActive for a fault on every route or method. */
export const FAULT_TARGET_ALL = 'all';
