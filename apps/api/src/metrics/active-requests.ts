import type { Attributes, ObservableResult } from '@opentelemetry/api';

/**
 * The requests in flight per attribute set, reported as http.server.active_requests (an
 * asynchronous UpDownCounter) when a reader collects. The count is kept here, a map update per
 * request start and end, instead of two synchronous `add` calls into the SDK, each of which
 * hashes its attributes (sort and JSON.stringify); the exported series, attributes and values
 * are the same, read at collection time.
 *
 * Counts are kept per attributes object: pass the shared objects of `HttpAttributes`, one per
 * distinct set, so equal sets are one series and the map stays bounded.
 */
export class ActiveRequests {
  readonly #counts = new Map<Attributes, number>();

  add(value: number, attributes: Attributes): void {
    this.#counts.set(attributes, (this.#counts.get(attributes) ?? 0) + value);
  }

  /** Reports every set seen so far, zeros included (a synchronous UpDownCounter keeps them). */
  observe(result: ObservableResult): void {
    for (const [attributes, value] of this.#counts) result.observe(value, attributes);
  }
}
