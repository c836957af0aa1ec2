import { renderPrometheusConfig, RULE_FILES, type ScrapeJob } from '../render/prometheus.ts';
import { renderRecordingRules, renderSloRules } from '../render/rules.ts';
import { renderThanosObjstore } from '../render/thanos.ts';
import { configFile, CREDENTIALS, httpProbe, publish, RESOURCES, secretEnv } from './common.ts';
import type { ControlContext } from './context.ts';
import { BUCKET_DIR, CONFIG_DIR, DATA_DIR, SECRETS_DIR } from './paths.ts';
import type {
  Container,
  EnvValue,
  FileMount,
  ScrapeTarget,
  SecretRef,
  Volume,
  Workload,
} from './types.ts';

/** The objstore config file every Thanos part reads, and how it reaches the bucket. */
export function thanosStorage(ctx: ControlContext): {
  files: FileMount[];
  env: Record<string, EnvValue>;
  mounts: Container['mounts'];
  volumes: Volume[];
} {
  const thanos = ctx.cp.thanos;
  const files = [configFile('objstore.yml', renderThanosObjstore(ctx.stack, thanos, BUCKET_DIR))];
  if (thanos.objstore === 's3') {
    return {
      files,
      env: {
        AWS_ACCESS_KEY_ID: secretEnv(CREDENTIALS.objstoreAccessKey(ctx.stack)),
        AWS_SECRET_ACCESS_KEY: secretEnv(CREDENTIALS.objstoreSecretKey(ctx.stack)),
      },
      mounts: [],
      volumes: [],
    };
  }
  return {
    files,
    env: {},
    mounts: [{ volume: 'bucket', path: BUCKET_DIR }],
    volumes: [{ name: 'bucket', kind: 'shared', size: '50Gi' }],
  };
}

/**
 * Prometheus, each replica with its Thanos sidecar when Thanos is on: the rules, the scrape
 * jobs with the files their TLS and tokens need, and its TSDB. On Kubernetes one StatefulSet
 * whose pods name themselves as `replica`; elsewhere one workload per replica.
 */
