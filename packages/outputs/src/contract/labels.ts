// Labels and job names shared by the scrape configs, the rules, the dashboard's queries and
// the alert routing. The three plane labels are set by the control plane (scrape config or
// the gateway's per-plane pipeline), so they are authoritative whatever a sender says.

/** The contract labels on every data-plane series. */
export const PLANE_LABELS = ['customer', 'environment', 'data_plane'] as const;
export type PlaneLabel = (typeof PLANE_LABELS)[number];
export type PlaneLabels = Record<PlaneLabel, string>;

/** `customer, environment, data_plane`: the grouping of every per-plane rule. */
export const BY_PLANE = PLANE_LABELS.join(', ');

/** The external label that tells Prometheus replicas apart; Thanos Query deduplicates on it. */
export const REPLICA_LABEL = 'replica';

/** Scrape job of a pulled data plane (its collector's Prometheus endpoint). */
export function planeJob(id: string): string {
  return `data-plane-${id}`;
}
/** Matches every plane job in PromQL: `job=~"data-plane-.+"`. */
export const PLANE_JOB_PATTERN = 'data-plane-.+';

/** Scrape job of a pulled plane's collector self-telemetry. */
export function collectorJob(id: string): string {
  return `collector-${id}`;
}
export const COLLECTOR_JOB_PATTERN = 'collector-.+';

/**
 * The `job` the gateway stamps on what a push plane sends (push planes have no scrape job,
 * so no `up` series: DataPlaneSilent watches their newest sample instead).
 */
export function pushJob(id: string): string {
  return `push-${id}`;
}
export const PUSH_JOB_PATTERN = 'push-.+';
