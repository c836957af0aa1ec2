import { REPLICA_LABEL, toSeconds } from '@outpost/outputs';
import { toYaml } from './template.ts';

export const RULE_FILES = ['rules/recording.yml', 'rules/alerting.yml', 'rules/slo.yml'];

/** One scrape job as Prometheus sees it: paths are where its workload mounts the files. */
export interface ScrapeJob {
  job: string;
  /** `host:port` targets, or a DNS name resolved to every ready pod (A records). */
  target: { static: string[] } | { dns: string; port: number };
  /** The metrics path, when not /metrics. */
  path?: string;
  scheme: 'http' | 'https';
  tls?: { caFile: string; serverName: string };
  bearerTokenFile?: string;
  /** Set on every series of the job; they win over what the target says (honor_labels: false). */
  labels: Record<string, string>;
}

export interface PrometheusSpec {
  stack: string;
  platform: string;
  scrapeInterval: string;
  evaluationInterval: string;
  /** The `replica` external label Thanos Query deduplicates on (`${POD_NAME}` on Kubernetes). */
  replica: string;
  alertmanagers: { static: string[] } | { dns: string; port: number };
  jobs: ScrapeJob[];
}

/**
 * prometheus.yml: one job per scrape target with the three contract labels as target labels
 * (honor_labels false, so they win over anything the target says), the replica and stack as
 * external labels, Alertmanager, and the rule files.
 */
export function renderPrometheusConfig(spec: PrometheusSpec): string {
  // A scrape must finish before the next starts; a stopped target then fails fast enough to be
  // seen as down within one interval.
  const scrapeTimeout = `${Math.max(1, Math.floor(toSeconds(spec.scrapeInterval) * 0.8))}s`;
  const doc = {
    global: {
      scrape_interval: spec.scrapeInterval,
      scrape_timeout: scrapeTimeout,
      evaluation_interval: spec.evaluationInterval,
      external_labels: { control_plane: spec.stack, [REPLICA_LABEL]: spec.replica },
    },
    alerting: { alertmanagers: [discovery(spec.alertmanagers)] },
    rule_files: RULE_FILES,
    scrape_configs: spec.jobs.map((j) => ({
      job_name: j.job,
      honor_labels: false,
      ...(j.path ? { metrics_path: j.path } : {}),
      scheme: j.scheme,
      ...(j.tls ? { tls_config: { ca_file: j.tls.caFile, server_name: j.tls.serverName } } : {}),
      ...(j.bearerTokenFile
        ? { authorization: { type: 'Bearer', credentials_file: j.bearerTokenFile } }
        : {}),
      ...discovery(j.target, j.labels),
    })),
  };
  return toYaml(doc, `Prometheus for stack ${spec.stack} (${spec.platform})`);
}

/**
 * Static targets, or DNS discovery: on Kubernetes every pod behind a headless Service is its own
 * target (scraping a Service address would hit a random replica each time). DNS rather than
 * kubernetes_sd_configs: it works across clusters too and needs no RBAC.
 */
function discovery(
  target: { static: string[] } | { dns: string; port: number },
  labels: Record<string, string> = {},
) {
  if ('static' in target) return { static_configs: [{ targets: target.static, labels }] };
  const relabel = Object.entries(labels).map(([label, value]) => ({
    target_label: label,
    replacement: value,
  }));
  return {
    dns_sd_configs: [
      { names: [target.dns], type: 'A', port: target.port, refresh_interval: '30s' },
    ],
    ...(relabel.length > 0 ? { relabel_configs: relabel } : {}),
  };
}
