import { gatewayTokenFile, renderGateway } from '../render/collector.ts';
import { gatewayReceiver } from '../topology.ts';
import { configFile, CREDENTIALS, httpProbe, publish, RESOURCES, secretFile } from './common.ts';
import type { ControlContext } from './context.ts';
import { CONFIG_DIR, SECRETS_DIR } from './paths.ts';
import type { Credential, Workload } from './types.ts';

export interface GatewayParts {
  workloads: Workload[];
  credentials: Credential[];
}

/**
 * The push gateway: a collector in the control plane with one TLS receiver per push plane (its
 * own port and token) that stamps the plane's labels and remote-writes into every Prometheus
 * replica. Present when this stack or a stack it watches has push planes.
 */
export function planGateway(ctx: ControlContext): GatewayParts {
  const { ctl, platform, bind } = ctx;
  const credentials: Credential[] = [
    {
      id: CREDENTIALS.gatewayTls(ctx.stack),
      kind: 'cert',
      ca: CREDENTIALS.ca(ctx.stack),
      commonName: ctl.gateway.host,
      dnsNames: platform === 'process' ? ['localhost'] : [ctl.gateway.host, 'localhost'],
      ipAddresses: platform === 'kubernetes' ? [] : ['127.0.0.1'],
    },
  ];
  if (ctx.pushPlanes.length === 0) return { workloads: [], credentials };
  const config = renderGateway({
    stack: ctx.stack,
    bind,
    ports: { health: ctl.gateway.health.port, telemetry: ctl.gateway.telemetry.port },
    planes: ctx.pushPlanes.map((p) => ({ labels: p.labels, port: p.port })),
    prometheus: ctl.prometheus.map(
      (r) =>
        // Each replica gets every sample; on Kubernetes through its pod's stable DNS name.
        `http://${r.prometheus.internal}/api/v1/write`,
    ),
  });
  const tokens = ctx.pushPlanes.map((p) =>
    secretFile(
      gatewayTokenFile(p.labels.data_plane).slice(SECRETS_DIR.length + 1),
      CREDENTIALS.pushToken(p.name),
      'value',
    ),
  );
  const workload: Workload = {
    name: `${ctx.stack}-gateway`,
    namespace: ctx.namespace,
    app: 'gateway',
    kind: 'deployment',
    replicas: 1,
    volumes: [],
    containers: [
      {
        name: 'gateway',
        program: 'otelcol',
        args: [`--config=${CONFIG_DIR}/gateway.yaml`],
        env: {},
        files: [
          configFile('gateway.yaml', config),
          secretFile('tls.crt', CREDENTIALS.gatewayTls(ctx.stack), 'crt'),
          secretFile('tls.key', CREDENTIALS.gatewayTls(ctx.stack), 'key'),
          ...tokens,
        ],
        mounts: [],
        ports: [
          ...ctx.pushPlanes.map((p, i) => ({
            name: `push-${i}`,
            port: p.port,
            serves: 'otlp' as const,
            ...publish(gatewayReceiver(platform, ctl.gateway.host, p.port).hostPort, platform),
          })),
          { name: 'health', port: ctl.gateway.health.port, serves: 'http' },
          { name: 'telemetry', port: ctl.gateway.telemetry.port, serves: 'metrics' },
        ],
        readiness: httpProbe('/', ctl.gateway.health.port, 5),
        liveness: httpProbe('/', ctl.gateway.health.port, 20),
        resources: RESOURCES.collector,
      },
    ],
  };
  return { workloads: [workload], credentials };
}
