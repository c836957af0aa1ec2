import { fillGaps, type ChartSeries, type GapPoint } from './charts/gaps.ts';
import type { Sample, Series } from './server/prometheus.ts';

/**
 * Chart series named by one label (e.g. `environment`), sorted by name for stable legends.
 * Series without a single finite value are left out; with a grid (the range query's start,
 * end and step), every step gets a point, null where the series had none (a gap).
 */
export function toChartSeries(
  series: Series[],
  label: string,
  fallback = 'all',
  grid?: { start: number; end: number; step: number },
): ChartSeries[] {
  return series
    .map((s) => {
      const finite = s.points.filter(([, v]) => Number.isFinite(v));
      return {
        name: s.metric[label] ?? fallback,
        finite,
        points: grid ? fillGaps(finite, grid.start, grid.end, grid.step) : (finite as GapPoint[]),
      };
    })
    .filter((s) => s.finite.length > 0)
    .map(({ name, points }) => ({ name, points }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Samples keyed by one label, e.g. { 'acme-prod-01': 12.3 }. */
export function byLabel(samples: Sample[], label: string): Record<string, number> {
  return Object.fromEntries(
    samples.filter((s) => Number.isFinite(s.value)).map((s) => [s.metric[label] ?? '', s.value]),
  );
}

/** The single value of an instant query, or null when it returned nothing usable. */
export function scalar(samples: Sample[]): number | null {
  const value = samples[0]?.value;
  return value !== undefined && Number.isFinite(value) ? value : null;
}
