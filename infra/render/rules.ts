import type { ControlPlaneConfig } from '../config.ts';
import { sloRuleGroups } from './slo-rules.ts';
import { loadTemplate, toYaml } from './template.ts';

/** Where runbook links point: docs/runbooks/ of this repository as published. */
export const DEFAULT_RUNBOOK_BASE =
  'https://github.com/outpost-platform/outpost/blob/main/docs/runbooks';

export function renderRecordingRules(cp: ControlPlaneConfig): string {
  const doc = loadTemplate('rules/recording.yml', { rateWindow: cp.rateWindow }) as {
    groups: unknown[];
  };
  return toYaml(doc, 'Recording rules (config/rules/recording.yml)');
}

/**
 * Planes found by service discovery have no `up` series at all when none of their pods is
 * ready, so each gets an absent() rule besides the generic DataPlaneDown.
 */
export interface DiscoveredPlane {
  job: string;
  labels: Record<string, string>;
}

export function renderAlertingRules(
  cp: ControlPlaneConfig,
  runbooks = DEFAULT_RUNBOOK_BASE,
  discovered: DiscoveredPlane[] = [],
): string {
  const a = cp.alerting;
  const doc = loadTemplate('rules/alerting.yml', {
    runbooks,
    dataPlaneDownFor: a.dataPlaneDownFor,
    symptomFor: a.symptomFor,
    errorRatioThreshold: a.errorRatioThreshold,
    latencyP95ThresholdSeconds: a.latencyP95ThresholdSeconds,
  }) as { groups: unknown[] };
  if (discovered.length > 0) {
    doc.groups.push({
      name: 'outpost-discovery',
      rules: discovered.map((plane) => ({
        alert: 'DataPlaneDown',
        expr: `absent(up{job="${plane.job}"})`,
        for: a.dataPlaneDownFor,
        labels: { severity: 'page', ...plane.labels },
        annotations: {
          summary: `Data plane ${plane.labels.data_plane} (${plane.labels.environment}) is down`,
          description: `Service discovery finds no ready collector of ${plane.labels.data_plane}.`,
          runbook_url: `${runbooks}/DataPlaneDown.md`,
        },
      })),
    });
  }
  return toYaml(doc, 'Alerting rules (config/rules/alerting.yml)');
}

export function renderSloRules(cp: ControlPlaneConfig, runbooks = DEFAULT_RUNBOOK_BASE): string {
  return toYaml(
    { groups: sloRuleGroups(cp.slos, runbooks) },
    'SLO burn-rate rules (infra/render/slo-rules.ts)',
  );
}
