import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { IMAGES } from '../images.ts';
import { renderCollectorConfig } from '../render/index.ts';
import { securedScrape, TLS_DIR } from '../render/collector.ts';
import { CONTAINER_PORTS, type DataPlaneTopology, type Topology } from '../topology.ts';
import { checksum, CONTAINER_SECURITY, httpProbe, labels, POD_SECURITY } from './common.ts';

export interface KubernetesDataPlaneArgs {
  /** The stack's topology (built for the `kubernetes` platform). */
  topology: Topology;
  /** This data plane, one of topology.dataPlanes. */
  plane: DataPlaneTopology;
  /** The API image, `<registry>/outpost-api:<version>`. */
  apiImage: pulumi.Input<string>;
  /** Bearer token of the API's admin routes (a secret). */
  adminToken: pulumi.Input<string>;
  /** Token the collector presents to the remote-write receiver (push planes only). */
  remoteWriteToken?: pulumi.Input<string>;
  /** Pulled planes: the collector's serving certificate and key (PEM) and the scrape token. */
  scrape?: { cert: pulumi.Input<string>; key: pulumi.Input<string>; token: pulumi.Input<string> };
  /** Namespace of the control plane whose Prometheus may scrape this plane. Default `<stack>-control`. */
  controlNamespace?: string;
}

/**
 * One data plane in its own namespace: the API and its OpenTelemetry Collector, each a
 * Deployment with probes, limits and restricted security, their Services, the collector config
 * as a ConfigMap (its checksum on the pod template), NetworkPolicies and PodDisruptionBudgets.
 */
export class KubernetesDataPlane extends pulumi.ComponentResource {
  readonly namespace: k8s.core.v1.Namespace;
  readonly collectorConfig: string;

