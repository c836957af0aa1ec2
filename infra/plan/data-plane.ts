import { collectorJob, planeJob, type PlaneLabels } from '@outpost/outputs';
import { renderPlaneCollector } from '../render/collector.ts';
import type { DataPlaneTopology, Platform } from '../topology.ts';
import {
  bindHost,
  configFile,
  CREDENTIALS,
  httpProbe,
  publish,
  RESOURCES,
  secretEnv,
  secretFile,
  secretRef,
  NODE_RUNTIME_ENV,
} from './common.ts';
import { CONFIG_DIR, SECRETS_DIR } from './paths.ts';
import type { Credential, FileMount, NetworkRule, ScrapeTarget, Workload } from './types.ts';

/** How often the API exports OTLP to its collector (and so how fresh its series are). */
export const API_EXPORT_INTERVAL_MS = 2000;

/** Namespaces carrying this label hold a control plane whose Prometheus may scrape planes. */
export const CONTROL_PLANE_NAMESPACE_LABEL = { 'outpost.dev/control-plane': 'true' };

/** Where a push plane sends: a gateway receiver URL and the CA that signed its certificate. */
export interface PushTarget {
  url: string;
  /** The CA as a credential of this stack (its own gateway), or PEM text from stack config. */
  ca: { credential: string } | { pem: string };
}

export interface DataPlaneParts {
  workloads: Workload[];
  credentials: Credential[];
  networkRules: NetworkRule[];
  /** What Prometheus scrapes for this plane (pull planes). */
  scrapeTargets: ScrapeTarget[];
}

/**
 * One data plane: its API (sending OTLP every two seconds to the plane's collector) and its
 * collector, served over TLS to a bearer token (pull) or sending to the gateway (push).
 */
