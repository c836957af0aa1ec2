import type { Attributes, UpDownCounter } from '@opentelemetry/api';
import {
  FAULT_TARGET_ALL,
  MAX_TOTAL_FAULT_LATENCY_MS,
  METRIC_ATTRIBUTES,
  type Fault,
  type FaultKind,
} from '@outpost/outputs';

/** The `http.route` and `http.request.method` of METRICS.faultsActive for a fault on every route or method. */
export const ALL = FAULT_TARGET_ALL;
export { MAX_TOTAL_FAULT_LATENCY_MS };

/**
 * The faults injected through /admin/faults: at most one per (route, method) target, a new one
 * replacing the old. Pure state; the plugin applies it to requests.
 */
export class FaultSet {
  #faults: readonly Fault[] = [];

  list(): readonly Fault[] {
    return this.#faults;
  }

  put(fault: Fault): void {
    this.#faults = [
      ...this.#faults.filter((f) => f.route !== fault.route || f.method !== fault.method),
      fault,
    ];
  }

  clear(): void {
    this.#faults = [];
  }

  /** The faults that apply to a request on this route template and (upper-case) method. */
  matching(route: string, method: string): Fault[] {
    return this.#faults.filter(
      (f) => (f.route === null || f.route === route) && (f.method === null || f.method === method),
    );
  }
}

/** Independent failure chances combine: P(fail) = 1 - prod(1 - p). */
export function failureChance(baseErrorRate: number, faults: readonly Fault[]): number {
  const rates = [baseErrorRate, ...faults.map((f) => f.errorRate)];
  return 1 - rates.reduce((ok, p) => ok * (1 - p), 1);
}

/** Latency added to a request: the base plus every matching fault's, at most the cap. */
export function addedLatencyMs(
  baseLatencyMs: number,
  faults: readonly Fault[],
  cap = MAX_TOTAL_FAULT_LATENCY_MS,
): number {
  return Math.min(cap, baseLatencyMs + faults.reduce((sum, f) => sum + f.latencyMs, 0));
}

interface Series {
  attributes: Attributes;
  count: number;
}

function faultAttributes(kind: FaultKind, route: string | null, method: string | null) {
  return {
    [METRIC_ATTRIBUTES.faultKind]: kind,
    [METRIC_ATTRIBUTES.route]: route ?? ALL,
    [METRIC_ATTRIBUTES.method]: method ?? ALL,
  };
}

/**
 * The values of METRICS.faultsActive: active faults by kind, route and method. A fault with both
 * an error rate and a latency counts once under each kind.
 */
export function activeFaultSeries(faults: readonly Fault[]): Map<string, Series> {
  const series = new Map<string, Series>();
  for (const fault of faults) {
    const kinds: FaultKind[] = [];
    if (fault.errorRate > 0) kinds.push('error');
    if (fault.latencyMs > 0) kinds.push('latency');
    for (const kind of kinds) {
      const attributes = faultAttributes(kind, fault.route, fault.method);
      const key = JSON.stringify(attributes);
      const entry = series.get(key) ?? { attributes, count: 0 };
      entry.count += 1;
      series.set(key, entry);
    }
  }
  return series;
}

/**
 * Keeps an UpDownCounter equal to activeFaultSeries(faults): call the returned function after
 * every change. A series whose faults are cleared goes to 0 and stays exported (not absent), and
 * the global series of both kinds exist at 0 from the start, so dashboards can draw fault
 * windows from Prometheus alone.
 */
export function trackActiveFaults(gauge: UpDownCounter): (faults: readonly Fault[]) => void {
  for (const kind of ['error', 'latency'] as const) gauge.add(0, faultAttributes(kind, null, null));
  let previous = new Map<string, Series>();
  return (faults) => {
    const next = activeFaultSeries(faults);
    for (const key of new Set([...previous.keys(), ...next.keys()])) {
      const before = previous.get(key);
      const after = next.get(key);
      const delta = (after?.count ?? 0) - (before?.count ?? 0);
      if (delta !== 0) gauge.add(delta, (after ?? before)!.attributes);
    }
    previous = next;
  };
}
