import { REPLICA_LABEL } from '@outpost/outputs';
import { httpProbe, publish, RESOURCES } from './common.ts';
import type { ControlContext } from './context.ts';
import { CONFIG_DIR, DATA_DIR } from './paths.ts';
import { thanosStorage } from './prometheus.ts';
import type { Container, Workload } from './types.ts';

/** How long Thanos Query waits for one store before answering from the others. */
export const STORE_RESPONSE_TIMEOUT = '15s';

/**
 * Thanos Query (the dashboard's data source: every sidecar and the Store Gateway, deduplicated
 * on `replica`), the Store Gateway (blocks in the bucket) and the Compactor (one at a time).
 */
export function planThanos(ctx: ControlContext): Workload[] {
  const { cp, ctl, platform, bind } = ctx;
  const t = ctl.thanos;
  if (!cp.thanos.enabled || !t) return [];
  const k8s = platform === 'kubernetes';
  const storage = thanosStorage(ctx);

  // On Kubernetes, SRV lookups of the headless Services find every replica's gRPC port.
  const promService = `${ctx.stack}-prometheus.${ctx.namespace}.svc.cluster.local`;
  const endpoints = k8s
    ? [`dnssrv+_grpc._tcp.${promService}`, `dnssrv+_grpc._tcp.${t.storeGrpc.host}`]
    : [...ctl.prometheus.map((r) => r.sidecarGrpc.internal), t.storeGrpc.internal];

  const part = (
    name: string,
    args: string[],
    http: { port: number; hostPort: number | null },
    grpc: number | null,
    extra: Partial<Container> = {},
  ): Container => ({
    name,
    program: 'thanos',
    args: [
      ...args,
      `--http-address=${bind}:${http.port}`,
      ...(grpc ? [`--grpc-address=${bind}:${grpc}`] : []),
    ],
    env: {},
    files: [],
    mounts: [],
    ports: [
      { name: 'http', port: http.port, serves: 'metrics', ...publish(http.hostPort, platform) },
      ...(grpc ? [{ name: 'grpc', port: grpc, serves: 'grpc' as const }] : []),
    ],
    readiness: httpProbe('/-/ready', http.port),
    liveness: httpProbe('/-/healthy', http.port, 20),
    resources: RESOURCES.thanos,
    ...extra,
  });
  const workload = (
    app: string,
    container: Container,
    replicas = 1,
    singleton = false,
  ): Workload => ({
    name: `${ctx.stack}-${app}`,
    namespace: ctx.namespace,
    app,
    kind: 'deployment',
    replicas,
    ...(singleton ? { singleton } : {}),
    containers: [container],
    volumes: [
      ...(container.mounts.some((m) => m.volume === 'cache')
        ? [{ name: 'cache', kind: 'scratch' as const, size: '10Gi' }]
        : []),
      ...storage.volumes,
    ],
  });
  const withStorage = (mountsCache: boolean): Partial<Container> => ({
    env: storage.env,
    files: storage.files,
    mounts: [...(mountsCache ? [{ volume: 'cache', path: DATA_DIR }] : []), ...storage.mounts],
  });
  const objstore = `--objstore.config-file=${CONFIG_DIR}/objstore.yml`;

  return [
    workload(
      'thanos-query',
      part(
        'query',
        [
          'query',
          ...endpoints.map((e) => `--endpoint=${e}`),
          `--query.replica-label=${REPLICA_LABEL}`,
          // A hung store (a stopped replica's sidecar) costs this much, then Query answers with
          // what the others hold instead of waiting for the query timeout.
          `--store.response-timeout=${STORE_RESPONSE_TIMEOUT}`,
        ],
        t.query,
        t.queryGrpc.port,
      ),
      k8s ? 2 : 1,
    ),
    workload(
      'thanos-store',
      part(
        'store',
        [
          'store',
          `--data-dir=${DATA_DIR}`,
          objstore,
          `--sync-block-duration=${cp.thanos.syncInterval}`,
        ],
        t.store,
        t.storeGrpc.port,
        withStorage(true),
      ),
    ),
    workload(
      'thanos-compact',
      part(
        'compact',
        [
          'compact',
          '--wait',
          `--wait-interval=${cp.thanos.syncInterval}`,
          `--data-dir=${DATA_DIR}`,
          objstore,
          '--retention.resolution-raw=30d',
          '--retention.resolution-5m=180d',
          '--retention.resolution-1h=2y',
        ],
        t.compact,
        null,
        withStorage(true),
      ),
      1,
      // Two compactors on one bucket corrupt it: never roll one over another.
      true,
    ),
  ];
}
