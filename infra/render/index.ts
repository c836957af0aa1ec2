import type { Topology } from '../topology.ts';
import { renderAlertmanagerConfig } from './alertmanager.ts';
import { renderPrometheusConfig, type PrometheusRenderOptions } from './prometheus.ts';
import { renderAlertingRules, renderRecordingRules, renderSloRules } from './rules.ts';

export { renderAlertmanagerConfig } from './alertmanager.ts';
export { renderCollectorConfig, COLLECTOR_VERSION } from './collector.ts';
export { renderPrometheusConfig, RULE_FILES } from './prometheus.ts';
export {
  renderAlertingRules,
  renderRecordingRules,
  renderSloRules,
  DEFAULT_RUNBOOK_BASE,
} from './rules.ts';
export { renderThanosObjstore } from './thanos.ts';
export { stackOutputs } from './outputs.ts';

/**
 * Every file the control plane reads, by path relative to its config directory: the same set
 * process mode writes to .run/<stack>/ and the Docker/Kubernetes backends upload or mount.
 */
export function renderControlPlaneFiles(
  topology: Topology,
  options: PrometheusRenderOptions = {},
): Record<string, string> {
  const cp = topology.config.controlPlane;
  if (!cp) return {};
  return {
    'prometheus/prometheus.yml': renderPrometheusConfig(topology, options),
    'prometheus/rules/recording.yml': renderRecordingRules(cp),
    'prometheus/rules/alerting.yml': renderAlertingRules(
      cp,
      undefined,
      topology.platform === 'kubernetes'
        ? topology.dataPlanes
            .filter((dp) => dp.scrapeTarget)
            .map((dp) => ({ job: `data-plane-${dp.id}`, labels: { ...dp.labels } }))
        : [],
    ),
    'prometheus/rules/slo.yml': renderSloRules(cp),
    'alertmanager/alertmanager.yml': renderAlertmanagerConfig(topology),
  };
}
