import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { StackOutputs } from '@outpost/outputs';
import { IMAGES } from '../images.ts';
import type { PrometheusRenderOptions } from '../render/prometheus.ts';
import { renderControlPlaneFiles, renderThanosObjstore } from '../render/index.ts';
import { CONTAINER_PORTS, type Topology } from '../topology.ts';
import { checksum, CONTAINER_SECURITY, httpProbe, labels, POD_SECURITY } from './common.ts';
import { createDashboard } from './dashboard.ts';

export interface KubernetesControlPlaneArgs {
  /** The stack's topology (built for the `kubernetes` platform); must have a control plane. */
  topology: Topology;
  /** Planes of other stacks to scrape too (from StackReferences). Default none. */
  extraPlanes?: pulumi.Input<NonNullable<PrometheusRenderOptions['extraPlanes']>>;
  /** The dashboard image, `<registry>/outpost-dashboard:<version>`. */
  dashboardImage: pulumi.Input<string>;
  /** The stack outputs, handed to the dashboard as DASHBOARD_CONFIG (a Secret: it holds tokens). */
  outputs: pulumi.Input<StackOutputs>;
  /** The CA of the data planes' collector certificates (PEM) and the scrape token. */
  scrape: { ca: pulumi.Input<string>; token: pulumi.Input<string> };
  /** Object store credentials for Thanos (s3). */
  objstore?: { accessKey: pulumi.Input<string>; secretKey: pulumi.Input<string> };
  /** Dashboard login, when controlPlane.dashboard.auth is on. */
  dashboardAuth?: {
    user: string;
    password: pulumi.Input<string>;
    sessionSecret: pulumi.Input<string>;
  };
  /** Prometheus volume size. Default 20Gi. */
  prometheusStorage?: string;
}

/**
 * The control plane in its own namespace: a Prometheus StatefulSet (replicas told apart by a
 * `replica` external label) with the Thanos sidecar, Thanos Query, Store Gateway and Compactor,
 * Alertmanager, the dashboard, and RBAC for Kubernetes service discovery.
 */
export class KubernetesControlPlane extends pulumi.ComponentResource {
  readonly namespace: k8s.core.v1.Namespace;
  readonly files: pulumi.Output<Record<string, string>>;

  constructor(
    name: string,
    args: KubernetesControlPlaneArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('outpost:kubernetes:ControlPlane', name, {}, opts);
    const { topology } = args;
    const cp = topology.config.controlPlane;
    const ctl = topology.controlPlane;
    if (!cp || !ctl) throw new Error(`stack ${topology.stack} has no control plane`);
    const stack = topology.stack;
    const ns = ctl.namespace;
    const thanos = cp.thanos.enabled;
    const child = { parent: this };

    this.namespace = new k8s.core.v1.Namespace(
      `${name}-ns`,
      { metadata: { name: ns, labels: labels('control-plane') } },
      child,
    );
    const inNs = { parent: this, dependsOn: [this.namespace] };
    const meta = (app: string) => ({ name: `${stack}-${app}`, namespace: ns, labels: labels(app) });
    const service = (app: string, ports: Array<{ name: string; port: number }>) =>
      new k8s.core.v1.Service(
        `${name}-${app}-svc`,
        {
          metadata: meta(app),
          spec: { selector: labels(app), ports: ports.map((p) => ({ ...p, targetPort: p.port })) },
        },
        inNs,
      );

    // Each replica stamps its pod name as `replica` (expand-external-labels), so Thanos Query
    // can deduplicate the pair.
    this.files = pulumi
      .output(args.extraPlanes ?? [])
      .apply((extraPlanes) =>
        renderControlPlaneFiles(topology, { extraPlanes, replica: '${POD_NAME}' }),
      );
    const promFiles = this.files.apply((f) =>
      Object.fromEntries(
        Object.entries(f)
          .filter(([p]) => p.startsWith('prometheus/'))
          .map(([p, c]) => [p.slice('prometheus/'.length).replace('/', '__'), c]),
      ),
    );
    const promConfig = new k8s.core.v1.ConfigMap(
      `${name}-prometheus-config`,
      { metadata: meta('prometheus'), data: promFiles },
      inNs,
    );

    // How Prometheus scrapes the data planes: their CA and the bearer token (render/prometheus.ts).
    const scrapeSecret = new k8s.core.v1.Secret(
      `${name}-scrape`,
      {
        metadata: meta('scrape'),
        stringData: { 'ca.crt': args.scrape.ca, 'scrape-token': args.scrape.token },
      },
      inNs,
    );

    // RBAC for Kubernetes service discovery of same-cluster data planes.
    const account = new k8s.core.v1.ServiceAccount(
      `${name}-prometheus-sa`,
      { metadata: meta('prometheus') },
      inNs,
    );
    const role = new k8s.rbac.v1.ClusterRole(
      `${name}-prometheus-role`,
      {
        metadata: { name: `${stack}-prometheus-sd`, labels: labels('prometheus') },
        rules: [
          {
            apiGroups: [''],
            resources: ['pods', 'services', 'endpoints', 'nodes'],
            verbs: ['get', 'list', 'watch'],
          },
          {
            apiGroups: ['discovery.k8s.io'],
            resources: ['endpointslices'],
            verbs: ['get', 'list', 'watch'],
          },
        ],
      },
      child,
    );
    new k8s.rbac.v1.ClusterRoleBinding(
      `${name}-prometheus-binding`,
      {
        metadata: { name: `${stack}-prometheus-sd`, labels: labels('prometheus') },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: role.metadata.name,
        },
        subjects: [{ kind: 'ServiceAccount', name: account.metadata.name, namespace: ns }],
      },
      child,
    );

