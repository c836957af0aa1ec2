import { collectorJob, planeJob, type PlaneLabels } from '@outpost/outputs';
import { StackConfigError, type StackConfig } from '../config.ts';
import { renderAlertingRules } from '../render/rules.ts';
import { buildTopology, gatewayReceiver, type Platform, type Topology } from '../topology.ts';
import { planAlerting } from './alerting.ts';
import { CREDENTIALS, secretRef } from './common.ts';
import { controlContext, type ControlContext } from './context.ts';
import { planDashboard } from './dashboard.ts';
import { planDataPlane, type PushTarget } from './data-plane.ts';
import { planFleet, type FleetParts } from './fleet.ts';
import { planGateway } from './gateway.ts';
import { controlNetworkRules } from './network.ts';
import { dashboardView, planOutputs } from './outputs.ts';
import { planPrometheus } from './prometheus.ts';
import { planThanos } from './thanos.ts';
import type {
  Credential,
  ForeignPlane,
  NamespaceSpec,
  NetworkRule,
  Plan,
  ScrapeTarget,
  ServiceSpec,
  Workload,
} from './types.ts';

export type * from './types.ts';
export { CONTROL_PLANE_NAMESPACE_LABEL } from './data-plane.ts';

export interface PlanOptions {
  stack: string;
  platform: Platform;
  /** Added to every host port (process mode and Docker). */
  portOffset?: number;
  /** Planes of the stacks this one watches (`scrapeStacks`), read from their outputs. */
  foreign?: ForeignPlane[];
  /** Run the dashboard (default true; process mode before the dashboard is built: false). */
  dashboard?: boolean;
  /** Simulated data planes to add (`npm start -- --fleet N`, process mode). Default 0. */
  fleet?: number;
}

/** Stack config -> the deployment plan: pure, the same for every executor. */
export function buildPlan(config: StackConfig, options: PlanOptions): Plan {
  const topology = buildTopology(config, options);
  const foreign = options.foreign ?? [];
  const { stack, platform } = options;
  const ctx = controlContext(topology, foreign);
  const withDashboard = options.dashboard ?? true;

  const credentials: Credential[] = [
    { id: CREDENTIALS.ca(stack), kind: 'ca', commonName: `outpost ${stack} CA` },
  ];
  const workloads: Workload[] = [];
  const scrapeTargets: ScrapeTarget[] = [];
  let fleet: FleetParts['planes'] = [];
  const networkRules: NetworkRule[] = [];
  const namespaces: NamespaceSpec[] = [];

  for (const dp of topology.dataPlanes) {
    const parts = planDataPlane(
      stack,
      platform,
      dp,
      dp.mode === 'push' ? pushTarget(topology, dp.pushPort!) : null,
    );
    namespaces.push({ name: dp.namespace, plane: dp.labels });
    workloads.push(...parts.workloads);
    credentials.push(...parts.credentials);
    networkRules.push(...parts.networkRules);
    scrapeTargets.push(...parts.scrapeTargets);
  }

  if (ctx) {
    namespaces.push({ name: ctx.namespace });
    const imported = importedCredentials(foreign);
    credentials.push(...imported);
    const simulated = planFleet(ctx, options.fleet ?? 0);
    fleet = simulated.planes;
    scrapeTargets.push(...foreignTargets(foreign), ...simulated.targets, ...controlTargets(ctx));
    const pulledByDns = [
      ...topology.dataPlanes
        .filter((dp) => dp.mode === 'pull' && platform === 'kubernetes')
        .map((dp) => dp.labels),
      ...foreign.filter((p) => p.scrape).map(labelsOf),
    ];
    const alertRules = renderAlertingRules(ctx.cp, {
      discovered: pulledByDns,
      pushed: ctx.pushPlanes.map((p) => p.labels),
    });
    const alerting = planAlerting(ctx);
    const gateway = planGateway(ctx);
    const view = dashboardView(planOutputs(topology, foreign, {}, fleet), topology);
    const dashboard = withDashboard ? planDashboard(ctx, view) : { workloads: [], credentials: [] };
    workloads.push(
      ...simulated.workloads,
      ...planPrometheus(ctx, scrapeTargets, alertRules),
      ...planThanos(ctx),
      ...alerting.workloads,
      ...gateway.workloads,
      ...dashboard.workloads,
    );
    credentials.push(...alerting.credentials, ...gateway.credentials, ...dashboard.credentials);
    if (ctx.cp.thanos.enabled && ctx.cp.thanos.objstore === 's3') {
      credentials.push(
        {
          id: CREDENTIALS.objstoreAccessKey(stack),
          kind: 'external',
          description: 'the S3 access key of the Thanos bucket',
        },
        {
          id: CREDENTIALS.objstoreSecretKey(stack),
          kind: 'external',
          description: 'the S3 secret key of the Thanos bucket',
        },
      );
    }
    networkRules.push(...controlNetworkRules(ctx, workloads));
  }

  return {
    stack,
    platform,
    topology,
    namespaces,
    credentials: dedupe(credentials),
    workloads,
    services: workloads.map(serviceOf),
    networkRules,
    scrapeTargets,
    foreignPlanes: foreign,
    fleet,
    outputs: (adminTokens) => {
      const outputs = planOutputs(topology, foreign, adminTokens, fleet);
      return withDashboard ? outputs : { ...outputs, dashboardUrl: null };
    },
  };
}

