// A rate curve: piecewise-linear request rate over time (seconds, requests per second).
// The schedule needs two things from it: how many sends are due by time t (the integral)
// and when the n-th send is due (the inverse), both exact, so counts and spacing can be
// tested as arithmetic rather than sampled.

export interface Segment {
  /** Start and end of the segment, seconds from the start of the run. */
  start: number;
  end: number;
  /** Rate at the start and at the end, requests per second; linear in between. */
  from: number;
  to: number;
}

export class RateCurve {
  readonly segments: readonly Segment[];
  readonly duration: number;
  /** Integral of the rate from 0 to each segment's start. */
  readonly #cumulative: number[];

  constructor(segments: readonly Segment[]) {
    if (segments.length === 0) throw new Error('a rate curve needs at least one segment');
    let at = 0;
    const cumulative: number[] = [];
    let total = 0;
    for (const s of segments) {
      if (s.start !== at || !(s.end > s.start)) {
        throw new Error(`segments must be contiguous from 0 (got ${s.start}..${s.end} at ${at})`);
      }
      if (!(s.from >= 0 && s.to >= 0)) throw new Error('rates must be >= 0');
      cumulative.push(total);
      total += ((s.from + s.to) / 2) * (s.end - s.start);
      at = s.end;
    }
    cumulative.push(total);
    this.segments = segments;
    this.duration = at;
    this.#cumulative = cumulative;
  }

  /** Total number of sends the curve asks for over its whole duration. */
  get total(): number {
    return this.#cumulative[this.#cumulative.length - 1] ?? 0;
  }

  rateAt(t: number): number {
    const s = this.#segmentAt(t);
    if (!s) return 0;
    return s.from + ((s.to - s.from) * (t - s.start)) / (s.end - s.start);
  }

  /** Sends due from 0 to t: the integral of the rate. */
  integral(t: number): number {
    if (t <= 0) return 0;
    if (t >= this.duration) return this.total;
    const i = this.segments.findIndex((s) => t < s.end);
    const s = this.segments[i] as Segment;
    const x = t - s.start;
    const slope = (s.to - s.from) / (s.end - s.start);
    return (this.#cumulative[i] ?? 0) + s.from * x + (slope * x * x) / 2;
  }

  /** The earliest time the integral reaches c; Infinity when the curve never does. */
  inverse(c: number): number {
    if (c <= 0) return 0;
    if (c > this.total) return Infinity;
    for (let i = 0; i < this.segments.length; i++) {
      const s = this.segments[i] as Segment;
      const before = this.#cumulative[i] ?? 0;
      const after = this.#cumulative[i + 1] ?? 0;
      if (c > after || after === before) continue;
      // Solve from*x + (slope/2)*x^2 = rest for x >= 0. The form 2c/(b + sqrt(b^2 + 4ac))
      // is stable for falling slopes and for a rate starting at zero.
      const rest = c - before;
      const a = (s.to - s.from) / (s.end - s.start) / 2;
      const b = s.from;
      const root = Math.sqrt(Math.max(0, b * b + 4 * a * rest));
      const x = b + root === 0 ? 0 : (2 * rest) / (b + root);
      return Math.min(s.end, s.start + x);
    }
    return Infinity;
  }

  #segmentAt(t: number): Segment | undefined {
    if (t < 0 || t >= this.duration) return undefined;
    return this.segments.find((s) => t < s.end);
  }
}
