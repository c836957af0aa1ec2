import type { StackConfig } from './config.ts';

// Pure: stack config -> where every part listens, how the others reach it, and the labels
// Prometheus puts on each plane. Backends (process, docker, kubernetes) only place this.

export type Platform = 'process' | 'docker' | 'kubernetes';

/** The three contract labels, authoritative because the scrape config sets them. */
export interface PlaneLabels {
  customer: string;
  environment: string;
  data_plane: string;
}

/** One endpoint: the port it listens on, the address other parts use, and the user-facing URL. */
export interface Endpoint {
  port: number;
  /** `host:port` as other components reach it (a container or Service name, or 127.0.0.1). */
  internal: string;
  /** URL a person or the load generator uses from outside the platform. */
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
  /** Kubernetes namespace (also the Docker network name). */
  namespace: string;
  api: Endpoint;
  /** The API's own Prometheus exporter; scraped when there is no collector. */
  apiMetrics: Endpoint;
  collector: {
    enabled: boolean;
    otlp: Endpoint;
    metrics: Endpoint;
    telemetry: Endpoint;
    health: Endpoint;
  };
  /** What Prometheus scrapes for this plane (`host:port`), null for push planes. */
  scrapeTarget: string | null;
  /** metricsUrl of the stack outputs. */
  metricsUrl: string;
}

export interface ControlPlaneTopology {
  prometheus: Endpoint;
  alertmanager: Endpoint;
  dashboard: Endpoint;
  webhook: Endpoint;
  thanosQuery: Endpoint | null;
  /** What the dashboard queries: Thanos Query when enabled, else Prometheus. */
  queryUrl: string;
  namespace: string;
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
  /** Added to every port (process and docker), so two stacks can run side by side. */
  portOffset?: number;
  /**
   * Whether each data plane runs an OpenTelemetry Collector. Always on Docker and Kubernetes;
   * in process mode only when otelcol-contrib is on PATH.
   */
  collector?: boolean;
}

/** Ports the containers listen on inside Docker and Kubernetes (fixed; published ports vary). */
export const CONTAINER_PORTS = {
  api: 8080,
  apiMetrics: 9464,
  otlp: 4318,
  collectorMetrics: 8889,
  collectorTelemetry: 8888,
  collectorHealth: 13133,
  prometheus: 9090,
  alertmanager: 9093,
  dashboard: 3000,
  thanosQuery: 10902,
} as const;

export function buildTopology(config: StackConfig, options: TopologyOptions): Topology {
  const offset = options.portOffset ?? 0;
  const platform = options.platform;
  const collector = platform === 'process' ? (options.collector ?? false) : true;
  const controlNamespace = `${options.stack}-control`;

  const dataPlanes = config.dataPlanes.map((dp, index): DataPlaneTopology => {
    const customer = dp.customer ?? config.customer;
    const namespace = dp.name;
    // Collector ports default to a block per plane so several collectors fit on one host.
    const collectorPort = (base: number, explicit: number | undefined) =>
      explicit ?? base + 10_000 + 10 * index;
    const ports = {
      api: dp.ports.api,
      apiMetrics: dp.ports.apiMetrics,
      otlp: collectorPort(CONTAINER_PORTS.otlp, dp.ports.otlp),
      collectorMetrics: collectorPort(CONTAINER_PORTS.collectorMetrics, dp.ports.collectorMetrics),
      collectorTelemetry: collectorPort(
        CONTAINER_PORTS.collectorTelemetry,
        dp.ports.collectorTelemetry,
      ),
      collectorHealth: collectorPort(CONTAINER_PORTS.collectorHealth, dp.ports.collectorHealth),
    };
    const at = (service: string, key: keyof typeof ports): Endpoint =>
      endpoint(
        platform,
        ports[key] + offset,
        CONTAINER_PORTS[key],
        `${dp.name}-${service}`,
        namespace,
      );
    const api = at('api', 'api');
    const apiMetrics = at('api', 'apiMetrics');
    const metrics = at('collector', 'collectorMetrics');
    const scraped = collector ? metrics : apiMetrics;
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
      namespace,
      api,
      apiMetrics,
      collector: {
        enabled: collector,
        otlp: at('collector', 'otlp'),
        metrics,
        telemetry: at('collector', 'collectorTelemetry'),
        health: at('collector', 'collectorHealth'),
      },
      // Push planes are not scraped; a process-mode stack has no collector to push with, so
      // there every plane is pulled.
      scrapeTarget: dp.mode === 'push' && collector ? null : scraped.internal,
      metricsUrl: `${scraped.url}/metrics`,
    };
  });

  const cp = config.controlPlane;
  const controlPlane: ControlPlaneTopology | null = cp
    ? (() => {
        const at = (service: keyof typeof cp.ports, containerPort: number) =>
          endpoint(
            platform,
            cp.ports[service] + offset,
            containerPort,
            `${options.stack}-${kebab(service)}`,
            controlNamespace,
          );
        const prometheus = at('prometheus', CONTAINER_PORTS.prometheus);
        const thanosQuery = cp.thanos.enabled
          ? at('thanosQuery', CONTAINER_PORTS.thanosQuery)
          : null;
        return {
          prometheus,
          alertmanager: at('alertmanager', CONTAINER_PORTS.alertmanager),
          dashboard: at('dashboard', CONTAINER_PORTS.dashboard),
          webhook: at('webhook', cp.ports.webhook),
          thanosQuery,
          queryUrl: (thanosQuery ?? prometheus).url,
          namespace: controlNamespace,
        };
      })()
    : null;

  return { stack: options.stack, platform, config, dataPlanes, controlPlane };
}

/**
 * Process: everything on 127.0.0.1 at the configured port. Docker: other containers use the
 * container name and its fixed port; people use the published port on 127.0.0.1.
 * Kubernetes: the Service DNS name; the URL is the same in-cluster address.
 */
function endpoint(
  platform: Platform,
  hostPort: number,
  containerPort: number,
  service: string,
  namespace: string,
): Endpoint {
  switch (platform) {
    case 'process':
      return {
        port: hostPort,
        internal: `127.0.0.1:${hostPort}`,
        url: `http://127.0.0.1:${hostPort}`,
      };
    case 'docker':
      return {
        port: containerPort,
        internal: `${service}:${containerPort}`,
        url: `http://127.0.0.1:${hostPort}`,
      };
    case 'kubernetes': {
      const host = `${service}.${namespace}.svc.cluster.local:${containerPort}`;
      return { port: containerPort, internal: host, url: `http://${host}` };
    }
  }
}

/** `thanosQuery` -> `thanos-query`: Service and container names must be DNS labels. */
function kebab(value: string): string {
  return value.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
