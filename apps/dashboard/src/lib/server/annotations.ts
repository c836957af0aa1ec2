import type { Band } from '../charts/bands.ts';
import { annotationQueries } from './catalog.ts';
import { toIntervals, type Interval } from './intervals.ts';
import type { Prometheus } from './prometheus.ts';
import type { View } from './params.ts';

export type { Band };

/** At most this many bands per page (the most recent). */
export const MAX_BANDS = 40;

const LATENCY = ['p50', 'p95', 'p99'];

/** The charts a fault or alert explains: errors on the error chart, latency on the latency charts. */
export function chartsFor(kind: Band['kind'], labels: Record<string, string>): string[] {
  if (kind === 'fault')
    return labels.app_fault_kind === 'latency' ? [...LATENCY, 'active'] : ['errors'];
  const name = labels.alertname ?? '';
  if (/Latency/i.test(name)) return LATENCY;
  if (/Error|Availability/i.test(name)) return ['errors'];
  return ['rate'];
}

/** Intervals as bands (pure). */
export function toBands(kind: Band['kind'], intervals: Interval[]): Band[] {
  return intervals.map((i) => ({
    kind,
    start: i.start,
    end: i.end,
    open: i.open,
    title:
      kind === 'fault'
        ? `${i.labels.app_fault_kind ?? 'unknown'} fault`
        : (i.labels.alertname ?? 'alert'),
    environment: i.labels.environment ?? '',
    charts: chartsFor(kind, i.labels),
  }));
}

/** Fault and alert bands over the view's range, from two allow-listed range queries. */
export async function loadBands(
  p: Prometheus,
  view: View,
): Promise<{ bands: Band[]; truncated: boolean }> {
  const q = annotationQueries(view);
  const range = { start: view.start, end: view.end, step: view.step };
  const [faults, alerts] = await Promise.all([
    p.queryRange(q.faults, view.start, view.end, view.step),
    p.queryRange(q.alerts, view.start, view.end, view.step),
  ]);
  const f = toIntervals(faults, range, MAX_BANDS);
  const a = toIntervals(alerts, range, MAX_BANDS);
  const bands = [...toBands('fault', f.intervals), ...toBands('alert', a.intervals)]
    .sort((x, y) => y.end - x.end)
    .slice(0, MAX_BANDS)
    .sort((x, y) => x.start - y.start);
  return {
    bands,
    truncated: f.truncated || a.truncated || f.intervals.length + a.intervals.length > MAX_BANDS,
  };
}
