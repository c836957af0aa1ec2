import type { PlaneLabels } from '@outpost/outputs';
import type { StackConfig } from './config.ts';

// Pure: stack config -> where every part listens, how the others reach it, and the labels
// the control plane puts on each plane. The plan (infra/plan/) builds its workloads on this.

export type Platform = 'process' | 'docker' | 'kubernetes';

/** One listening port: where the program binds, how peers reach it, and the user-facing URL. */
export interface Endpoint {
  /** The port the program listens on: in its container, or on 127.0.0.1 in process mode. */
  port: number;
  /** The published port on the host (process mode and Docker), null on Kubernetes. */
  hostPort: number | null;
  /** `host:port` as other workloads reach it (127.0.0.1, a container name or Service DNS). */
  internal: string;
  /** The hostname alone, for TLS server names and certificate SANs. */
  host: string;
  /** URL a person or the load generator uses. */
  url: string;
}

export interface DataPlaneTopology {
  name: string;
  id: string;
  customer: string;
  environment: string;
  mode: 'pull' | 'push';
  replicas: number;
  errorRate: number;
  latencyMs: number;
  labels: PlaneLabels;
  /** Kubernetes namespace; the Docker network is `<name>-net`. */
  namespace: string;
  api: Endpoint;
  collector: { otlp: Endpoint; metrics: Endpoint; telemetry: Endpoint; health: Endpoint };
  /** Push planes: this plane's receiver port on the gateway. */
  pushPort: number | null;
}

export interface ThanosTopology {
  query: Endpoint;
  queryGrpc: Endpoint;
  store: Endpoint;
  storeGrpc: Endpoint;
  compact: Endpoint;
}

export interface PrometheusReplica {
  /** Workload name: `<stack>-prometheus` (one replica) or `<stack>-prometheus-<i>`. */
  name: string;
  /** The `replica` external label: the pod name on Kubernetes, the workload name elsewhere. */
  replica: string;
  prometheus: Endpoint;
  sidecar: Endpoint;
  sidecarGrpc: Endpoint;
}

export interface AlertmanagerReplica {
  /** Workload name: `<stack>-alertmanager` (one, or the StatefulSet) or `<stack>-alertmanager-<i>`. */
  name: string;
  http: Endpoint;
  /** Gossip between the replicas of a pair. */
  cluster: Endpoint;
}

export interface ControlPlaneTopology {
  namespace: string;
  prometheus: PrometheusReplica[];
  alertmanager: AlertmanagerReplica[];
  dashboard: Endpoint;
  /** Process mode's local alert receiver. */
  webhook: Endpoint;
  /** The simulator of `--fleet N` (process mode). */
  fleet: Endpoint;
  thanos: ThanosTopology | null;
  gateway: { health: Endpoint; telemetry: Endpoint; host: string };
  /** What the dashboard queries: Thanos Query when enabled, else the first Prometheus. */
  queryUrl: string;
}

export interface Topology {
  stack: string;
  platform: Platform;
  config: StackConfig;
  dataPlanes: DataPlaneTopology[];
  controlPlane: ControlPlaneTopology | null;
}

export interface TopologyOptions {
  stack: string;
  platform: Platform;
  /** Added to every host port (process and Docker), so two stacks can run side by side. */
  portOffset?: number;
}

/** Ports the programs listen on inside containers (fixed; published ports vary). */
export const CONTAINER_PORTS = {
  api: 8080,
  otlp: 4318,
  collectorMetrics: 8889,
  collectorTelemetry: 8888,
  collectorHealth: 13133,
  prometheus: 9090,
  alertmanager: 9093,
  alertmanagerCluster: 9094,
  dashboard: 3000,
  webhook: 9095,
  fleet: 9096,
  thanosHttp: 10902,
  thanosGrpc: 10901,
  /** The sidecar shares the Prometheus pod: its own pair of ports. */
  thanosSidecarHttp: 10912,
  thanosSidecarGrpc: 10911,
} as const;

