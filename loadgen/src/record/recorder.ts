import {
  newHistogram,
  recordMicros,
  summarize,
  type Histogram,
  type LatencySummary,
} from './histogram.ts';
import { correctedMicros, uncorrectedMicros } from './latency.ts';

// What happened to every scheduled send: dropped, failed on the network, or answered with a
// status, and how long it took (both latency figures). Recorders merge, so the run keeps
// one per target and one per live interval and adds them up for totals.

/** How a response counts. Invalid sends are meant to be refused: a 4xx for them is expected. */
export type Outcome = 'ok' | 'error' | 'expected-rejection';

export function classify(status: number, invalid: boolean): Outcome {
  if (status >= 500) return 'error';
  if (status >= 400) return invalid ? 'expected-rejection' : 'error';
  // A 2xx/3xx for a deliberately invalid body means the API's validation let it through.
  return invalid ? 'error' : 'ok';
}

/** A short, stable name for a transport failure (the `errors by status` column). */
export function failureName(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
  if (code === 'UND_ERR_ABORTED') return 'aborted';
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  return 'network-error';
}

export interface RouteCounts {
  count: number;
  errors: number;
}

export interface RecorderSnapshot {
  scheduled: number;
  dropped: number;
  completed: number;
  errors: number;
  expectedRejections: number;
  /** HTTP status codes and transport failure names, with counts. */
  statuses: Record<string, number>;
  routes: Record<string, RouteCounts>;
  latency: { corrected: LatencySummary; uncorrected: LatencySummary };
}

export class Recorder {
  readonly corrected: Histogram = newHistogram();
  readonly uncorrected: Histogram = newHistogram();
  scheduled = 0;
  dropped = 0;
  completed = 0;
  errors = 0;
  expectedRejections = 0;
  readonly statuses = new Map<string, number>();
  readonly routes = new Map<string, RouteCounts>();

  schedule(): void {
    this.scheduled++;
  }

  /** A send that could not start on time (in-flight limit reached): counted, never hidden. */
  drop(route: string): void {
    this.dropped++;
    this.#count('dropped');
    this.#route(route, true);
  }

  response(
    route: string,
    status: number,
    invalid: boolean,
    intendedMs: number,
    sentMs: number,
    endMs: number,
  ): Outcome {
    const outcome = classify(status, invalid);
    this.completed++;
    if (outcome === 'error') this.errors++;
    if (outcome === 'expected-rejection') this.expectedRejections++;
    this.#count(String(status));
    this.#route(route, outcome === 'error');
    recordMicros(this.corrected, correctedMicros(intendedMs, sentMs, endMs));
    recordMicros(this.uncorrected, uncorrectedMicros(sentMs, endMs));
    return outcome;
  }

  /** A send that failed without a response (refused, reset, timed out). */
  failure(route: string, name: string): void {
    this.completed++;
    this.errors++;
    this.#count(name);
    this.#route(route, true);
  }

  /** Adds another recorder's counts and histograms into this one. */
  merge(other: Recorder): void {
    this.corrected.add(other.corrected);
    this.uncorrected.add(other.uncorrected);
    this.scheduled += other.scheduled;
    this.dropped += other.dropped;
    this.completed += other.completed;
    this.errors += other.errors;
    this.expectedRejections += other.expectedRejections;
    for (const [k, v] of other.statuses) this.statuses.set(k, (this.statuses.get(k) ?? 0) + v);
    for (const [k, v] of other.routes) {
      const mine = this.routes.get(k) ?? { count: 0, errors: 0 };
      this.routes.set(k, { count: mine.count + v.count, errors: mine.errors + v.errors });
    }
  }

  reset(): void {
    this.corrected.reset();
    this.uncorrected.reset();
    this.scheduled = this.dropped = this.completed = this.errors = this.expectedRejections = 0;
    this.statuses.clear();
    this.routes.clear();
  }

  snapshot(): RecorderSnapshot {
    return {
      scheduled: this.scheduled,
      dropped: this.dropped,
      completed: this.completed,
      errors: this.errors,
      expectedRejections: this.expectedRejections,
      statuses: Object.fromEntries([...this.statuses].sort(([a], [b]) => a.localeCompare(b))),
      routes: Object.fromEntries(this.routes),
      latency: { corrected: summarize(this.corrected), uncorrected: summarize(this.uncorrected) },
    };
  }

  #count(key: string): void {
    this.statuses.set(key, (this.statuses.get(key) ?? 0) + 1);
  }

  #route(route: string, error: boolean): void {
    const counts = this.routes.get(route) ?? { count: 0, errors: 0 };
    counts.count++;
    if (error) counts.errors++;
    this.routes.set(route, counts);
  }
}