export function planDataPlane(
  stack: string,
  platform: Platform,
  dp: DataPlaneTopology,
  push: PushTarget | null,
): DataPlaneParts {
  const ns = dp.namespace;
  const plane: PlaneLabels = dp.labels;
  const bind = bindHost(platform);
  const replicas = (k8s: number) => (platform === 'kubernetes' ? k8s : 1);
  const pull = dp.mode === 'pull';
  const credentials: Credential[] = [{ id: CREDENTIALS.adminToken(dp.name), kind: 'token' }];
  const c = dp.collector;

  const api: Workload = {
    name: `${dp.name}-api`,
    namespace: ns,
    app: 'api',
    plane,
    kind: 'deployment',
    replicas: replicas(dp.replicas),
    volumes: [],
    containers: [
      {
        name: 'api',
        program: 'api',
        args: [],
        env: {
          HOST: bind,
          PORT: String(dp.api.port),
          ENVIRONMENT: dp.environment,
          DATA_PLANE_ID: dp.id,
          CUSTOMER: dp.customer,
          API_ERROR_RATE: String(dp.errorRate),
          API_LATENCY_MS: String(dp.latencyMs),
          API_ADMIN_TOKEN: secretEnv(CREDENTIALS.adminToken(dp.name)),
          OTEL_SERVICE_NAME: 'outpost-api',
          OTEL_METRICS_EXPORTER: 'otlp',
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://${c.otlp.internal}`,
          OTEL_METRIC_EXPORT_INTERVAL: String(API_EXPORT_INTERVAL_MS),
          ...NODE_RUNTIME_ENV,
        },
        files: [],
        mounts: [],
        ports: [
          {
            name: 'http',
            port: dp.api.port,
            ...publish(dp.api.hostPort, platform),
            serves: 'http',
          },
        ],
        readiness: httpProbe('/ready', dp.api.port, 5),
        liveness: httpProbe('/health', dp.api.port, 10),
        resources: RESOURCES.node,
      },
    ],
  };

  const files: FileMount[] = [];
  const env: Record<string, ReturnType<typeof secretEnv>> = {};
  let gateway: { url: string; caFile: string } | undefined;
  if (pull) {
    credentials.push(
      { id: CREDENTIALS.scrapeToken(dp.name), kind: 'token' },
      {
        id: CREDENTIALS.collectorTls(dp.name),
        kind: 'cert',
        ca: CREDENTIALS.ca(stack),
        commonName: c.metrics.host,
        dnsNames: platform === 'process' ? ['localhost'] : [c.metrics.host],
        ipAddresses: platform === 'process' ? ['127.0.0.1'] : [],
      },
    );
    files.push(
      secretFile('tls.crt', CREDENTIALS.collectorTls(dp.name), 'crt'),
      secretFile('tls.key', CREDENTIALS.collectorTls(dp.name), 'key'),
    );
    env.OUTPOST_SCRAPE_TOKEN = secretEnv(CREDENTIALS.scrapeToken(dp.name));
  } else {
    if (!push) throw new Error(`push plane ${dp.name} has nowhere to send: no gateway`);
    credentials.push({ id: CREDENTIALS.pushToken(dp.name), kind: 'token' });
    env.OUTPOST_PUSH_TOKEN = secretEnv(CREDENTIALS.pushToken(dp.name));
    if ('credential' in push.ca) {
      files.push(secretFile('gateway-ca.crt', push.ca.credential, 'crt'));
      gateway = { url: push.url, caFile: `${SECRETS_DIR}/gateway-ca.crt` };
    } else {
      files.push(configFile('gateway-ca.crt', push.ca.pem));
      gateway = { url: push.url, caFile: `${CONFIG_DIR}/gateway-ca.crt` };
    }
  }
  const ports = {
    otlp: c.otlp.port,
    metrics: c.metrics.port,
    telemetry: c.telemetry.port,
    health: c.health.port,
  };
  files.unshift(
    configFile(
      'collector.yaml',
      renderPlaneCollector({ plane, mode: dp.mode, bind, ports, ...(gateway ? { gateway } : {}) }),
    ),
  );
  const collector: Workload = {
    name: `${dp.name}-collector`,
    namespace: ns,
    app: 'collector',
    plane,
    kind: 'deployment',
    replicas: replicas(2),
    volumes: [],
    containers: [
      {
        name: 'collector',
        program: 'otelcol',
        args: [`--config=${CONFIG_DIR}/collector.yaml`],
        env,
        files,
        mounts: [],
        ports: [
          { name: 'otlp-http', port: ports.otlp, serves: 'otlp' },
          ...(pull
            ? [
                // Published on Docker: a control plane on another host scrapes it there.
                {
                  name: 'metrics',
                  port: ports.metrics,
                  serves: 'metrics' as const,
                  ...publish(c.metrics.hostPort, platform),
                },
                { name: 'telemetry', port: ports.telemetry, serves: 'metrics' as const },
              ]
            : []),
          { name: 'health', port: ports.health, serves: 'http' },
        ],
        readiness: httpProbe('/', ports.health, 5),
        liveness: httpProbe('/', ports.health, 20),
        resources: RESOURCES.collector,
      },
    ],
  };

  const networkRules: NetworkRule[] = [
    {
      namespace: ns,
      to: { app: 'api', plane },
      from: 'anywhere',
      ports: [dp.api.port],
      why: 'the API serves its customers (and the load generator)',
    },
    {
      namespace: ns,
      to: { app: 'collector', plane },
      from: { namespace: ns, app: 'api' },
      ports: [ports.otlp],
      why: 'the collector takes OTLP only from its own plane’s API',
    },
    ...(pull
      ? [
          {
            namespace: ns,
            to: { app: 'collector', plane },
            from: { controlPlanes: true as const, app: 'prometheus' },
            ports: [ports.metrics, ports.telemetry],
            why: 'only a control plane’s Prometheus scrapes the collector',
          },
        ]
      : []),
  ];

  const scrapeTargets: ScrapeTarget[] = pull
    ? [
        {
          job: planeJob(dp.id),
          address: c.metrics.internal,
          discovery: platform === 'kubernetes' ? 'dns' : 'static',
          scheme: 'https',
          tls: { ca: secretRef(CREDENTIALS.ca(stack), 'crt'), serverName: c.metrics.host },
          bearerToken: secretRef(CREDENTIALS.scrapeToken(dp.name)),
          labels: { ...plane },
          serves: { workload: collector.name, port: 'metrics' },
        },
        {
          // The collector's own telemetry: plain HTTP, reachable only from Prometheus.
          job: collectorJob(dp.id),
          address: c.telemetry.internal,
          discovery: platform === 'kubernetes' ? 'dns' : 'static',
          scheme: 'http',
          tls: null,
          bearerToken: null,
          labels: { ...plane },
          serves: { workload: collector.name, port: 'telemetry' },
        },
      ]
    : [];

  return { workloads: [api, collector], credentials, networkRules, scrapeTargets };
}
