import type { RateCurve } from './curve.ts';

// The open-model schedule: the intended start time of every send, evenly spaced along the
// rate curve, whether or not earlier sends have finished. The k-th send (0-based) is due
// when the cumulative count reaches k, so a steady 100 req/s for 10 s gives exactly 1000
// sends, 10 ms apart.
//
// The rate can be changed while the run goes on (keys, the control endpoint): a change at
// time t multiplies the curve by a factor from t on. Each change opens a regime that starts
// at the count already due by then, so sends due before the change keep their times.

interface Regime {
  /** When the regime starts, seconds. */
  t0: number;
  /** Sends due by t0 (fractional). */
  c0: number;
  /** Multiplier of the curve's rate; 0 pauses. */
  factor: number;
}

export class Schedule {
  readonly curve: RateCurve;
  #regimes: Regime[] = [{ t0: 0, c0: 0, factor: 1 }];

  constructor(curve: RateCurve) {
    this.curve = curve;
  }

  get duration(): number {
    return this.curve.duration;
  }

  get factor(): number {
    return this.#last().factor;
  }

  /** Sends due from 0 to t (fractional), with every rate change applied. */
  countAt(t: number): number {
    const r = this.#regimeAtTime(t);
    return r.c0 + r.factor * (this.curve.integral(t) - this.curve.integral(r.t0));
  }

  /** The target rate at t, req/s, with the live factor applied. */
  rateAt(t: number): number {
    return this.#regimeAtTime(t).factor * this.curve.rateAt(t);
  }

  /** Intended start of the k-th send (0-based), seconds; Infinity when the run has no k-th send. */
  timeOf(k: number): number {
    let r = this.#regimes[0] as Regime;
    for (const candidate of this.#regimes) if (candidate.c0 <= k) r = candidate;
    if (k === r.c0) return r.t0;
    if (r.factor === 0) return Infinity;
    const t = this.curve.inverse(this.curve.integral(r.t0) + (k - r.c0) / r.factor);
    return t >= this.curve.duration ? Infinity : Math.max(t, r.t0);
  }

  /** Multiplies the curve by `factor` from time t on (t must not go back in time). */
  setFactor(factor: number, t: number): void {
    if (!(factor >= 0 && Number.isFinite(factor))) throw new Error('factor must be >= 0');
    const last = this.#last();
    if (t < last.t0) throw new Error('rate changes must come in time order');
    this.#regimes.push({ t0: t, c0: this.countAt(t), factor });
  }

  /** Sets the target rate at t to `rate` req/s (as a factor on the curve). */
  setRate(rate: number, t: number): void {
    const base = this.curve.rateAt(t);
    if (!(base > 0)) {
      throw new Error(
        `the pattern's rate is 0 at ${t.toFixed(1)}s; a rate cannot be scaled from 0`,
      );
    }
    this.setFactor(rate / base, t);
  }

  /** Forgets regimes that end before the k-th send, so a long run keeps a bounded list. */
  forgetBefore(k: number): void {
    while (this.#regimes.length > 1 && (this.#regimes[1] as Regime).c0 <= k) this.#regimes.shift();
  }

  #last(): Regime {
    return this.#regimes[this.#regimes.length - 1] as Regime;
  }

  #regimeAtTime(t: number): Regime {
    let r = this.#regimes[0] as Regime;
    for (const candidate of this.#regimes) if (candidate.t0 <= t) r = candidate;
    return r;
  }
}
