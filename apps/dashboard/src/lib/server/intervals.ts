import type { Series } from './prometheus.ts';

// Range-query results as time intervals: a fault or a firing alert is a series that has a
// sample (value > 0) at every step while it lasts, so each run of consecutive steps is one
// [start, end] interval. Pure, for the annotation bands.

export interface Interval {
  /** Unix seconds of the first and the last step the series was active at. */
  start: number;
  end: number;
  /** Still active at the end of the range. */
  open: boolean;
  labels: Record<string, string>;
}

/**
 * The intervals of every series over a range query's grid, at most `limit` (the most recent
 * ones; `truncated` says some were left out), sorted by start. Steps further apart than one
 * step (1.5 steps, for jitter) are separate intervals.
 */
export function toIntervals(
  series: Series[],
  range: { start: number; end: number; step: number },
  limit = 50,
): { intervals: Interval[]; truncated: boolean } {
  const all: Interval[] = [];
  for (const s of series) {
    const times = s.points
      .filter(([, v]) => Number.isFinite(v) && v > 0)
      .map(([t]) => t)
      .sort((a, b) => a - b);
    let first: number | undefined;
    let last: number | undefined;
    const close = () => {
      if (first === undefined || last === undefined) return;
      all.push({
        start: first,
        end: last,
        open: last >= range.end - range.step / 2,
        labels: s.metric,
      });
    };
    for (const t of times) {
      if (last !== undefined && t - last > range.step * 1.5) {
        close();
        first = undefined;
      }
      first ??= t;
      last = t;
    }
    close();
  }
  all.sort((a, b) => b.end - a.end || b.start - a.start);
  const kept = all.slice(0, limit).sort((a, b) => a.start - b.start || a.end - b.end);
  return { intervals: kept, truncated: all.length > limit };
}
