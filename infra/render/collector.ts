import { pushJob, type PlaneLabels } from '@outpost/outputs';
import { SECRETS_DIR } from '../plan/paths.ts';
import { toYaml } from './template.ts';

// OpenTelemetry Collector configs: a data plane's collector (pull or push) and the control
// plane's push gateway. Versions and components: config/collector/builder.yaml.

/** Where a collector finds its certificate, key and tokens (a Secret volume in containers). */
const COLLECTOR_SECRETS = SECRETS_DIR;

/**
 * API series vanish from the collector's endpoint this long after the API's last export (every
 * OTEL_METRIC_EXPORT_INTERVAL), which is how DataPlaneDown sees a dead API behind a live
 * collector within two scrape intervals.
 */
export const METRIC_EXPIRATION = '10s';

export interface PlaneCollectorSpec {
  plane: PlaneLabels;
  mode: 'pull' | 'push';
  /** Address the collector binds to: 127.0.0.1 in process mode, 0.0.0.0 in containers. */
  bind: string;
  ports: { otlp: number; metrics: number; telemetry: number; health: number };
  /** Push planes: the gateway receiver's URL (https) and the file of the CA that signed it. */
  gateway?: { url: string; caFile: string };
}

const processors = {
  // Refuse data rather than be OOM-killed; the API retries on its next export.
  memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 20 },
  batch: { timeout: '1s', send_batch_size: 1024 },
};

/**
 * A data plane's collector: OTLP/HTTP in from its API; memory_limiter, resource (the plane's
 * identity as resource attributes), batch; out through a Prometheus endpoint served over TLS to
 * a bearer token (pull), or OTLP/HTTP over TLS with the plane's token to the gateway (push).
 */