    const objstoreSecret = thanos
      ? new k8s.core.v1.Secret(
          `${name}-objstore`,
          {
            metadata: meta('thanos-objstore'),
            stringData: {
              'objstore.yml': pulumi
                .all([args.objstore?.accessKey ?? '', args.objstore?.secretKey ?? ''])
                .apply(([accessKey, secretKey]) =>
                  renderThanosObjstore(topology, { accessKey, secretKey }),
                ),
            },
          },
          inNs,
        )
      : null;
    const objstoreVolume = objstoreSecret
      ? [{ name: 'objstore', secret: { secretName: objstoreSecret.metadata.name } }]
      : [];
    const thanosContainer = (containerName: string, argv: string[], port: number) => ({
      name: containerName,
      image: IMAGES.thanos,
      args: argv,
      ports: [
        { name: 'http', containerPort: port },
        { name: 'grpc', containerPort: 10901 },
      ],
      readinessProbe: httpProbe('/-/ready', port),
      livenessProbe: httpProbe('/-/healthy', port, 20),
      resources: {
        requests: { cpu: '100m', memory: '256Mi' },
        limits: { cpu: '1', memory: '1Gi' },
      },
      securityContext: CONTAINER_SECURITY,
      volumeMounts: [
        { name: 'objstore', mountPath: '/etc/thanos', readOnly: true },
        { name: 'data', mountPath: '/data' },
      ],
    });