/** Default host ports of a plane's collector: a block of ten per plane, so several share a host. */
const COLLECTOR_BASE = {
  otlp: 14318,
  collectorMetrics: 18889,
  collectorTelemetry: 18888,
  collectorHealth: 23133,
};

export function buildTopology(config: StackConfig, options: TopologyOptions): Topology {
  const { stack, platform } = options;
  const offset = options.portOffset ?? 0;
  const at = (
    name: string,
    namespace: string,
    containerPort: number,
    hostPort: number,
    scheme = 'http',
  ) => endpoint(platform, { name, namespace, containerPort, hostPort: hostPort + offset, scheme });

  const dataPlanes = config.dataPlanes.map((dp, index): DataPlaneTopology => {
    const customer = dp.customer ?? config.customer;
    const ns = dp.name;
    const collectorPort = (key: keyof typeof COLLECTOR_BASE) =>
      dp.ports[key] ?? COLLECTOR_BASE[key] + 10 * index;
    const collector = `${dp.name}-collector`;
    return {
      name: dp.name,
      id: dp.id,
      customer,
      environment: dp.environment,
      mode: dp.mode,
      replicas: dp.replicas,
      errorRate: dp.errorRate,
      latencyMs: dp.latencyMs,
      labels: { customer, environment: dp.environment, data_plane: dp.id },
      namespace: ns,
      api: at(`${dp.name}-api`, ns, CONTAINER_PORTS.api, dp.ports.api),
      collector: {
        otlp: at(collector, ns, CONTAINER_PORTS.otlp, collectorPort('otlp')),
        // Scraped over TLS with a bearer token on every platform (render/collector.ts).
        metrics: at(
          collector,
          ns,
          CONTAINER_PORTS.collectorMetrics,
          collectorPort('collectorMetrics'),
          'https',
        ),
        telemetry: at(
          collector,
          ns,
          CONTAINER_PORTS.collectorTelemetry,
          collectorPort('collectorTelemetry'),
        ),
        health: at(
          collector,
          ns,
          CONTAINER_PORTS.collectorHealth,
          collectorPort('collectorHealth'),
        ),
      },
      pushPort: dp.ports.push !== undefined ? dp.ports.push + offset : null,
    };
  });

  const cp = config.controlPlane;
  let controlPlane: ControlPlaneTopology | null = null;
  if (cp) {
    const ns = `${stack}-control`;
    const p = cp.ports;
    const ctl = (app: string, containerPort: number, hostPort: number) =>
      at(`${stack}-${app}`, ns, containerPort, hostPort);
    // Replicas: their own host ports (+100 each) in process mode and on Docker; on Kubernetes
    // the pods of one StatefulSet, each reached through the headless Service's pod DNS.
    const replicaOf = (app: string, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        i,
        workload:
          count === 1 || platform === 'kubernetes' ? `${stack}-${app}` : `${stack}-${app}-${i}`,
        pod: `${stack}-${app}-${i}`,
      }));
    const replicaEndpoint = (
      r: { i: number; workload: string; pod: string },
      app: string,
      containerPort: number,
      hostPort: number,
    ) =>
      platform === 'kubernetes'
        ? endpoint(platform, {
            name: `${r.pod}.${stack}-${app}`,
            namespace: ns,
            containerPort,
            hostPort,
            scheme: 'http',
          })
        : at(r.workload, ns, containerPort, hostPort + 100 * r.i);
    const prometheus = replicaOf('prometheus', cp.prometheusReplicas).map((r) => ({
      name: r.workload,
      replica: platform === 'kubernetes' ? '${POD_NAME}' : r.workload,
      prometheus: replicaEndpoint(r, 'prometheus', CONTAINER_PORTS.prometheus, p.prometheus),
      sidecar: replicaEndpoint(r, 'prometheus', CONTAINER_PORTS.thanosSidecarHttp, p.thanosSidecar),
      sidecarGrpc: replicaEndpoint(
        r,
        'prometheus',
        CONTAINER_PORTS.thanosSidecarGrpc,
        p.thanosSidecarGrpc,
      ),
    }));
    const alertmanagers = replicaOf('alertmanager', cp.alertmanagerReplicas);
    const thanos: ThanosTopology | null = cp.thanos.enabled
      ? {
          query: ctl('thanos-query', CONTAINER_PORTS.thanosHttp, p.thanosQuery),
          queryGrpc: ctl('thanos-query', CONTAINER_PORTS.thanosGrpc, p.thanosQueryGrpc),
          store: ctl('thanos-store', CONTAINER_PORTS.thanosHttp, p.thanosStore),
          storeGrpc: ctl('thanos-store', CONTAINER_PORTS.thanosGrpc, p.thanosStoreGrpc),
          compact: ctl('thanos-compact', CONTAINER_PORTS.thanosHttp, p.thanosCompact),
        }
      : null;
    const gatewayHealth = ctl('gateway', CONTAINER_PORTS.collectorHealth, p.gatewayHealth);
    controlPlane = {
      namespace: ns,
      prometheus,
      alertmanager: alertmanagers.map((r) => ({
        name: r.workload,
        http: replicaEndpoint(r, 'alertmanager', CONTAINER_PORTS.alertmanager, p.alertmanager),
        cluster: replicaEndpoint(
          r,
          'alertmanager',
          CONTAINER_PORTS.alertmanagerCluster,
          p.alertmanagerCluster,
        ),
      })),
      dashboard: ctl('dashboard', CONTAINER_PORTS.dashboard, p.dashboard),
      webhook: ctl('alert-receiver', CONTAINER_PORTS.webhook, p.webhook),
      fleet: ctl('fleet', CONTAINER_PORTS.fleet, p.fleet),
      thanos,
      gateway: {
        health: gatewayHealth,
        telemetry: ctl('gateway', CONTAINER_PORTS.collectorTelemetry, p.gatewayTelemetry),
        host: gatewayHealth.host,
      },
      queryUrl: (thanos?.query ?? prometheus[0]!.prometheus).url,
    };
  }
  return { stack, platform, config, dataPlanes, controlPlane };
}

