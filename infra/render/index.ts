// Pure renderers: plan pieces -> the config files the programs read. The plan (infra/plan/)
// calls them and mounts their output where the programs look.
export { renderAlertmanagerConfig, hasIntegration } from './alertmanager.ts';
export { renderGateway, renderPlaneCollector } from './collector.ts';
export { renderPrometheusConfig, RULE_FILES } from './prometheus.ts';
export {
  renderAlertingRules,
  renderRecordingRules,
  renderSloRules,
  DEFAULT_RUNBOOK_BASE,
} from './rules.ts';
export { renderThanosObjstore } from './thanos.ts';
