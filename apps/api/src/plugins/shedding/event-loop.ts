import { performance } from 'node:perf_hooks';

/** What shedding asks about load; tests substitute one that reports what they need. */
export interface LoadProbe {
  start(): void;
  stop(): void;
  /** How late the event loop runs now, milliseconds. */
  eventLoopDelayMs(): number;
}

/**
 * Samples event-loop delay as hapi's load sampler did (a timer that should fire every
 * `intervalMs`, and how late it fires), without its process.memoryUsage() call: that opens a
 * file, and at the fd limit it threw EMFILE from a timer and killed the process.
 */
export class EventLoopMonitor implements LoadProbe {
  readonly intervalMs: number;
  #timer: NodeJS.Timeout | null = null;
  #scheduledAt = 0;
  #delayMs = 0;

  constructor(intervalMs = 250) {
    this.intervalMs = intervalMs;
  }

  start(): void {
    if (this.#timer) return;
    const schedule = () => {
      this.#scheduledAt = performance.now();
      this.#timer = setTimeout(() => {
        this.#delayMs = Math.max(0, performance.now() - this.#scheduledAt - this.intervalMs);
        schedule();
      }, this.intervalMs);
      this.#timer.unref();
    };
    schedule();
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#delayMs = 0;
  }

  eventLoopDelayMs(): number {
    if (!this.#timer) return 0;
    // A loop blocked right now has not fired the sample yet: count how overdue it is.
    const overdue = performance.now() - this.#scheduledAt - this.intervalMs;
    return Math.max(this.#delayMs, overdue);
  }
}