    new k8s.apps.v1.StatefulSet(
      `${name}-prometheus`,
      {
        metadata: meta('prometheus'),
        spec: {
          serviceName: `${stack}-prometheus`,
          replicas: cp.prometheusReplicas,
          selector: { matchLabels: labels('prometheus') },
          template: {
            metadata: {
              labels: labels('prometheus'),
              annotations: this.files.apply((f) => checksum(...Object.values(f))),
            },
            spec: {
              serviceAccountName: account.metadata.name,
              securityContext: POD_SECURITY,
              initContainers: [
                {
                  // ConfigMap keys cannot hold `/`: lay the rule files out as prometheus.yml expects.
                  name: 'layout',
                  image: IMAGES.prometheus,
                  command: [
                    'sh',
                    '-c',
                    'mkdir -p /config/rules && for f in /configmap/*; do n=$(basename $f); case $n in rules__*) cp $f /config/rules/${n#rules__};; *) cp $f /config/$n;; esac; done',
                  ],
                  securityContext: CONTAINER_SECURITY,
                  volumeMounts: [
                    { name: 'configmap', mountPath: '/configmap' },
                    { name: 'config', mountPath: '/config' },
                  ],
                },
              ],
              containers: [
                {
                  name: 'prometheus',
                  image: IMAGES.prometheus,
                  args: [
                    '--config.file=/config/prometheus.yml',
                    '--storage.tsdb.path=/prometheus',
                    `--storage.tsdb.retention.time=${cp.retention}`,
                    '--web.enable-lifecycle',
                    '--web.enable-remote-write-receiver',
                    '--enable-feature=expand-external-labels',
                    ...(thanos
                      ? [
                          '--storage.tsdb.min-block-duration=2h',
                          '--storage.tsdb.max-block-duration=2h',
                        ]
                      : []),
                  ],
                  env: [
                    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                  ],
                  ports: [{ name: 'http', containerPort: CONTAINER_PORTS.prometheus }],
                  readinessProbe: httpProbe('/-/ready', CONTAINER_PORTS.prometheus),
                  livenessProbe: httpProbe('/-/healthy', CONTAINER_PORTS.prometheus, 20),
                  resources: {
                    requests: { cpu: '250m', memory: '1Gi' },
                    limits: { cpu: '2', memory: '2Gi' },
                  },
                  securityContext: CONTAINER_SECURITY,
                  volumeMounts: [
                    { name: 'config', mountPath: '/config', readOnly: true },
                    { name: 'data', mountPath: '/prometheus' },
                    // The scrape CA and token, where prometheus.yml refers to them (relative paths).
                    { name: 'scrape', mountPath: '/config/tls', readOnly: true },
                    { name: 'scrape-token', mountPath: '/config/secrets', readOnly: true },
                  ],
                },
                ...(thanos
                  ? [
                      {
                        ...thanosContainer(
                          'thanos-sidecar',
                          [
                            'sidecar',
                            `--prometheus.url=http://127.0.0.1:${CONTAINER_PORTS.prometheus}`,
                            '--tsdb.path=/prometheus',
                            '--objstore.config-file=/etc/thanos/objstore.yml',
                            '--http-address=0.0.0.0:10902',
                            '--grpc-address=0.0.0.0:10901',
                          ],
                          10902,
                        ),
                        volumeMounts: [
                          { name: 'objstore', mountPath: '/etc/thanos', readOnly: true },
                          { name: 'data', mountPath: '/prometheus' },
                        ],
                      },
                    ]
                  : []),
              ],
              volumes: [
                { name: 'configmap', configMap: { name: promConfig.metadata.name } },
                { name: 'config', emptyDir: {} },
                {
                  name: 'scrape',
                  secret: {
                    secretName: scrapeSecret.metadata.name,
                    items: [{ key: 'ca.crt', path: 'ca.crt' }],
                  },
                },
                {
                  name: 'scrape-token',
                  secret: {
                    secretName: scrapeSecret.metadata.name,
                    items: [{ key: 'scrape-token', path: 'scrape-token' }],
                  },
                },
                ...objstoreVolume,
              ],
            },
          },
          volumeClaimTemplates: [
            {
              metadata: { name: 'data' },
              spec: {
                accessModes: ['ReadWriteOnce'],
                resources: { requests: { storage: args.prometheusStorage ?? '20Gi' } },
              },
            },
          ],
        },
      },
      inNs,
    );
    service('prometheus', [
      { name: 'http', port: CONTAINER_PORTS.prometheus },
      ...(thanos ? [{ name: 'grpc', port: 10901 }] : []),
    ]);
    new k8s.policy.v1.PodDisruptionBudget(
      `${name}-prometheus-pdb`,
      {
        metadata: meta('prometheus'),
        spec: { maxUnavailable: 1, selector: { matchLabels: labels('prometheus') } },
      },
      inNs,
    );