/** Where a push plane sends: its stack's own gateway, or the one `pushGateway` names. */
function pushTarget(topology: Topology, port: number): PushTarget {
  const ctl = topology.controlPlane;
  if (ctl) {
    const receiver = gatewayReceiver(topology.platform, ctl.gateway.host, port);
    return {
      url: `https://${receiver.internal}`,
      ca: { credential: CREDENTIALS.ca(topology.stack) },
    };
  }
  const gw = topology.config.pushGateway;
  if (!gw)
    throw new StackConfigError(
      `stack ${topology.stack}: outpost:pushGateway: push planes need a gateway to send to. Set it from the ` +
        'control-plane stack: `pulumi stack output pushGateway -s prod --json` gives { url, caCert } ' +
        '(docs/deploy.md, "First setup").',
    );
  const url = new URL(gw.url);
  url.port = String(port);
  return { url: url.origin, ca: { pem: gw.caCert } };
}

function labelsOf(p: ForeignPlane): PlaneLabels {
  return { customer: p.customer, environment: p.environment, data_plane: p.id };
}

/** What this stack needs of the stacks it watches: their CA, scrape and push tokens. */
function importedCredentials(foreign: ForeignPlane[]): Credential[] {
  return foreign.flatMap((p): Credential[] => [
    ...(p.scrape
      ? [
          {
            id: CREDENTIALS.ca(p.stack),
            kind: 'imported' as const,
            from: p.stack,
            description: `the CA of stack ${p.stack}`,
          },
          {
            id: CREDENTIALS.scrapeToken(p.name),
            kind: 'imported' as const,
            from: p.stack,
            description: `the scrape token of ${p.id}`,
          },
        ]
      : []),
    ...(p.pushPort !== null
      ? [
          {
            id: CREDENTIALS.pushToken(p.name),
            kind: 'imported' as const,
            from: p.stack,
            description: `the push token of ${p.id}`,
          },
        ]
      : []),
  ]);
}

function foreignTargets(foreign: ForeignPlane[]): ScrapeTarget[] {
  return foreign.flatMap((p): ScrapeTarget[] =>
    p.scrape
      ? [
          {
            job: planeJob(p.id),
            address: `${p.scrape.host}:${p.scrape.port}`,
            discovery: 'dns',
            scheme: 'https',
            tls: { ca: secretRef(CREDENTIALS.ca(p.stack), 'crt'), serverName: p.scrape.host },
            bearerToken: secretRef(CREDENTIALS.scrapeToken(p.name)),
            labels: { ...labelsOf(p) },
            serves: null,
          },
          {
            job: collectorJob(p.id),
            address: `${p.scrape.host}:${p.scrape.telemetryPort}`,
            discovery: 'dns',
            scheme: 'http',
            tls: null,
            bearerToken: null,
            labels: { ...labelsOf(p) },
            serves: null,
          },
        ]
      : [],
  );
}

/** The control plane watching itself: Prometheus, Alertmanager, Thanos and the gateway. */
function controlTargets(ctx: ControlContext): ScrapeTarget[] {
  const { ctl, platform } = ctx;
  const k8s = platform === 'kubernetes';
  const target = (
    job: string,
    addresses: string[],
    workload: string,
    port: string,
    dns = false,
  ): ScrapeTarget[] =>
    (dns ? addresses.slice(0, 1) : addresses).map((address) => ({
      job,
      address,
      discovery: dns ? 'dns' : 'static',
      scheme: 'http',
      tls: null,
      bearerToken: null,
      labels: {},
      serves: { workload, port },
    }));
  const headless = (app: string, port: number) =>
    `${ctx.stack}-${app}.${ctx.namespace}.svc.cluster.local:${port}`;
  const targets: ScrapeTarget[] = [];
  ctl.prometheus.slice(0, k8s ? 1 : undefined).forEach((r) => {
    targets.push(
      ...target(
        'prometheus',
        [k8s ? headless('prometheus', r.prometheus.port) : r.prometheus.internal],
        r.name,
        'http',
        k8s,
      ),
    );
    if (ctl.thanos)
      targets.push(
        ...target(
          'thanos-sidecar',
          [k8s ? headless('prometheus', r.sidecar.port) : r.sidecar.internal],
          r.name,
          'sidecar-http',
          k8s,
        ),
      );
  });
  ctl.alertmanager
    .slice(0, k8s ? 1 : undefined)
    .forEach((a) =>
      targets.push(
        ...target(
          'alertmanager',
          [k8s ? headless('alertmanager', a.http.port) : a.http.internal],
          a.name,
          'http',
          k8s,
        ),
      ),
    );
  if (ctl.thanos) {
    targets.push(
      ...target('thanos-query', [ctl.thanos.query.internal], `${ctx.stack}-thanos-query`, 'http'),
      ...target('thanos-store', [ctl.thanos.store.internal], `${ctx.stack}-thanos-store`, 'http'),
      ...target(
        'thanos-compact',
        [ctl.thanos.compact.internal],
        `${ctx.stack}-thanos-compact`,
        'http',
      ),
    );
  }
  if (ctx.pushPlanes.length > 0)
    targets.push(
      ...target('gateway', [ctl.gateway.telemetry.internal], `${ctx.stack}-gateway`, 'telemetry'),
    );
  return targets;
}

/** Apps whose Service is headless: DNS finds every pod (scraped or looked up one by one). */
const HEADLESS_APPS = new Set(['collector', 'thanos-store']);

function serviceOf(w: Workload): ServiceSpec {
  return {
    name: w.name,
    namespace: w.namespace,
    app: w.app,
    ...(w.plane ? { plane: w.plane } : {}),
    headless: w.kind === 'statefulset' || HEADLESS_APPS.has(w.app),
    ports: w.containers.flatMap((c) => c.ports.map((p) => ({ name: p.name, port: p.port }))),
  };
}

function dedupe(credentials: Credential[]): Credential[] {
  const seen = new Map<string, Credential>();
  for (const c of credentials) if (!seen.has(c.id)) seen.set(c.id, c);
  return [...seen.values()];
}
