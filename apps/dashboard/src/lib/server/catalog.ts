import {
  BURN_RATES,
  burnWindows,
  METRICS,
  PUSH_JOB_PATTERN,
  RECORDED,
  sloBadRatio,
  sloRatioRecord,
  type SloOutput,
} from '@outpost/outputs';
import type { Dimension, MetricsView, View } from './params.ts';

// The allow-listed PromQL the dashboard runs. Queries read the recording rules
// (docs/metrics.md); label values come only from validated parameters, or from Prometheus's own
// answers (the top series of a chart), and are escaped anyway.

/** Escapes a value for use inside a PromQL double-quoted string. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Escapes a literal for use inside a PromQL regular expression. */
export function regexLiteral(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Drops NaN samples (a quantile or ratio of no requests): `NaN >= 0` is false. */
const measured = (expr: string) => `(${expr}) >= 0`;

/** The view's span as a PromQL duration (at least a minute). */
const span = (view: Pick<View, 'start' | 'end'>) =>
  `${Math.max(60, Math.round(view.end - view.start))}s`;

/**
 * The label selector of a view: its environments and customer, after any fixed matchers
 * (`extra`, from this file only, never from a request).
 */
export function selector(
  view: Pick<View, 'envs' | 'customer'>,
  extra: Record<string, string> = {},
): string {
  const parts = Object.entries(extra).map(([k, v]) => `${k}=${quote(v)}`);
  parts.push(`environment=~${quote(view.envs.map(regexLiteral).join('|'))}`);
  if (view.customer) parts.push(`customer=${quote(view.customer)}`);
  return `{${parts.join(',')}}`;
}

/** A named query with the unit of its values, for charts and cards. */
export interface CatalogQuery {
  id: string;
  title: string;
  unit: 'req/s' | 's' | 'ratio' | 'count' | 'ops/s';
  expr: string;
}

/**
 * How a chart's hidden series make its one "others" series, on the scale of the lines beside
 * it: `mean`, the mean of their values (a typical other plane; idle ones, NaN, left out), or
 * `ratio`, their errors over their requests (the others' overall error ratio).
 */
export type Combine = 'mean' | 'ratio';

/**
 * A time-series chart of the metrics page, one series per value of the view's `by` label.
 * `expr` draws every series; past MANY_SERIES the page ranks them by `rank` and draws `only`
 * the top few plus `others`, so a fleet of hundreds is a handful of lines.
 */
export interface SeriesChart extends CatalogQuery {
  by: Dimension;
  combine: Combine;
  /** Each series' mean over the view's span (idle steps left out), at the span's end. */
  rank: string;
  /** The series of the given values of `by` (values Prometheus returned, escaped). */
  only(values: readonly string[]): string;
  /** One series for every value of `by` but the given ones, combined as `combine` says. */
  others(values: readonly string[]): string;
}

/** `label=~"a|b"` or `label!~"a|b"` over literal values. */
function valueMatcher(label: string, values: readonly string[], negate: boolean): string {
  return `${label}${negate ? '!~' : '=~'}${quote(values.map(regexLiteral).join('|'))}`;
}

/** The time-series charts of the metrics page, one series per `view.by` value. */
export function metricsCharts(view: MetricsView): SeriesChart[] {
  const d = view.by;
  /** The view's selector, plus one matcher on `d` (none for every series). */
  const sel = (matcher?: string) => {
    const s = selector(view);
    return matcher ? `${s.slice(0, -1)},${matcher}}` : s;
  };
  const requests = (m?: string) => `${RECORDED.planeRequests}${sel(m)}`;
  const errors = (m?: string) => `${RECORDED.planeErrors}${sel(m)}`;
  const active = (m?: string) => `${RECORDED.planeActive}${sel(m)}`;
  // Latency quantiles are recorded per plane, and per customer and environment: a customer's
  // or environment's line is its worst environment's quantile.
  const quantile = (q: 'P50' | 'P95' | 'P99') => (m?: string) =>
    d === 'data_plane'
      ? `max by (data_plane) (${RECORDED[`plane${q}`]}${sel(m)})`
      : `max by (${d}) (${RECORDED[`env${q}`]}${sel(m)})`;

  const chart = (
    id: string,
    title: string,
    unit: CatalogQuery['unit'],
    series: (m?: string) => string,
    ratio?: (m: string) => string,
  ): SeriesChart => ({
    id,
    title,
    unit,
    by: d,
    combine: ratio ? 'ratio' : 'mean',
    expr: series(),
    rank: `avg_over_time((${measured(series())})[${span(view)}:${view.step}s])`,
    only: (values) => series(valueMatcher(d, values, false)),
    others: (values) => {
      const m = valueMatcher(d, values, true);
      return ratio ? ratio(m) : `avg(${measured(series(m))})`;
    },
  });
  return [
    chart('rate', 'Request rate', 'req/s', (m) => `sum by (${d}) (${requests(m)})`),
    chart(
      'errors',
      'Error rate (5xx share)',
      'ratio',
      (m) => `sum by (${d}) (${errors(m)}) / sum by (${d}) (${requests(m)})`,
      (m) => `sum(${errors(m)}) / sum(${requests(m)})`,
    ),
    chart('p50', 'Latency p50', 's', quantile('P50')),
    chart('p95', 'Latency p95', 's', quantile('P95')),
    chart('p99', 'Latency p99', 's', quantile('P99')),
    chart('active', 'Active requests', 'count', (m) => `sum by (${d}) (${active(m)})`),
  ];
}

/** Business rates, one series per kind (summed over the view's environments). */
export function businessCharts(view: View): CatalogQuery[] {
  const s = selector(view);
  return [
    {
      id: 'orders',
      title: 'Orders',
      unit: 'ops/s',
      expr: `sum(${RECORDED.planeOrders}${s})`,
    },
    {
      id: 'payments',
      title: 'Payments',
      unit: 'ops/s',
      expr: `sum by (app_payment_outcome) (${RECORDED.planePayments}${s})`,
    },
    {
      id: 'searches',
      title: 'Searches',
      unit: 'ops/s',
      expr: `sum(${RECORDED.planeSearches}${s})`,
    },
    {
      id: 'reports',
      title: 'Reports',
      unit: 'ops/s',
      expr: `sum(${RECORDED.planeReports}${s})`,
    },
  ];
}

/**
 * Summary cards: the mean over the view's span, and the same over the span before it. Latency
 * and error ratio average only the steps that had requests, so one idle step (NaN) does not
 * turn the whole card into "–".
 */
export function summaryCards(view: View): Array<CatalogQuery & { previous: string }> {
  const s = selector(view);
  const range = span(view);
  const card = (id: string, title: string, unit: CatalogQuery['unit'], inner: string) => ({
    id,
    title,
    unit,
    expr: `avg_over_time((${inner})[${range}:${view.step}s])`,
    previous: `avg_over_time((${inner})[${range}:${view.step}s] offset ${range})`,
  });
  return [
    card('rate', 'Request rate', 'req/s', `sum(${RECORDED.planeRequests}${s})`),
    card('p50', 'p50 latency', 's', measured(`max(${RECORDED.envP50}${s})`)),
    card('p95', 'p95 latency', 's', measured(`max(${RECORDED.envP95}${s})`)),
    card('p99', 'p99 latency', 's', measured(`max(${RECORDED.envP99}${s})`)),
    card(
      'errors',
      'Error rate',
      'ratio',
      measured(`sum(${RECORDED.planeErrors}${s}) / sum(${RECORDED.planeRequests}${s})`),
    ),
    card('active', 'Active requests', 'count', `sum(${RECORDED.planeActive}${s})`),
  ];
}

/** The ten slowest routes by p95 now (routes without requests, a NaN p95, left out). */
export function slowestRoutes(view: View): string {
  return `topk(10, ${measured(`max by (environment, http_route, http_request_method) (${RECORDED.routeP95}${selector(view)})`)})`;
}

const memory = METRICS.processMemoryUsage.prometheus;
const pushed = `${memory}{job=~${quote(PUSH_JOB_PATTERN)}}`;

/**
 * The overview's queries: a fixed set, each aggregated `by (data_plane)`, whatever the fleet's
 * size. Pull planes have a scrape target (`up`), and count as down, like the DataPlaneDown
 * alert, when the target answers but the API's own series are gone (`memory` absent). Push
 * planes have none, so they count as up while their API's samples keep reaching the gateway
 * (within 2m, the DataPlaneSilent alert's default window). `alerts` counts firing alerts per
 * plane and name; alerts without a plane (the control plane's own) come back without
 * `data_plane`.
 */
export const OVERVIEW = {
  up: 'max by (data_plane) (up{job=~"data-plane-.+"})',
  scrapeAge: 'time() - max by (data_plane) (timestamp(up{job=~"data-plane-.+"}))',
  memory: `max by (data_plane) (${memory})`,
  pushUp: `max by (data_plane) (present_over_time(${pushed}[2m]))`,
  pushAge: `time() - max by (data_plane) (timestamp(${pushed}))`,
  rate: `sum by (data_plane) (${RECORDED.planeRequests})`,
  errors: `max by (data_plane) (${RECORDED.planeErrorRatio})`,
  p95: `max by (data_plane) (${RECORDED.planeP95})`,
  cpu: `max by (data_plane) (${RECORDED.planeCpu})`,
  alerts: 'count by (data_plane, alertname) (ALERTS{alertstate="firing"})',
} as const;

/** SLO queries for one objective over its window, per data plane. */
export function sloQueries(slo: {
  name: string;
  objective: number;
  window: string;
  thresholdSeconds?: number | undefined;
}) {
  // The contract's SLIs, the ones the recording rules and alerts use (@outpost/outputs).
  const kind =
    slo.name === 'latency' && slo.thresholdSeconds !== undefined ? 'latency' : 'availability';
  const budget = 1 - slo.objective;
  const bad = sloBadRatio(kind, slo.window, {
    fn: 'increase',
    ...(kind === 'latency' ? { thresholdSeconds: slo.thresholdSeconds! } : {}),
  });
  return {
    sli: `1 - (${bad})`,
    burn: (w: string) => `${sloRatioRecord(kind, w)} / ${budget}`,
  };
}

/**
 * The windows whose burn rates the SLO page shows: every window of the stack's burn-rate alerts
 * (the stack outputs carry them; default the contract's), shortest first.
 */
export function burnWindowsOf(slo: SloOutput): string[] {
  return burnWindows(slo.burnRates ?? BURN_RATES);
}

/**
 * Annotation windows over the view's range (range queries; intervals are made server-side,
 * lib/server/intervals.ts): injected faults by environment and kind (METRICS.faultsActive is 1
 * while a fault is active), and firing alerts of the view's environments (alerts without an
 * environment label, such as the Watchdog, never match).
 */
export function annotationQueries(view: Pick<View, 'envs' | 'customer'>) {
  return {
    faults: `max by (environment, app_fault_kind) (${METRICS.faultsActive.prometheus}${selector(view)}) > 0`,
    alerts: `ALERTS${selector(view, { alertstate: 'firing' })}`,
  };
}
