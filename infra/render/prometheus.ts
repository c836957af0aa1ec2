import { toSeconds } from '../config.ts';
import type { DataPlaneTopology, Topology } from '../topology.ts';
import { toYaml } from './template.ts';

export const RULE_FILES = ['rules/recording.yml', 'rules/alerting.yml', 'rules/slo.yml'];

export interface PrometheusRenderOptions {
  /** Extra scrape targets from other stacks (prod scraping dev's planes), already resolved. */
  extraPlanes?: Array<{
    id: string;
    customer: string;
    environment: string;
    target: string;
    scheme?: 'http' | 'https';
  }>;
  /** External label telling replicas apart (Thanos Query deduplicates on `replica`). */
  replica?: string;
}

/**
 * prometheus.yml: one scrape job per pulled data plane with the three contract labels as
 * target labels (honor_labels false, so they win over anything the target says), the
 * collectors' own telemetry, the control plane itself, Alertmanager and the rule files.
 */
export function renderPrometheusConfig(
  topology: Topology,
  options: PrometheusRenderOptions = {},
): string {
  const cp = topology.config.controlPlane;
  const ctl = topology.controlPlane;
  if (!cp || !ctl)
    throw new Error(`stack ${topology.stack} has no control plane to render prometheus.yml for`);
  // A scrape must finish before the next starts; a stopped target then fails fast enough to
  // be seen as down within one interval.
  const scrapeTimeout = `${Math.max(1, Math.floor(toSeconds(cp.scrapeInterval) * 0.8))}s`;

  const planeJobs = topology.dataPlanes
    .filter((dp) => dp.scrapeTarget)
    .map((dp) =>
      topology.platform === 'kubernetes'
        ? discoveredJob(dp)
        : {
            job_name: `data-plane-${dp.id}`,
            honor_labels: false,
            static_configs: [{ targets: [dp.scrapeTarget], labels: { ...dp.labels } }],
          },
    );
  const remoteJobs = (options.extraPlanes ?? []).map((p) => ({
    job_name: `data-plane-${p.id}`,
    honor_labels: false,
    ...(topology.platform === 'kubernetes'
      ? securedScrapeConfig(p.target.split(':')[0]!)
      : { scheme: p.scheme ?? 'http' }),
    static_configs: [
      {
        targets: [p.target],
        labels: { customer: p.customer, environment: p.environment, data_plane: p.id },
      },
    ],
  }));
  const collectorJobs = topology.dataPlanes
    .filter((dp) => dp.collector.enabled && dp.mode === 'pull')
    .map((dp) => ({
      job_name: `collector-${dp.id}`,
      static_configs: [{ targets: [dp.collector.telemetry.internal], labels: { ...dp.labels } }],
    }));

  const doc = {
    global: {
      scrape_interval: cp.scrapeInterval,
      scrape_timeout: scrapeTimeout,
      evaluation_interval: cp.evaluationInterval,
      external_labels: {
        control_plane: topology.stack,
        ...(options.replica ? { replica: options.replica } : {}),
      },
    },
    alerting: { alertmanagers: [{ static_configs: [{ targets: [ctl.alertmanager.internal] }] }] },
    rule_files: RULE_FILES,
    scrape_configs: [
      { job_name: 'prometheus', static_configs: [{ targets: [ctl.prometheus.internal] }] },
      { job_name: 'alertmanager', static_configs: [{ targets: [ctl.alertmanager.internal] }] },
      ...planeJobs,
      ...remoteJobs,
      ...collectorJobs,
    ],
  };
  return toYaml(doc, `Prometheus for stack ${topology.stack} (${topology.platform})`);
}

/**
 * On Kubernetes every collector pod behind the plane's headless Service is its own target
 * (DNS A records, one per ready pod). Scraping a Service address would hit a random replica
 * each time, and each replica holds only the data its clients sent it. DNS discovery rather
 * than kubernetes_sd_configs: it works across clusters too, and Debian's promtool (which
 * validates every rendered config in the tests) is built without Kubernetes discovery.
 */
function discoveredJob(dp: DataPlaneTopology) {
  const [host, port] = dp.scrapeTarget!.split(':');
  return {
    job_name: `data-plane-${dp.id}`,
    honor_labels: false,
    ...securedScrapeConfig(host!),
    dns_sd_configs: [{ names: [host], type: 'A', port: Number(port), refresh_interval: '30s' }],
    relabel_configs: Object.entries(dp.labels).map(([label, value]) => ({
      target_label: label,
      replacement: value,
    })),
  };
}

/**
 * Scraping a Kubernetes plane: HTTPS verified against the plane's CA for the Service's DNS name
 * (targets are pod IPs), and the scrape token. Paths are relative to prometheus.yml, where the
 * control plane mounts its Secret (tls/ca.crt, secrets/scrape-token).
 */
export function securedScrapeConfig(serverName: string) {
  return {
    scheme: 'https',
    tls_config: { ca_file: 'tls/ca.crt', server_name: serverName },
    authorization: { type: 'Bearer', credentials_file: 'secrets/scrape-token' },
  };
}