  constructor(name: string, args: KubernetesDataPlaneArgs, opts?: pulumi.ComponentResourceOptions) {
    super('outpost:kubernetes:DataPlane', name, {}, opts);
    const { plane, topology } = args;
    const child = { parent: this };
    const ns = plane.namespace;
    const control = args.controlNamespace ?? `${topology.stack}-control`;
    const planeLabels = {
      'outpost.dev/customer': plane.customer,
      'outpost.dev/environment': plane.environment,
      'outpost.dev/data-plane': plane.id,
    };

    this.namespace = new k8s.core.v1.Namespace(
      `${name}-ns`,
      { metadata: { name: ns, labels: { ...labels('data-plane'), ...planeLabels } } },
      child,
    );
    const inNs = { parent: this, dependsOn: [this.namespace] };
    const meta = (app: string) => ({
      name: `${plane.name}-${app}`,
      namespace: ns,
      labels: labels(app, planeLabels),
    });
    this.collectorConfig = renderCollectorConfig(topology, plane);

    const secret = new k8s.core.v1.Secret(
      `${name}-secrets`,
      {
        metadata: meta('secrets'),
        stringData: {
          adminToken: args.adminToken,
          ...(args.remoteWriteToken ? { remoteWriteToken: args.remoteWriteToken } : {}),
          ...(args.scrape ? { scrapeToken: args.scrape.token } : {}),
        },
      },
      inNs,
    );
    const fromSecret = (envName: string, key: string) => ({
      name: envName,
      valueFrom: { secretKeyRef: { name: secret.metadata.name, key } },
    });
    // Pulled planes serve their metrics over TLS with a token (render/collector.ts).
    const secured = securedScrape(topology, plane);
    if (secured && !args.scrape)
      throw new Error(
        `${plane.name}: a pulled plane on Kubernetes needs args.scrape (TLS and token)`,
      );
    const tlsSecret =
      secured && args.scrape
        ? new k8s.core.v1.Secret(
            `${name}-collector-tls`,
            {
              metadata: meta('collector-tls'),
              type: 'kubernetes.io/tls',
              stringData: { 'tls.crt': args.scrape.cert, 'tls.key': args.scrape.key },
            },
            inNs,
          )
        : null;
    const config = new k8s.core.v1.ConfigMap(
      `${name}-collector-config`,
      { metadata: meta('collector'), data: { 'config.yaml': this.collectorConfig } },
      inNs,
    );

    const collectorPorts = [
      { name: 'otlp-http', containerPort: CONTAINER_PORTS.otlp },
      { name: 'metrics', containerPort: CONTAINER_PORTS.collectorMetrics },
      { name: 'telemetry', containerPort: CONTAINER_PORTS.collectorTelemetry },
      { name: 'health', containerPort: CONTAINER_PORTS.collectorHealth },
    ];
    new k8s.apps.v1.Deployment(
      `${name}-collector`,
      {
        metadata: meta('collector'),
        spec: {
          replicas: 2,
          selector: { matchLabels: labels('collector', planeLabels) },
          template: {
            metadata: {
              labels: labels('collector', planeLabels),
              annotations: checksum(this.collectorConfig),
            },
            spec: {
              securityContext: POD_SECURITY,
              containers: [
                {
                  name: 'collector',
                  image: IMAGES.collector,
                  args: ['--config=/etc/otelcol/config.yaml'],
                  ports: collectorPorts,
                  env: [
                    ...(plane.mode === 'push'
                      ? [fromSecret('OUTPOST_REMOTE_WRITE_TOKEN', 'remoteWriteToken')]
                      : []),
                    ...(secured ? [fromSecret('OUTPOST_SCRAPE_TOKEN', 'scrapeToken')] : []),
                  ],
                  readinessProbe: httpProbe('/', CONTAINER_PORTS.collectorHealth),
                  livenessProbe: httpProbe('/', CONTAINER_PORTS.collectorHealth, 20),
                  resources: {
                    requests: { cpu: '100m', memory: '128Mi' },
                    limits: { cpu: '500m', memory: '256Mi' },
                  },
                  securityContext: CONTAINER_SECURITY,
                  volumeMounts: [
                    { name: 'config', mountPath: '/etc/otelcol', readOnly: true },
                    ...(secured ? [{ name: 'tls', mountPath: TLS_DIR, readOnly: true }] : []),
                  ],
                },
              ],
              volumes: [
                { name: 'config', configMap: { name: config.metadata.name } },
                ...(tlsSecret
                  ? [{ name: 'tls', secret: { secretName: tlsSecret.metadata.name } }]
                  : []),
              ],
            },
          },
        },
      },
      inNs,
    );
    new k8s.core.v1.Service(
      `${name}-collector-svc`,
      {
        metadata: meta('collector'),
        // Headless: DNS returns one record per ready collector pod, so Prometheus scrapes each
        // replica on its own (discoveredJob in render/prometheus.ts).
        spec: {
          clusterIP: 'None',
          selector: labels('collector', planeLabels),
          ports: collectorPorts.map((p) => ({
            name: p.name,
            port: p.containerPort,
            targetPort: p.containerPort,
          })),
        },
      },
      inNs,
    );

    new k8s.apps.v1.Deployment(
      `${name}-api`,
      {
        metadata: meta('api'),
        spec: {
          replicas: plane.replicas,
          selector: { matchLabels: labels('api', planeLabels) },
          template: {
            metadata: { labels: labels('api', planeLabels) },
            spec: {
              securityContext: POD_SECURITY,
              containers: [
                {
                  name: 'api',
                  image: args.apiImage,
                  ports: [{ name: 'http', containerPort: CONTAINER_PORTS.api }],
                  env: [
                    { name: 'PORT', value: String(CONTAINER_PORTS.api) },
                    { name: 'ENVIRONMENT', value: plane.environment },
                    { name: 'DATA_PLANE_ID', value: plane.id },
                    { name: 'CUSTOMER', value: plane.customer },
                    { name: 'API_ERROR_RATE', value: String(plane.errorRate) },
                    { name: 'API_LATENCY_MS', value: String(plane.latencyMs) },
                    {
                      name: 'API_ADMIN_TOKEN',
                      valueFrom: {
                        secretKeyRef: { name: secret.metadata.name, key: 'adminToken' },
                      },
                    },
                    { name: 'OTEL_METRICS_EXPORTER', value: 'otlp' },
                    {
                      name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
                      value: `http://${plane.collector.otlp.internal}`,
                    },
                    { name: 'OTEL_SERVICE_NAME', value: 'outpost-api' },
                  ],
                  readinessProbe: httpProbe('/ready', CONTAINER_PORTS.api, 5),
                  livenessProbe: httpProbe('/health', CONTAINER_PORTS.api, 10),
                  resources: {
                    requests: { cpu: '100m', memory: '128Mi' },
                    limits: { cpu: '1', memory: '256Mi' },
                  },
                  securityContext: CONTAINER_SECURITY,
                },
              ],
            },
          },
        },
      },
      inNs,
    );
    new k8s.core.v1.Service(
      `${name}-api-svc`,
      {
        metadata: meta('api'),
        spec: {
          selector: labels('api', planeLabels),
          ports: [{ name: 'http', port: CONTAINER_PORTS.api, targetPort: CONTAINER_PORTS.api }],
        },
      },
      inNs,
    );

    for (const app of ['api', 'collector']) {
      new k8s.policy.v1.PodDisruptionBudget(
        `${name}-${app}-pdb`,
        {
          metadata: meta(app),
          spec: { minAvailable: 1, selector: { matchLabels: labels(app, planeLabels) } },
        },
        inNs,
      );
    }

    // The collector takes OTLP only from its own API pods, and its metrics only from the
    // control plane's Prometheus.
    new k8s.networking.v1.NetworkPolicy(
      `${name}-collector-netpol`,
      {
        metadata: meta('collector'),
        spec: {
          podSelector: { matchLabels: labels('collector', planeLabels) },
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [{ podSelector: { matchLabels: labels('api', planeLabels) } }],
              ports: [{ port: CONTAINER_PORTS.otlp }],
            },
            {
              from: [
                {
                  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': control } },
                  podSelector: { matchLabels: labels('prometheus') },
                },
              ],
              ports: [
                { port: CONTAINER_PORTS.collectorMetrics },
                { port: CONTAINER_PORTS.collectorTelemetry },
              ],
            },
          ],
        },
      },
      inNs,
    );

    this.registerOutputs({ namespace: this.namespace.metadata.name });
  }
}
