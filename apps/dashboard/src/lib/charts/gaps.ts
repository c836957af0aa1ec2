// Idle periods as gaps: a range query returns no point for a step where a series had no
// sample (or NaN, e.g. a latency of no requests). Charts get every step of the range, with
// null where nothing was measured, and draw with `spanGaps: false`, so a line never bridges
// an idle hour as if it had been measured.

/** [unix seconds, value or null]. */
export type GapPoint = [number, number | null];

/** A chart's series: a name (its colour too) and a point per step, null where idle. */
export interface ChartSeries {
  name: string;
  points: GapPoint[];
}

/** Prometheus answers at most 11,000 points per series; a grid is never longer. */
const MAX_STEPS = 11_000;

/**
 * The points on the grid start, start + step, ... end (seconds, as the range query asked),
 * with null at every step the series has no finite value for.
 */
export function fillGaps(
  points: ReadonlyArray<readonly [number, number]>,
  start: number,
  end: number,
  step: number,
): GapPoint[] {
  if (!(step > 0) || !(end >= start)) throw new RangeError(`bad grid ${start}..${end} by ${step}`);
  const count = Math.min(MAX_STEPS, Math.floor((end - start) / step + 1e-9) + 1);
  const grid: GapPoint[] = Array.from({ length: count }, (_, i) => [
    Math.round((start + i * step) * 1000) / 1000,
    null,
  ]);
  for (const [t, v] of points) {
    const i = Math.round((t - start) / step);
    if (i >= 0 && i < count && Number.isFinite(v)) grid[i]![1] = v;
  }
  return grid;
}

/**
 * The grid of a query whose start is unknown (explore): from the earliest to the latest
 * timestamp of any series, which all lie on start + k * step.
 */
export function gridOf(
  series: ReadonlyArray<{ points: ReadonlyArray<readonly [number, number]> }>,
): { start: number; end: number } | null {
  let start = Infinity;
  let end = -Infinity;
  for (const s of series) {
    for (const [t] of s.points) {
      if (t < start) start = t;
      if (t > end) end = t;
    }
  }
  return Number.isFinite(start) ? { start, end } : null;
}

/** The index of the point nearest to `x` in points sorted by x (-1 when there are none). */
export function nearestIndex(points: ReadonlyArray<{ x: number }>, x: number): number {
  if (points.length === 0) return -1;
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.x < x) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && x - points[lo - 1]!.x <= points[lo]!.x - x) return lo - 1;
  return lo;
}
