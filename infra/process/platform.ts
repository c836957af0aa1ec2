import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StackOutputs } from '@outpost/outputs';
import { readStackConfigFile, type StackConfig } from '../config.ts';
import { renderCollectorConfig, renderControlPlaneFiles, stackOutputs } from '../render/index.ts';
import { buildTopology, type Topology } from '../topology.ts';
import {
  ProcessModeError,
  requireBinaries,
  requirePortsFree,
  waitHealthy,
  which,
} from './checks.ts';
import { Supervised, type ChildSpec, type SupervisorEvent } from './supervisor.ts';
import { startWebhookReceiver } from './webhook.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const API_MAIN = join(REPO_ROOT, 'apps/api/src/main.ts');
const DASHBOARD_MAIN = join(REPO_ROOT, 'apps/dashboard/build/index.js');

export interface StartOptions {
  /** Stack file `Pulumi.<stack>.yaml`; default `local`. */
  stack?: string;
  /** Where the stack files are; default the repository root. */
  rootDir?: string;
  /** Where data, configs and logs go; default `<repo>/.run`. Files land in `<runDir>/<stack>/`. */
  runDir?: string;
  /** Added to every port so two platforms can run side by side. */
  portOffset?: number;
  /** Adjusts the validated config (tests shorten intervals and `for:` durations). */
  overrides?: (config: StackConfig) => StackConfig;
  /** Start the dashboard when its build exists (default true). */
  dashboard?: boolean;
  /** Called for every supervisor event (the CLI prints them). */
  onEvent?: (event: SupervisorEvent) => void;
}

export interface RunningPlatform {
  outputs: StackOutputs;
  topology: Topology;
  /** `<runDir>/<stack>`. */
  runDir: string;
  pids: Record<string, number>;
  children: Supervised[];
  stop(): Promise<void>;
}

/**
 * Process mode: renders the stack's configs into `<runDir>/<stack>/`, starts Prometheus,
 * Alertmanager, the webhook receiver, one API per data plane (and its collector when
 * otelcol-contrib is on PATH) and the dashboard, waits until each is healthy and writes the
 * stack outputs. Resolves once everything is healthy; stop() ends every child.
 */
