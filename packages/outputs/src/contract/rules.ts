// The recording rules: the dashboard's interface to the raw metrics (docs/metrics.md), named
// `level:metric:operations`. config/rules/recording.yml records them under these names and the
// dashboard queries them by these names, so a rename happens here once.

export const RECORDED = {
  planeRequests: 'data_plane:http_server_requests:rate1m',
  planeErrors: 'data_plane:http_server_errors:rate1m',
  planeErrorRatio: 'data_plane:http_server_error_ratio:rate1m',
  planeP50: 'data_plane:http_server_request_duration_seconds:p50_rate1m',
  planeP95: 'data_plane:http_server_request_duration_seconds:p95_rate1m',
  planeP99: 'data_plane:http_server_request_duration_seconds:p99_rate1m',
  planeActive: 'data_plane:http_server_active_requests:sum',
  planeOrders: 'data_plane:app_orders_created:rate1m',
  planePayments: 'data_plane:app_payments_processed:rate1m',
  planeSearches: 'data_plane:app_search_queries:rate1m',
  planeReports: 'data_plane:app_reports_generated:rate1m',
  planeCpu: 'data_plane:process_cpu_utilization:rate1m',
  planeMemory: 'data_plane:process_memory_usage_bytes:max',
  planeEventLoop: 'data_plane:nodejs_eventloop_delay_p99_seconds:max',
  envRequests: 'environment:http_server_requests:rate1m',
  envErrorRatio: 'environment:http_server_error_ratio:rate1m',
  envP50: 'environment:http_server_request_duration_seconds:p50_rate1m',
  envP95: 'environment:http_server_request_duration_seconds:p95_rate1m',
  envP99: 'environment:http_server_request_duration_seconds:p99_rate1m',
  routeRequests: 'data_plane_route:http_server_requests:rate1m',
  routeErrorRatio: 'data_plane_route:http_server_error_ratio:rate1m',
  routeP95: 'data_plane_route:http_server_request_duration_seconds:p95_rate1m',
} as const;

export type RecordedSeries = keyof typeof RECORDED;
