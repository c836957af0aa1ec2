import { burnWindows, sloBadRatio, sloRatioRecord } from '@outpost/outputs';
import type { ControlPlaneConfig } from '../config.ts';

// The SLO recording and alerting rules, from the contract's SLIs and burn rates.

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export function sloRuleGroups(slos: ControlPlaneConfig['slos'], runbooks: string) {
  const threshold = slos.latency.thresholdSeconds;
  const recordings: Rule[] = burnWindows(slos.burnRates).flatMap((w) => [
    { record: sloRatioRecord('availability', w), expr: sloBadRatio('availability', w) },
    {
      record: sloRatioRecord('latency', w),
      expr: sloBadRatio('latency', w, { thresholdSeconds: threshold }),
    },
  ]);

  const alerts = (kind: 'availability' | 'latency', objective: number, what: string): Rule[] =>
    slos.burnRates.map((burn) => {
      const budget = +(1 - objective).toFixed(6);
      const limit = +(burn.factor * budget).toFixed(6);
      const alert =
        kind === 'availability' ? 'SLOAvailabilityBurnRateHigh' : 'SLOLatencyBurnRateHigh';
      return {
        alert,
        expr: `${sloRatioRecord(kind, burn.long)} > ${limit} and ${sloRatioRecord(kind, burn.short)} > ${limit}`,
        for: burn.severity === 'page' ? slos.pageFor : slos.ticketFor,
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
          runbook_url: `${runbooks}/${alert}.md`,
        },
      };
    });

  return [
    { name: 'outpost-slo-recording', rules: recordings },
    {
      name: 'outpost-slo-alerts',
      rules: [
        ...alerts('availability', slos.availability.objective, 'failed with 5xx'),
        ...alerts('latency', slos.latency.objective, `took longer than ${threshold} s`),
      ],
    },
  ];
}
