import type { Sample, Series } from './server/prometheus.ts';

/** Chart series named by one label (e.g. `environment`), sorted by name for stable legends. */
export function toChartSeries(
  series: Series[],
  label: string,
  fallback = 'all',
): Array<{ name: string; points: Array<[number, number]> }> {
  return series
    .map((s) => ({
      name: s.metric[label] ?? fallback,
      points: s.points.filter(([, v]) => Number.isFinite(v)),
    }))
    .filter((s) => s.points.length > 0)
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
