import type { DataPlaneTopology, Topology } from '../topology.ts';
import { toYaml } from './template.ts';

/** Where the collector finds its serving certificate (a Secret volume on Kubernetes). */
export const TLS_DIR = '/etc/outpost/tls';

/** Pulled planes on Kubernetes are scraped over TLS with a bearer token. */
export function securedScrape(topology: Topology, dp: DataPlaneTopology): boolean {
  return topology.platform === 'kubernetes' && dp.mode === 'pull';
}

/** Pinned OpenTelemetry Collector Contrib version whose config schema this renders. */
export const COLLECTOR_VERSION = '0.139.0';

/**
 * The collector config of one data plane: OTLP in; memory_limiter first (refuse rather than
 * be OOM-killed), resource (stamp the plane's identity), batch; out through a Prometheus
 * endpoint (pull) or remote-write (push), plus health check and its own telemetry.
 * In push mode the contract labels are set on every series by the exporter, since no scrape
 * config exists to set them. Credentials come from the environment, never from this file.
 */
export function renderCollectorConfig(topology: Topology, dp: DataPlaneTopology): string {
  const listen = (port: number) => `0.0.0.0:${port}`;
  const push = dp.mode === 'push';
  const secured = securedScrape(topology, dp);
  // The control plane of this stack when it has one (its in-platform address), else the URL of
  // another stack's receiver, given to the collector at deploy time.
  const ctl = topology.controlPlane;
  const receiver = ctl
    ? `http://${ctl.prometheus.internal}/api/v1/write`
    : '${env:OUTPOST_REMOTE_WRITE_URL}';
  const exporters = push
    ? {
        prometheusremotewrite: {
          endpoint: receiver,
          headers: { Authorization: 'Bearer ${env:OUTPOST_REMOTE_WRITE_TOKEN}' },
          tls: { insecure: false, ca_file: '/etc/outpost/tls/ca.crt' },
          external_labels: { ...dp.labels },
          resource_to_telemetry_conversion: { enabled: false },
        },
      }
    : {
        prometheus: {
          endpoint: listen(dp.collector.metrics.port),
          // Same names as docs/metrics.md: unit suffixes and _total, as the API's exporter.
          add_metric_suffixes: true,
          // Series of a stopped API vanish after this, which is how DataPlaneDown sees it.
          metric_expiration: '1m',
          resource_to_telemetry_conversion: { enabled: false },
          // On Kubernetes the endpoint leaves the plane's namespace (possibly its cluster):
          // TLS, and only a scraper presenting the bearer token gets in.
          ...(secured
            ? {
                tls: { cert_file: `${TLS_DIR}/tls.crt`, key_file: `${TLS_DIR}/tls.key` },
                auth: { authenticator: 'bearertokenauth/scrape' },
              }
            : {}),
        },
      };
  const doc = {
    extensions: {
      health_check: { endpoint: listen(dp.collector.health.port) },
      ...(secured ? { 'bearertokenauth/scrape': { token: '${env:OUTPOST_SCRAPE_TOKEN}' } } : {}),
    },
    receivers: {
      otlp: { protocols: { http: { endpoint: listen(dp.collector.otlp.port) } } },
    },
    processors: {
      memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 20 },
      resource: {
        attributes: [
          { key: 'deployment.environment.name', value: dp.environment, action: 'upsert' },
          { key: 'data_plane.id', value: dp.id, action: 'upsert' },
          { key: 'customer.id', value: dp.customer, action: 'upsert' },
        ],
      },
      batch: { timeout: '1s', send_batch_size: 1024 },
    },
    exporters,
    service: {
      extensions: ['health_check', ...(secured ? ['bearertokenauth/scrape'] : [])],
      telemetry: {
        metrics: {
          level: 'normal',
          readers: [
            {
              pull: {
                exporter: { prometheus: { host: '0.0.0.0', port: dp.collector.telemetry.port } },
              },
            },
          ],
        },
      },
      pipelines: {
        metrics: {
          receivers: ['otlp'],
          processors: ['memory_limiter', 'resource', 'batch'],
          exporters: Object.keys(exporters),
        },
      },
    },
  };
  return toYaml(
    doc,
    `OpenTelemetry Collector ${COLLECTOR_VERSION} for data plane ${dp.id} (${dp.mode})`,
  );
}
