import type { StackOutputs } from '@outpost/outputs';
import type { ChartSeries } from '../charts/gaps.ts';
import { toChartSeries } from '../shape.ts';
import type { Combine, SeriesChart } from './catalog.ts';
import { MANY_SERIES, type MetricsView } from './params.ts';
import type { Prometheus } from './prometheus.ts';

// A metrics chart at fleet size: past MANY_SERIES series it draws the top few by the chart's own
// measure (each series' mean over the range) and one "others" series for the rest, so a hundred
// planes are six lines, each named (and coloured) as it is everywhere else. Three queries per
// chart whatever the fleet's size: rank (instant), top (range), others (range).

/** A chart as the page draws it. */
export interface DrawnChart {
  id: string;
  title: string;
  unit: SeriesChart['unit'];
  series: ChartSeries[];
  /** Series folded into "others" (0 when every series is drawn). */
  hidden: number;
}

/** The series `view.by` can have in this view, counted from the stack outputs (no query). */
export function possibleSeries(view: MetricsView, outputs: StackOutputs): number {
  const planes = outputs.dataPlanes.filter(
    (dp) => view.envs.includes(dp.environment) && (!view.customer || dp.customer === view.customer),
  );
  const name = (dp: (typeof planes)[number]) =>
    view.by === 'environment' ? dp.environment : view.by === 'customer' ? dp.customer : dp.id;
  return new Set(planes.map(name)).size;
}

/** The "others" series' name, which its legend entry and tooltip show: what it hides, and how. */
export function othersName(hidden: number, combine: Combine): string {
  return `+ ${hidden} others (${combine === 'mean' ? 'mean' : 'overall'})`;
}

/**
 * The values of `label` ranked by the chart's measure, largest first (ties by name); samples
 * without the label or a finite value are left out.
 */
export function ranked(
  samples: Array<{ metric: Record<string, string>; value: number }>,
  label: string,
) {
  return samples
    .filter((s) => s.metric[label] !== undefined && Number.isFinite(s.value))
    .sort((a, b) => b.value - a.value || a.metric[label]!.localeCompare(b.metric[label]!))
    .map((s) => s.metric[label]!);
}

/**
 * Draws one chart: every series when the view can have at most MANY_SERIES (no ranking query),
 * else the top `view.top` by the chart's measure, in rank order, then "others".
 */
export async function drawChart(
  p: Prometheus,
  chart: SeriesChart,
  view: MetricsView,
  possible: number,
): Promise<DrawnChart> {
  const grid = { start: view.start, end: view.end, step: view.step };
  const range = (expr: string) => p.queryRange(expr, view.start, view.end, view.step);
  const base = { id: chart.id, title: chart.title, unit: chart.unit };
  const everySeries = async () => ({
    ...base,
    series: toChartSeries(await range(chart.expr), chart.by, 'all', grid),
    hidden: 0,
  });
  if (possible <= MANY_SERIES) return everySeries();
  const names = ranked(await p.query(chart.rank, view.end), chart.by);
  if (names.length <= MANY_SERIES || names.length <= view.top) return everySeries();

  const top = names.slice(0, view.top);
  const hidden = names.length - top.length;
  const [shown, rest] = await Promise.all([range(chart.only(top)), range(chart.others(top))]);
  const order = new Map(top.map((name, i) => [name, i]));
  const series = toChartSeries(shown, chart.by, 'all', grid).sort(
    (a, b) => (order.get(a.name) ?? top.length) - (order.get(b.name) ?? top.length),
  );
  // The aggregate has no `by` label: it takes the fallback name.
  const others = toChartSeries(rest, chart.by, othersName(hidden, chart.combine), grid);
  return { ...base, series: [...series, ...others], hidden };
}