export function planPrometheus(
  ctx: ControlContext,
  targets: ScrapeTarget[],
  alertRules: string,
): Workload[] {
  const { cp, ctl, platform } = ctx;
  const k8s = platform === 'kubernetes';
  const thanos = cp.thanos.enabled;
  const gateway = ctx.pushPlanes.length > 0;

  // TLS and token files of the scrape jobs, one file per credential.
  const secretFiles = new Map<string, FileMount>();
  const fileOf = (ref: SecretRef, suffix: string) => {
    const path = `${SECRETS_DIR}/${ref.credential}.${suffix}`;
    secretFiles.set(path, { path, secret: ref });
    return path;
  };
  // One job per job name: static targets of the same job (replicas) share it.
  const jobs: ScrapeJob[] = [];
  for (const t of targets) {
    const [host, port] = splitHostPort(t.address);
    const same = jobs.find((j) => j.job === t.job);
    if (same && 'static' in same.target && t.discovery === 'static' && same.path === t.path) {
      same.target.static.push(t.address);
      continue;
    }
    jobs.push({
      job: t.job,
      target: t.discovery === 'dns' ? { dns: host, port } : { static: [t.address] },
      ...(t.path ? { path: t.path } : {}),
      scheme: t.scheme,
      ...(t.tls ? { tls: { caFile: fileOf(t.tls.ca, 'crt'), serverName: t.tls.serverName } } : {}),
      ...(t.bearerToken ? { bearerTokenFile: fileOf(t.bearerToken, 'token') } : {}),
      labels: t.labels,
    });
  }
  const rules = {
    'rules/recording.yml': renderRecordingRules(cp),
    'rules/alerting.yml': alertRules,
    'rules/slo.yml': renderSloRules(cp),
  };
  if (Object.keys(rules).join() !== RULE_FILES.join()) throw new Error('rule files out of step');

  const replicas = k8s ? ctl.prometheus.slice(0, 1) : ctl.prometheus;
  return replicas.map((r): Workload => {
    const config = renderPrometheusConfig({
      stack: ctx.stack,
      platform,
      scrapeInterval: cp.scrapeInterval,
      evaluationInterval: cp.evaluationInterval,
      replica: r.replica,
      alertmanagers: k8s
        ? {
            dns: `${ctx.stack}-alertmanager.${ctx.namespace}.svc.cluster.local`,
            port: ctl.alertmanager[0]!.http.port,
          }
        : { static: ctl.alertmanager.map((a) => a.http.internal) },
      jobs,
    });
    const storage = thanos ? thanosStorage(ctx) : null;
    const prometheus: Container = {
      name: 'prometheus',
      program: 'prometheus',
      args: [
        `--config.file=${CONFIG_DIR}/prometheus.yml`,
        `--storage.tsdb.path=${DATA_DIR}`,
        `--storage.tsdb.retention.time=${cp.retention}`,
        `--web.listen-address=${ctx.bind}:${r.prometheus.port}`,
        // Alerts evaluated before the notifier has discovered Alertmanager are otherwise only
        // re-sent after a minute; re-sending every evaluation makes alerts arrive at once.
        `--rules.alert.resend-delay=${cp.evaluationInterval}`,
        // The gateway writes push planes' samples here (nothing else can reach the port).
        ...(gateway ? ['--web.enable-remote-write-receiver'] : []),
        // The sidecar uploads whole blocks: compaction is left to the Thanos Compactor.
        ...(thanos
          ? [
              `--storage.tsdb.min-block-duration=${cp.thanos.blockDuration}`,
              `--storage.tsdb.max-block-duration=${cp.thanos.blockDuration}`,
            ]
          : []),
      ],
      env: k8s ? { POD_NAME: { pod: 'name' } } : {},
      files: [
        configFile('prometheus.yml', config),
        ...Object.entries(rules).map(([path, text]) => configFile(path, text)),
        ...secretFiles.values(),
      ],
      mounts: [{ volume: 'data', path: DATA_DIR }],
      ports: [
        {
          name: 'http',
          port: r.prometheus.port,
          serves: 'metrics',
          ...publish(r.prometheus.hostPort, platform),
        },
      ],
      readiness: httpProbe('/-/ready', r.prometheus.port),
      liveness: httpProbe('/-/healthy', r.prometheus.port, 20),
      resources: RESOURCES.prometheus,
    };
    const sidecar: Container | null = storage
      ? {
          name: 'thanos-sidecar',
          program: 'thanos',
          args: [
            'sidecar',
            // Same pod (Kubernetes), same network namespace (Docker) or same host (process).
            `--prometheus.url=http://127.0.0.1:${r.prometheus.port}`,
            `--tsdb.path=${DATA_DIR}`,
            `--objstore.config-file=${CONFIG_DIR}/objstore.yml`,
            `--http-address=${ctx.bind}:${r.sidecar.port}`,
            `--grpc-address=${ctx.bind}:${r.sidecarGrpc.port}`,
          ],
          env: storage.env,
          files: storage.files,
          mounts: [{ volume: 'data', path: DATA_DIR }, ...storage.mounts],
          ports: [
            { name: 'sidecar-http', port: r.sidecar.port, serves: 'metrics' },
            { name: 'grpc', port: r.sidecarGrpc.port, serves: 'grpc' },
          ],
          readiness: httpProbe('/-/ready', r.sidecar.port),
          liveness: httpProbe('/-/healthy', r.sidecar.port, 20),
          resources: RESOURCES.thanos,
        }
      : null;
    return {
      name: r.name,
      namespace: ctx.namespace,
      app: 'prometheus',
      kind: 'statefulset',
      replicas: k8s ? cp.prometheusReplicas : 1,
      serviceName: k8s ? `${ctx.stack}-prometheus` : r.name,
      containers: sidecar ? [prometheus, sidecar] : [prometheus],
      volumes: [{ name: 'data', kind: 'data', size: '20Gi' }, ...(storage?.volumes ?? [])],
    };
  });
}

function splitHostPort(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i), Number(address.slice(i + 1))];
}
