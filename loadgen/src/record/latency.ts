// Latency arithmetic, in one place because coordinated omission hides here. Times are
// `performance.now()` milliseconds (fractional); histograms hold whole microseconds.
//
// corrected   = response end - intended start (the schedule's time): what a user arriving
//               on schedule would have waited, including any time the send spent queued
//               because the generator, the pool or the server was behind. The run may send
//               up to 1 ms early (timer resolution); then it counts from the actual send, so
//               the corrected figure is never below the uncorrected one.
// uncorrected = response end - the moment the request went on the wire: what a closed-loop
//               tool reports, blind to the queueing in front of it. Shown for comparison.

export const MICROS_PER_MS = 1000;

/** Milliseconds (fractional) to whole microseconds, never below 1 (the histogram's floor). */
export function msToMicros(ms: number): number {
  return Math.max(1, Math.round(ms * MICROS_PER_MS));
}

export function correctedMicros(intendedStartMs: number, sentMs: number, endMs: number): number {
  return msToMicros(endMs - Math.min(intendedStartMs, sentMs));
}

export function uncorrectedMicros(sentMs: number, endMs: number): number {
  return msToMicros(endMs - sentMs);
}

/** How late a send went out compared with its schedule, microseconds (0 when on time). */
export function lateMicros(intendedStartMs: number, sentMs: number): number {
  return Math.max(0, Math.round((sentMs - intendedStartMs) * MICROS_PER_MS));
}

/** Microseconds back to milliseconds for reports, to the microsecond. */
export function microsToMs(us: number): number {
  return Math.round(us) / MICROS_PER_MS;
}