    if (thanos) {
      const deployment = (
        app: string,
        container: ReturnType<typeof thanosContainer>,
        replicas = 1,
      ) =>
        new k8s.apps.v1.Deployment(
          `${name}-${app}`,
          {
            metadata: meta(app),
            spec: {
              replicas,
              selector: { matchLabels: labels(app) },
              template: {
                metadata: { labels: labels(app) },
                spec: {
                  securityContext: POD_SECURITY,
                  containers: [container],
                  volumes: [...objstoreVolume, { name: 'data', emptyDir: {} }],
                },
              },
            },
          },
          inNs,
        );
      deployment(
        'thanos-query',
        thanosContainer(
          'query',
          [
            'query',
            `--http-address=0.0.0.0:${CONTAINER_PORTS.thanosQuery}`,
            `--endpoint=dnssrv+_grpc._tcp.${stack}-prometheus.${ns}.svc.cluster.local`,
            `--endpoint=dnssrv+_grpc._tcp.${stack}-thanos-store.${ns}.svc.cluster.local`,
            '--query.replica-label=replica',
          ],
          CONTAINER_PORTS.thanosQuery,
        ),
        2,
      );
      service('thanos-query', [{ name: 'http', port: CONTAINER_PORTS.thanosQuery }]);
      deployment(
        'thanos-store',
        thanosContainer(
          'store',
          [
            'store',
            '--data-dir=/data',
            '--objstore.config-file=/etc/thanos/objstore.yml',
            '--http-address=0.0.0.0:10902',
            '--grpc-address=0.0.0.0:10901',
          ],
          10902,
        ),
      );
      service('thanos-store', [{ name: 'grpc', port: 10901 }]);
      deployment(
        'thanos-compactor',
        thanosContainer(
          'compactor',
          [
            'compact',
            '--wait',
            '--data-dir=/data',
            '--objstore.config-file=/etc/thanos/objstore.yml',
            '--http-address=0.0.0.0:10902',
            '--retention.resolution-raw=30d',
            '--retention.resolution-5m=180d',
            '--retention.resolution-1h=2y',
          ],
          10902,
        ),
      );
    }

    const amConfig = new k8s.core.v1.ConfigMap(
      `${name}-alertmanager-config`,
      {
        metadata: meta('alertmanager'),
        data: { 'alertmanager.yml': this.files.apply((f) => f['alertmanager/alertmanager.yml']!) },
      },
      inNs,
    );
    new k8s.apps.v1.Deployment(
      `${name}-alertmanager`,
      {
        metadata: meta('alertmanager'),
        spec: {
          replicas: 1,
          selector: { matchLabels: labels('alertmanager') },
          template: {
            metadata: {
              labels: labels('alertmanager'),
              annotations: this.files.apply((f) => checksum(f['alertmanager/alertmanager.yml']!)),
            },
            spec: {
              securityContext: POD_SECURITY,
              containers: [
                {
                  name: 'alertmanager',
                  image: IMAGES.alertmanager,
                  args: [
                    '--config.file=/etc/alertmanager/alertmanager.yml',
                    '--storage.path=/alertmanager',
                    '--cluster.listen-address=',
                  ],
                  ports: [{ name: 'http', containerPort: CONTAINER_PORTS.alertmanager }],
                  readinessProbe: httpProbe('/-/ready', CONTAINER_PORTS.alertmanager),
                  livenessProbe: httpProbe('/-/healthy', CONTAINER_PORTS.alertmanager, 20),
                  resources: {
                    requests: { cpu: '50m', memory: '64Mi' },
                    limits: { cpu: '250m', memory: '128Mi' },
                  },
                  securityContext: CONTAINER_SECURITY,
                  volumeMounts: [
                    { name: 'config', mountPath: '/etc/alertmanager', readOnly: true },
                    { name: 'data', mountPath: '/alertmanager' },
                  ],
                },
              ],
              volumes: [
                { name: 'config', configMap: { name: amConfig.metadata.name } },
                { name: 'data', emptyDir: {} },
              ],
            },
          },
        },
      },
      inNs,
    );
    service('alertmanager', [{ name: 'http', port: CONTAINER_PORTS.alertmanager }]);

    createDashboard(name, {
      meta,
      service,
      opts: inNs,
      image: args.dashboardImage,
      outputs: args.outputs,
      ...(args.dashboardAuth ? { auth: args.dashboardAuth } : {}),
    });

    this.registerOutputs({ namespace: this.namespace.metadata.name });
  }
}
