import type { ControlPlaneConfig } from '../config.ts';

// Multiwindow, multi-burn-rate SLO alerts (the Google SRE workbook's recipe): a page when the
// error budget burns 14.4x too fast over 1 h (confirmed over 5 m) or 6x over 6 h (30 m); a
// ticket at 3x over 1 d (2 h) or 1x over 3 d (6 h).

export const SLO_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;

const BURNS = [
  { severity: 'page', long: '1h', short: '5m', factor: 14.4 },
  { severity: 'page', long: '6h', short: '30m', factor: 6 },
  { severity: 'ticket', long: '1d', short: '2h', factor: 3 },
  { severity: 'ticket', long: '3d', short: '6h', factor: 1 },
] as const;

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const BY = 'customer, environment, data_plane';

export function sloRuleGroups(slos: ControlPlaneConfig['slos'], runbooks: string) {
  const threshold = String(slos.latency.thresholdSeconds);
  const recordings: Rule[] = SLO_WINDOWS.flatMap((w) => [
    {
      record: `data_plane:slo_availability_error_ratio:rate${w}`,
      expr:
        `(sum by (${BY}) (rate(http_server_request_duration_seconds_count{http_response_status_code=~"5.."}[${w}])) ` +
        `or sum by (${BY}) (rate(http_server_request_duration_seconds_count[${w}])) * 0) ` +
        `/ sum by (${BY}) (rate(http_server_request_duration_seconds_count[${w}]))`,
    },
    {
      record: `data_plane:slo_latency_slow_ratio:rate${w}`,
      expr:
        `1 - sum by (${BY}) (rate(http_server_request_duration_seconds_bucket{le="${threshold}"}[${w}])) ` +
        `/ sum by (${BY}) (rate(http_server_request_duration_seconds_count[${w}]))`,
    },
  ]);

  const alerts = (
    kind: 'availability' | 'latency',
    series: string,
    objective: number,
    what: string,
  ): Rule[] =>
    BURNS.map((burn) => {
      const budget = +(1 - objective).toFixed(6);
      const limit = +(burn.factor * budget).toFixed(6);
      return {
        alert: kind === 'availability' ? 'SLOAvailabilityBurnRateHigh' : 'SLOLatencyBurnRateHigh',
        expr: `${series}${burn.long} > ${limit} and ${series}${burn.short} > ${limit}`,
        for: burn.severity === 'page' ? '2m' : '15m',
        labels: {
          severity: burn.severity,
          slo: kind,
          long_window: burn.long,
          burn_rate: String(burn.factor),
        },
        annotations: {
          summary: `{{ $labels.data_plane }} burns its ${kind} error budget ${burn.factor}x too fast`,
          description:
            `Over ${burn.long} (confirmed over ${burn.short}), {{ $value | humanizePercentage }} of requests ${what}; ` +
            `the objective ${objective} allows ${budget}.`,
          runbook_url: `${runbooks}/${kind === 'availability' ? 'SLOAvailabilityBurnRateHigh' : 'SLOLatencyBurnRateHigh'}.md`,
        },
      };
    });

  return [
    { name: 'outpost-slo-recording', rules: recordings },
    {
      name: 'outpost-slo-alerts',
      rules: [
        ...alerts(
          'availability',
          'data_plane:slo_availability_error_ratio:rate',
          slos.availability.objective,
          'failed with 5xx',
        ),
        ...alerts(
          'latency',
          'data_plane:slo_latency_slow_ratio:rate',
          slos.latency.objective,
          `took longer than ${threshold} s`,
        ),
      ],
    },
  ];
}
