import { Recorder } from './recorder.ts';

// The run's recorders: one per target for the current live interval, folded at the end of
// each interval into that target's total and into the run's total. Sends are recorded in
// the open interval only; the live figures (achieved rate, window percentiles) come from
// the last folded one, and the totals hold every interval folded so far.

export class IntervalRecorders {
  readonly #open: Recorder[];
  readonly #targets: Recorder[];
  /** The last folded interval, all targets together. */
  readonly live = new Recorder();
  /** Every folded interval, all targets together. */
  readonly total = new Recorder();

  constructor(targets: number) {
    this.#open = Array.from({ length: targets }, () => new Recorder());
    this.#targets = Array.from({ length: targets }, () => new Recorder());
  }

  /** Where the sends to target `i` are recorded until the next fold. */
  open(i: number): Recorder {
    return this.#open[i] as Recorder;
  }

  /** Target `i`'s folded intervals. */
  target(i: number): Recorder {
    return this.#targets[i] as Recorder;
  }

  /** Closes the interval: it becomes `live`, and is added to the totals. */
  fold(): void {
    this.live.reset();
    this.#open.forEach((open, i) => {
      this.live.merge(open);
      this.target(i).merge(open);
      open.reset();
    });
    this.total.merge(this.live);
  }
}