export async function startPlatform(options: StartOptions = {}): Promise<RunningPlatform> {
  const stack = options.stack ?? 'local';
  let config = readStackConfigFile(stack, options.rootDir ?? REPO_ROOT);
  if (config.platform === 'kubernetes') {
    throw new ProcessModeError(
      `stack ${stack} targets Kubernetes; run it with \`pulumi up -s ${stack}\` (docs/deploy.md). npm start runs docker and process stacks.`,
    );
  }
  if (options.overrides) config = options.overrides(config);
  if (!config.controlPlane)
    throw new ProcessModeError(`stack ${stack} has no controlPlane; process mode needs one`);

  const collectorBinary = which('otelcol-contrib');
  const topology = buildTopology(config, {
    stack,
    platform: 'process',
    portOffset: options.portOffset ?? 0,
    collector: collectorBinary !== null,
  });
  const ctl = topology.controlPlane!;
  const cp = config.controlPlane;
  const bins = requireBinaries(['prometheus', 'prometheus-alertmanager']);
  const runDir = resolve(options.runDir ?? join(REPO_ROOT, '.run'), stack);
  const dashboard = (options.dashboard ?? true) && existsSync(DASHBOARD_MAIN);

  await requirePortsFree([
    { port: ctl.prometheus.port, key: 'controlPlane.ports.prometheus' },
    { port: ctl.alertmanager.port, key: 'controlPlane.ports.alertmanager' },
    { port: ctl.webhook.port, key: 'controlPlane.ports.webhook' },
    ...(dashboard ? [{ port: ctl.dashboard.port, key: 'controlPlane.ports.dashboard' }] : []),
    ...topology.dataPlanes.flatMap((dp, i) => [
      { port: dp.api.port, key: `dataPlanes[${i}].ports.api` },
      ...(dp.collector.enabled
        ? [
            { port: dp.collector.otlp.port, key: `dataPlanes[${i}].ports.otlp` },
            { port: dp.collector.metrics.port, key: `dataPlanes[${i}].ports.collectorMetrics` },
            { port: dp.collector.telemetry.port, key: `dataPlanes[${i}].ports.collectorTelemetry` },
            { port: dp.collector.health.port, key: `dataPlanes[${i}].ports.collectorHealth` },
          ]
        : [{ port: dp.apiMetrics.port, key: `dataPlanes[${i}].ports.apiMetrics` }]),
    ]),
  ]);

  // Render every config file.
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(runDir, path)), { recursive: true });
    writeFileSync(join(runDir, path), text);
  };
  for (const [path, text] of Object.entries(renderControlPlaneFiles(topology))) write(path, text);
  if (collectorBinary)
    for (const dp of topology.dataPlanes)
      write(`collector/${dp.name}.yaml`, renderCollectorConfig(topology, dp));
  for (const dir of ['logs', 'data/prometheus', 'data/alertmanager'])
    mkdirSync(join(runDir, dir), { recursive: true });

  // Secrets: one admin token per run (or API_ADMIN_TOKEN from the environment).
  const adminToken = process.env.API_ADMIN_TOKEN || randomBytes(24).toString('hex');
  const adminTokens = Object.fromEntries(topology.dataPlanes.map((dp) => [dp.id, adminToken]));
  const outputs = stackOutputs(topology, adminTokens);

  const children: Supervised[] = [];
  const onEvent = options.onEvent ?? (() => {});
  const spawnChild = (spec: Omit<ChildSpec, 'logFile'>) => {
    const child = new Supervised(
      { ...spec, logFile: join(runDir, 'logs', `${spec.name}.log`) },
      onEvent,
    );
    children.push(child);
    child.start();
    return child;
  };

  let webhook: Server | null = null;
  const stop = async () => {
    await Promise.all(children.map((c) => c.stop()));
    await new Promise<void>((r) => (webhook ? webhook.close(() => r()) : r()));
  };

  try {
    webhook = await startWebhookReceiver(ctl.webhook.port, join(runDir, 'alerts.jsonl'));
    spawnChild({
      name: 'prometheus',
      command: bins.prometheus!,
      args: [
        `--config.file=${join(runDir, 'prometheus/prometheus.yml')}`,
        `--storage.tsdb.path=${join(runDir, 'data/prometheus')}`,
        `--storage.tsdb.retention.time=${cp.retention}`,
        `--web.listen-address=127.0.0.1:${ctl.prometheus.port}`,
        '--web.enable-lifecycle',
        // Alerts evaluated before the notifier has discovered Alertmanager are otherwise only
        // re-sent after a minute; re-sending every evaluation makes alerts arrive at once.
        `--rules.alert.resend-delay=${cp.evaluationInterval}`,
        ...(topology.dataPlanes.some((dp) => dp.mode === 'push' && dp.collector.enabled)
          ? ['--web.enable-remote-write-receiver']
          : []),
      ],
    });
    spawnChild({
      name: 'alertmanager',
      command: bins['prometheus-alertmanager']!,
      args: [
        `--config.file=${join(runDir, 'alertmanager/alertmanager.yml')}`,
        `--storage.path=${join(runDir, 'data/alertmanager')}`,
        `--web.listen-address=127.0.0.1:${ctl.alertmanager.port}`,
        // One local instance: no gossip cluster (it would also need a free cluster port).
        '--cluster.listen-address=',
      ],
    });
    const waits: Array<Promise<void>> = [
      waitHealthy('prometheus', `${ctl.prometheus.url}/-/ready`, 20_000),
      waitHealthy('alertmanager', `${ctl.alertmanager.url}/-/ready`, 20_000),
    ];

    for (const dp of topology.dataPlanes) {
      const telemetry: Record<string, string> = dp.collector.enabled
        ? {
            OTEL_METRICS_EXPORTER: 'otlp',
            OTEL_EXPORTER_OTLP_ENDPOINT: `http://${dp.collector.otlp.internal}`,
          }
        : {
            OTEL_METRICS_EXPORTER: 'prometheus',
            OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
            OTEL_EXPORTER_PROMETHEUS_PORT: String(dp.apiMetrics.port),
          };
      if (dp.collector.enabled && collectorBinary) {
        spawnChild({
          name: `${dp.name}-collector`,
          command: collectorBinary,
          args: [`--config=${join(runDir, `collector/${dp.name}.yaml`)}`],
        });
        waits.push(
          waitHealthy(`${dp.name}-collector`, `http://${dp.collector.health.internal}/`, 20_000),
        );
      }
      spawnChild({
        name: `${dp.name}-api`,
        command: process.execPath,
        args: [API_MAIN],
        env: {
          HOST: '127.0.0.1',
          PORT: String(dp.api.port),
          ENVIRONMENT: dp.environment,
          DATA_PLANE_ID: dp.id,
          CUSTOMER: dp.customer,
          API_ERROR_RATE: String(dp.errorRate),
          API_LATENCY_MS: String(dp.latencyMs),
          API_ADMIN_TOKEN: adminTokens[dp.id]!,
          OTEL_SERVICE_NAME: 'outpost-api',
          ...telemetry,
        },
      });
      waits.push(waitHealthy(`${dp.name}-api`, `${dp.api.url}/ready`, 20_000));
    }

    if (dashboard) {
      spawnChild({
        name: 'dashboard',
        command: process.execPath,
        args: [DASHBOARD_MAIN],
        env: {
          HOST: '127.0.0.1',
          PORT: String(ctl.dashboard.port),
          DASHBOARD_CONFIG: JSON.stringify(outputs),
          // SvelteKit's adapter-node checks request origins against this.
          ORIGIN: ctl.dashboard.url,
        },
      });
      waits.push(waitHealthy('dashboard', `${ctl.dashboard.url}/healthz`, 20_000));
    }

    await Promise.all(waits);
  } catch (err) {
    await stop();
    throw err;
  }

  const withoutDashboard = dashboard ? outputs : { ...outputs, dashboardUrl: null };
  const outputsFile = join(runDir, 'outputs.json');
  writeFileSync(outputsFile, JSON.stringify(withoutDashboard, null, 2) + '\n', { mode: 0o600 });
  chmodSync(outputsFile, 0o600); // holds the admin token: owner-only even if the file existed

  return {
    outputs: withoutDashboard,
    topology,
    runDir,
    children,
    get pids() {
      return Object.fromEntries(children.map((c) => [c.spec.name, c.pid ?? -1]));
    },
    stop,
  };
}
