import { DURATION_BUCKETS, METRIC_ATTRIBUTES, METRICS, type MetricSpec } from '@outpost/outputs';
import { REQUEST_SERIES, type PlaneSnapshot } from './model.ts';

// A plane's scrape in the Prometheus text format (0.0.4), shaped like what the API's OpenTelemetry
// Prometheus exporter serves: the contract's series names, attribute names with dots turned into
// underscores, the meter's scope labels, and `error_type` on 5xx. No resource labels: Prometheus
// adds `customer`, `environment` and `data_plane` from its scrape config. The label part of
// every line is the same for every plane, so it is built once and only values are filled in.

export const CONTENT_TYPE = 'text/plain; version=0.0.4';

/** The API's meter (apps/api/src/telemetry.ts), which the exporter puts on every series. */
const SCOPE = { otel_scope_name: '@outpost/api', otel_scope_version: '0.1.0' };

/** The Prometheus label name of an OpenTelemetry attribute, as the exporter writes it. */
export function labelName(attribute: string): string {
  return attribute.replace(/[^a-zA-Z0-9_]/g, '_');
}

const L = Object.fromEntries(
  Object.entries(METRIC_ATTRIBUTES).map(([key, attribute]) => [key, labelName(attribute)]),
) as { [K in keyof typeof METRIC_ATTRIBUTES]: string };

const escape = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** `{a="1",b="2"}` with the scope labels after the given ones (and `le` last, when given). */
function labels(pairs: ReadonlyArray<readonly [string, string]>, le?: string): string {
  const all = [
    ...pairs,
    ...Object.entries(SCOPE),
    ...(le === undefined ? [] : [['le', le] as const]),
  ];
  return `{${all.map(([k, v]) => `${k}="${escape(v)}"`).join(',')}}`;
}

function header(spec: MetricSpec, type: 'counter' | 'gauge' | 'histogram'): string {
  const name = spec.prometheus;
  return `# HELP ${name} ${spec.description}\n# UNIT ${name} ${spec.unit}\n# TYPE ${name} ${type}\n`;
}

const DURATION = METRICS.requestDuration.prometheus;
const LE = [...DURATION_BUCKETS.map(String), '+Inf'];

/** For each request series: the `_bucket` line prefixes (one per `le`), `_sum` and `_count`. */
const REQUEST_LINES = REQUEST_SERIES.map((s) => {
  const pairs = [
    [L.method, s.method],
    [L.scheme, 'http'],
    [L.route, s.route],
    [L.status, String(s.status)],
    // Semantic conventions: a server error's type is its status code.
    ...(s.status >= 500 ? [[L.errorType, String(s.status)] as const] : []),
  ] as const;
  return {
    buckets: LE.map((le) => `${DURATION}_bucket${labels(pairs, le)} `),
    sum: `${DURATION}_sum${labels(pairs)} `,
    count: `${DURATION}_count${labels(pairs)} `,
  };
});

const line = (name: string, pairs: ReadonlyArray<readonly [string, string]> = []) =>
  `${name}${labels(pairs)} `;

const P = {
  cpuUser: line(METRICS.processCpuTime.prometheus, [[L.cpuMode, 'user']]),
  cpuSystem: line(METRICS.processCpuTime.prometheus, [[L.cpuMode, 'system']]),
  memory: line(METRICS.processMemoryUsage.prometheus),
  eventLoop: line(METRICS.eventLoopDelayP99.prometheus),
  activeGet: line(METRICS.activeRequests.prometheus, [
    [L.method, 'GET'],
    [L.scheme, 'http'],
  ]),
  activePost: line(METRICS.activeRequests.prometheus, [
    [L.method, 'POST'],
    [L.scheme, 'http'],
  ]),
  orders: line(METRICS.ordersCreated.prometheus),
  approved: line(METRICS.paymentsProcessed.prometheus, [[L.paymentOutcome, 'approved']]),
  declined: line(METRICS.paymentsProcessed.prometheus, [[L.paymentOutcome, 'declined']]),
  search: line(METRICS.searchQueries.prometheus),
  reports: line(METRICS.reportsGenerated.prometheus),
  // No faults are ever injected into a simulated plane; the series exist, as on a real one.
  faults: (['error', 'latency'] as const).map((kind) =>
    line(METRICS.faultsActive.prometheus, [
      [L.faultKind, kind],
      [L.route, 'all'],
      [L.method, 'all'],
    ]),
  ),
};

/** The scrape of one plane. */
export function renderPlane(s: PlaneSnapshot): string {
  const out: string[] = [
    header(METRICS.processCpuTime, 'counter'),
    `${P.cpuUser}${s.cpuUserSeconds}\n${P.cpuSystem}${s.cpuSystemSeconds}\n`,
    header(METRICS.processMemoryUsage, 'gauge'),
    `${P.memory}${s.memoryBytes}\n`,
    header(METRICS.eventLoopDelayP99, 'gauge'),
    `${P.eventLoop}${s.eventLoopP99Seconds}\n`,
    header(METRICS.requestDuration, 'histogram'),
  ];
  s.requests.forEach((r, i) => {
    const lines = REQUEST_LINES[i]!;
    // The last `le` is +Inf: every request, `_count`.
    lines.buckets.forEach((prefix, j) =>
      out.push(`${prefix}${j < r.buckets.length ? r.buckets[j] : r.count}\n`),
    );
    out.push(`${lines.sum}${r.sum}\n${lines.count}${r.count}\n`);
  });
  out.push(
    header(METRICS.activeRequests, 'gauge'),
    `${P.activeGet}${s.activeRequests.GET}\n${P.activePost}${s.activeRequests.POST}\n`,
    header(METRICS.ordersCreated, 'counter'),
    `${P.orders}${s.ordersCreated}\n`,
    header(METRICS.paymentsProcessed, 'counter'),
    `${P.approved}${s.paymentsApproved}\n${P.declined}${s.paymentsDeclined}\n`,
    header(METRICS.searchQueries, 'counter'),
    `${P.search}${s.searchQueries}\n`,
    header(METRICS.reportsGenerated, 'counter'),
    `${P.reports}${s.reportsGenerated}\n`,
    header(METRICS.faultsActive, 'gauge'),
    ...P.faults.map((prefix) => `${prefix}0\n`),
  );
  return out.join('');
}
