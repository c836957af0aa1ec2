import { METRICS, PUSH_JOB_PATTERN } from '@outpost/outputs';
import type { View } from './params.ts';

// The allow-listed PromQL the dashboard runs. Queries read the recording rules
// (docs/metrics.md); label values come only from validated parameters and are escaped anyway.

/** Escapes a value for use inside a PromQL double-quoted string. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Escapes a literal for use inside a PromQL regular expression. */
export function regexLiteral(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

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

/** The time-series charts of the metrics page, one series per environment. */
export function metricsCharts(view: View): CatalogQuery[] {
  const s = selector(view);
  const byEnv = (expr: string) => `sum by (environment) (${expr})`;
  return [
    {
      id: 'rate',
      title: 'Request rate',
      unit: 'req/s',
      expr: byEnv(`data_plane:http_server_requests:rate1m${s}`),
    },
    {
      id: 'errors',
      title: 'Error rate (5xx share)',
      unit: 'ratio',
      expr: `${byEnv(`data_plane:http_server_errors:rate1m${s}`)} / ${byEnv(`data_plane:http_server_requests:rate1m${s}`)}`,
    },
    {
      id: 'p50',
      title: 'Latency p50',
      unit: 's',
      expr: `max by (environment) (environment:http_server_request_duration_seconds:p50_rate1m${s})`,
    },
    {
      id: 'p95',
      title: 'Latency p95',
      unit: 's',
      expr: `max by (environment) (environment:http_server_request_duration_seconds:p95_rate1m${s})`,
    },
    {
      id: 'p99',
      title: 'Latency p99',
      unit: 's',
      expr: `max by (environment) (environment:http_server_request_duration_seconds:p99_rate1m${s})`,
    },
    {
      id: 'active',
      title: 'Active requests',
      unit: 'count',
      expr: byEnv(`data_plane:http_server_active_requests:sum${s}`),
    },
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
      expr: `sum(data_plane:app_orders_created:rate1m${s})`,
    },
    {
      id: 'payments',
      title: 'Payments',
      unit: 'ops/s',
      expr: `sum by (app_payment_outcome) (data_plane:app_payments_processed:rate1m${s})`,
    },
    {
      id: 'searches',
      title: 'Searches',
      unit: 'ops/s',
      expr: `sum(data_plane:app_search_queries:rate1m${s})`,
    },
    {
      id: 'reports',
      title: 'Reports',
      unit: 'ops/s',
      expr: `sum(data_plane:app_reports_generated:rate1m${s})`,
    },
  ];
}

/** Drops NaN samples (a quantile or ratio of no requests): `NaN >= 0` is false. */
const measured = (expr: string) => `(${expr}) >= 0`;

/**
 * Summary cards: the mean over the view's span, and the same over the span before it. Latency
 * and error ratio average only the steps that had requests, so one idle step (NaN) does not
 * turn the whole card into "–".
 */
export function summaryCards(view: View): Array<CatalogQuery & { previous: string }> {
  const s = selector(view);
  const span = `${Math.max(60, Math.round(view.end - view.start))}s`;
  const card = (id: string, title: string, unit: CatalogQuery['unit'], inner: string) => ({
    id,
    title,
    unit,
    expr: `avg_over_time((${inner})[${span}:${view.step}s])`,
    previous: `avg_over_time((${inner})[${span}:${view.step}s] offset ${span})`,
  });
  return [
    card('rate', 'Request rate', 'req/s', `sum(data_plane:http_server_requests:rate1m${s})`),
    card(
      'p50',
      'p50 latency',
      's',
      measured(`max(environment:http_server_request_duration_seconds:p50_rate1m${s})`),
    ),
    card(
      'p95',
      'p95 latency',
      's',
      measured(`max(environment:http_server_request_duration_seconds:p95_rate1m${s})`),
    ),
    card(
      'p99',
      'p99 latency',
      's',
      measured(`max(environment:http_server_request_duration_seconds:p99_rate1m${s})`),
    ),
    card(
      'errors',
      'Error rate',
      'ratio',
      measured(
        `sum(data_plane:http_server_errors:rate1m${s}) / sum(data_plane:http_server_requests:rate1m${s})`,
      ),
    ),
    card(
      'active',
      'Active requests',
      'count',
      `sum(data_plane:http_server_active_requests:sum${s})`,
    ),
  ];
}

/** The ten slowest routes by p95 now (routes without requests, a NaN p95, left out). */
export function slowestRoutes(view: View): string {
  return `topk(10, ${measured(`max by (environment, http_route, http_request_method) (data_plane_route:http_server_request_duration_seconds:p95_rate1m${selector(view)})`)})`;
}

const pushed = `${METRICS.processMemoryUsage.prometheus}{job=~${quote(PUSH_JOB_PATTERN)}}`;

/**
 * Per data plane, for the landing page: health, headline numbers and resource use. Pull planes
 * have a scrape target (`up`); push planes have none, so they count as up while their API's
 * samples keep reaching the gateway (within 2m, the DataPlaneSilent alert's default window).
 */
export const LANDING = {
  up: 'max by (data_plane) (up{job=~"data-plane-.+"})',
  scrapeAge: 'time() - max by (data_plane) (timestamp(up{job=~"data-plane-.+"}))',
  pushUp: `max by (data_plane) (present_over_time(${pushed}[2m]))`,
  pushAge: `time() - max by (data_plane) (timestamp(${pushed}))`,
  rate: 'sum by (data_plane) (data_plane:http_server_requests:rate1m)',
  p95: 'max by (data_plane) (data_plane:http_server_request_duration_seconds:p95_rate1m)',
  errors: 'max by (data_plane) (data_plane:http_server_error_ratio:rate1m)',
  cpu: 'max by (data_plane) (data_plane:process_cpu_utilization:rate1m)',
  memory: 'max by (data_plane) (data_plane:process_memory_usage_bytes:max)',
  loopDelay: 'max by (data_plane) (data_plane:nodejs_eventloop_delay_p99_seconds:max)',
  alertmanagerUp: 'max(up{job="alertmanager"})',
} as const;

/** SLO queries for one objective over its window, per data plane. */
export function sloQueries(slo: {
  name: string;
  objective: number;
  window: string;
  thresholdSeconds?: number | undefined;
}) {
  const count = 'http_server_request_duration_seconds_count';
  const by = 'sum by (customer, environment, data_plane)';
  const budget = 1 - slo.objective;
  if (slo.name === 'latency' && slo.thresholdSeconds !== undefined) {
    const le = quote(String(slo.thresholdSeconds));
    return {
      sli: `${by} (increase(http_server_request_duration_seconds_bucket{le=${le}}[${slo.window}])) / ${by} (increase(${count}[${slo.window}]))`,
      burn: (w: string) => `data_plane:slo_latency_slow_ratio:rate${w} / ${budget}`,
    };
  }
  return {
    sli: `1 - ((${by} (increase(${count}{http_response_status_code=~"5.."}[${slo.window}])) or ${by} (increase(${count}[${slo.window}])) * 0) / ${by} (increase(${count}[${slo.window}])))`,
    burn: (w: string) => `data_plane:slo_availability_error_ratio:rate${w} / ${budget}`,
  };
}

/** The windows of the burn-rate alerts (page: 1h & 5m, 6h & 30m; ticket: 1d & 2h, 3d & 6h). */
export const BURN_WINDOWS = ['5m', '1h', '6h', '1d', '3d'] as const;

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