/** The endpoint of a push plane's receiver on a gateway at `host` (same port everywhere). */
export function gatewayReceiver(platform: Platform, gatewayHost: string, port: number): Endpoint {
  const internal = `${gatewayHost}:${port}`;
  return {
    port,
    hostPort: platform === 'kubernetes' ? null : port,
    internal,
    host: gatewayHost,
    url: `https://${platform === 'docker' ? `127.0.0.1:${port}` : internal}`,
  };
}

/**
 * Process: everything on 127.0.0.1 at its host port. Docker: other containers use the container
 * name and its fixed port; people use the published port on 127.0.0.1. Kubernetes: the
 * Service's DNS name; the URL is the same in-cluster address.
 */
function endpoint(
  platform: Platform,
  e: { name: string; namespace: string; containerPort: number; hostPort: number; scheme: string },
): Endpoint {
  switch (platform) {
    case 'process':
      return {
        port: e.hostPort,
        hostPort: e.hostPort,
        internal: `127.0.0.1:${e.hostPort}`,
        host: '127.0.0.1',
        url: `${e.scheme}://127.0.0.1:${e.hostPort}`,
      };
    case 'docker':
      return {
        port: e.containerPort,
        hostPort: e.hostPort,
        internal: `${e.name}:${e.containerPort}`,
        host: e.name,
        url: `${e.scheme}://127.0.0.1:${e.hostPort}`,
      };
    case 'kubernetes': {
      const host = `${e.name}.${e.namespace}.svc.cluster.local`;
      return {
        port: e.containerPort,
        hostPort: null,
        internal: `${host}:${e.containerPort}`,
        host,
        url: `${e.scheme}://${host}:${e.containerPort}`,
      };
    }
  }
}
