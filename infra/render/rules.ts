import {
  collectorJob,
  METRICS,
  planeJob,
  pushJob,
  RECORDED,
  type PlaneLabels,
} from '@outpost/outputs';
import type { ControlPlaneConfig } from '../config.ts';
import { sloRuleGroups } from './slo-rules.ts';
import { loadTemplate, toYaml } from './template.ts';

/** Where runbook links point: docs/runbooks/ of this repository as published. */
export const DEFAULT_RUNBOOK_BASE =
  'https://github.com/outpost-platform/outpost/blob/main/docs/runbooks';

export function renderRecordingRules(cp: ControlPlaneConfig): string {
  const doc = loadTemplate('rules/recording.yml', { ...RECORDED, rateWindow: cp.rateWindow }) as {
    groups: unknown[];
  };
  return toYaml(doc, 'Recording rules (config/rules/recording.yml)');
}

/** The planes rules are rendered for one by one (their absence is what an alert watches). */
export interface RulePlanes {
  /** Pulled planes found by DNS discovery: no `up` series at all when none of their pods is ready. */
  discovered: PlaneLabels[];
  /** Push planes: no `up` series ever; silence is what the gateway's absence of samples shows. */
  pushed: PlaneLabels[];
}

export function renderAlertingRules(
  cp: ControlPlaneConfig,
  planes: RulePlanes = { discovered: [], pushed: [] },
  runbooks = DEFAULT_RUNBOOK_BASE,
): string {
  const a = cp.alerting;
  const doc = loadTemplate('rules/alerting.yml', {
    ...RECORDED,
    runbooks,
    dataPlaneDownFor: a.dataPlaneDownFor,
    symptomFor: a.symptomFor,
    errorRatioThreshold: a.errorRatioThreshold,
    latencyP95ThresholdSeconds: a.latencyP95ThresholdSeconds,
  }) as { groups: unknown[] };
  const annotations = (alert: string, summary: string, description: string) => ({
    summary,
    description,
    runbook_url: `${runbooks}/${alert}.md`,
  });
  const rules = [
    ...planes.discovered.flatMap((p) => [
      {
        alert: 'DataPlaneDown',
        expr: `absent(up{job="${planeJob(p.data_plane)}"})`,
        for: a.dataPlaneDownFor,
        labels: { severity: 'page', ...p },
        annotations: annotations(
          'DataPlaneDown',
          `Data plane ${p.data_plane} (${p.environment}) is down`,
          `Service discovery finds no ready collector of ${p.data_plane}.`,
        ),
      },
      {
        alert: 'CollectorDown',
        expr: `absent(up{job="${collectorJob(p.data_plane)}"})`,
        for: a.dataPlaneDownFor,
        labels: { severity: 'page', ...p },
        annotations: annotations(
          'CollectorDown',
          `The collector of ${p.data_plane} (${p.environment}) is down`,
          `Service discovery finds no ready collector pod of ${p.data_plane}.`,
        ),
      },
    ]),
    ...planes.pushed.map((p) => ({
      alert: 'DataPlaneSilent',
      expr: `absent_over_time(${METRICS.processMemoryUsage.prometheus}{job="${pushJob(p.data_plane)}"}[${a.pushSilentAfter}])`,
      labels: { severity: 'page', ...p },
      annotations: annotations(
        'DataPlaneSilent',
        `Push plane ${p.data_plane} (${p.environment}) is silent`,
        `No sample from ${p.data_plane}'s API has reached the gateway for ${a.pushSilentAfter}.`,
      ),
    })),
  ];
  if (rules.length > 0) doc.groups.push({ name: 'outpost-planes', rules });
  return toYaml(doc, 'Alerting rules (config/rules/alerting.yml)');
}

export function renderSloRules(cp: ControlPlaneConfig, runbooks = DEFAULT_RUNBOOK_BASE): string {
  return toYaml(
    { groups: sloRuleGroups(cp.slos, runbooks) },
    'SLO burn-rate rules (infra/render/slo-rules.ts)',
  );
}