export function renderPlaneCollector(spec: PlaneCollectorSpec): string {
  const { bind, ports, plane } = spec;
  const push = spec.mode === 'push';
  if (push && !spec.gateway) throw new Error(`push plane ${plane.data_plane} has no gateway`);
  const exporters = push
    ? {
        'otlp_http/gateway': {
          endpoint: spec.gateway!.url,
          tls: { ca_file: spec.gateway!.caFile },
          headers: { Authorization: 'Bearer ${env:OUTPOST_PUSH_TOKEN}' },
          compression: 'gzip',
        },
      }
    : {
        prometheus: {
          endpoint: `${bind}:${ports.metrics}`,
          tls: {
            cert_file: `${COLLECTOR_SECRETS}/tls.crt`,
            key_file: `${COLLECTOR_SECRETS}/tls.key`,
          },
          auth: { authenticator: 'bearertokenauth/scrape' },
          // Unit suffixes and _total: the names of docs/metrics.md.
          add_metric_suffixes: true,
          metric_expiration: METRIC_EXPIRATION,
          // The plane labels come from the scrape config, not from what the API says.
          resource_to_telemetry_conversion: { enabled: false },
        },
      };
  const doc = {
    extensions: {
      health_check: { endpoint: `${bind}:${ports.health}` },
      ...(push ? {} : { 'bearertokenauth/scrape': { token: '${env:OUTPOST_SCRAPE_TOKEN}' } }),
    },
    receivers: { otlp: { protocols: { http: { endpoint: `${bind}:${ports.otlp}` } } } },
    processors: {
      ...processors,
      resource: {
        attributes: [
          { key: 'deployment.environment.name', value: plane.environment, action: 'upsert' },
          { key: 'data_plane.id', value: plane.data_plane, action: 'upsert' },
          { key: 'customer.id', value: plane.customer, action: 'upsert' },
        ],
      },
    },
    exporters,
    service: {
      extensions: ['health_check', ...(push ? [] : ['bearertokenauth/scrape'])],
      telemetry: {
        metrics: {
          level: 'normal',
          // Pull planes' own telemetry is scraped; a push plane sends it through its pipeline,
          // since nothing can reach into its network.
          readers: [
            push
              ? {
                  periodic: {
                    interval: 10_000,
                    exporter: {
                      otlp: {
                        protocol: 'http/protobuf',
                        endpoint: `http://${bind === '0.0.0.0' ? '127.0.0.1' : bind}:${ports.otlp}/v1/metrics`,
                        insecure: true,
                      },
                    },
                  },
                }
              : { pull: { exporter: { prometheus: { host: bind, port: ports.telemetry } } } },
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
  return toYaml(doc, `OpenTelemetry Collector for data plane ${plane.data_plane} (${spec.mode})`);
}

export interface GatewaySpec {
  stack: string;
  bind: string;
  ports: { health: number; telemetry: number };
  /** One receiver per push plane, on its own port with its own token. */
  planes: Array<{ labels: PlaneLabels; port: number }>;
  /** Remote-write URLs of every Prometheus replica. */
  prometheus: string[];
}

/** The token file of a push plane on the gateway (a Secret volume in containers). */
export function gatewayTokenFile(id: string): string {
  return `${COLLECTOR_SECRETS}/push-${id}.token`;
}

/**
 * The control plane's push gateway: for each push plane an OTLP/HTTP receiver over TLS that
 * only its token opens, and a pipeline that stamps that plane's `customer`, `environment` and
 * `data_plane` (overwriting whatever the sender said, so a plane cannot claim to be another) and
 * a `job` of `push-<id>`; it remote-writes into every Prometheus replica.
 */
export function renderGateway(spec: GatewaySpec): string {
  const { bind } = spec;
  const writers = Object.fromEntries(
    spec.prometheus.map((url, i) => [
      `prometheus_remote_write/${i}`,
      {
        endpoint: url,
        tls: { insecure: true },
        add_metric_suffixes: true,
        // Exactly the three contract labels become labels; other resource attributes do not.
        resource_constant_labels: { included: ['customer', 'environment', 'data_plane'] },
        target_info: { enabled: false },
      },
    ]),
  );
  const perPlane = spec.planes.map(({ labels, port }) => {
    const id = labels.data_plane;
    return {
      id,
      extension: [`bearertokenauth/${id}`, { filename: gatewayTokenFile(id) }] as const,
      receiver: [
        `otlp/${id}`,
        {
          protocols: {
            http: {
              endpoint: `${bind}:${port}`,
              tls: {
                cert_file: `${COLLECTOR_SECRETS}/tls.crt`,
                key_file: `${COLLECTOR_SECRETS}/tls.key`,
              },
              auth: { authenticator: `bearertokenauth/${id}` },
            },
          },
        },
      ] as const,
      processor: [
        `resource/${id}`,
        {
          attributes: [
            { key: 'service.namespace', action: 'delete' },
            { key: 'service.name', value: pushJob(id), action: 'upsert' },
            { key: 'customer', value: labels.customer, action: 'upsert' },
            { key: 'environment', value: labels.environment, action: 'upsert' },
            { key: 'data_plane', value: id, action: 'upsert' },
          ],
        },
      ] as const,
    };
  });
  const doc = {
    extensions: {
      health_check: { endpoint: `${bind}:${spec.ports.health}` },
      ...Object.fromEntries(perPlane.map((p) => p.extension)),
    },
    receivers: Object.fromEntries(perPlane.map((p) => p.receiver)),
    processors: { ...processors, ...Object.fromEntries(perPlane.map((p) => p.processor)) },
    exporters: writers,
    service: {
      extensions: ['health_check', ...perPlane.map((p) => p.extension[0])],
      telemetry: {
        metrics: {
          level: 'normal',
          readers: [
            { pull: { exporter: { prometheus: { host: bind, port: spec.ports.telemetry } } } },
          ],
        },
      },
      pipelines: Object.fromEntries(
        perPlane.map((p) => [
          `metrics/${p.id}`,
          {
            receivers: [p.receiver[0]],
            processors: ['memory_limiter', p.processor[0], 'batch'],
            exporters: Object.keys(writers),
          },
        ]),
      ),
    },
  };
  return toYaml(doc, `OpenTelemetry Collector: push gateway of stack ${spec.stack}`);
}
