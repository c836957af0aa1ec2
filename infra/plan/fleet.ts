import { planeJob } from '@outpost/outputs';
import { fleetPlanes, type FleetPlane } from '../fleet/planes.ts';
import { configFile, httpProbe, NODE_RUNTIME_ENV, RESOURCES } from './common.ts';
import type { ControlContext } from './context.ts';
import { CONFIG_DIR } from './paths.ts';
import type { ScrapeTarget, Workload } from './types.ts';

/** Most simulated planes `npm start -- --fleet N` adds. */
export const MAX_FLEET = 500;

export interface FleetParts {
  planes: FleetPlane[];
  workloads: Workload[];
  targets: ScrapeTarget[];
}

/**
 * `--fleet N` (process mode only): N simulated data planes beside the stack's real ones, a test
 * double for scale. One simulator process serves every plane's metrics on one port, a path per
 * plane; Prometheus scrapes each as its own plane job with its labels. No collectors: what it
 * exercises is the control plane and the dashboard at fleet size.
 */
export function planFleet(ctx: ControlContext, size: number): FleetParts {
  if (size === 0) return { planes: [], workloads: [], targets: [] };
  if (ctx.platform !== 'process')
    throw new Error('a simulated fleet runs in process mode only (npm start -- --fleet N)');
  const planes = fleetPlanes(size);
  const port = ctx.ctl.fleet.port;
  const name = `${ctx.stack}-fleet`;
  const workload: Workload = {
    name,
    namespace: ctx.namespace,
    app: 'fleet-simulator',
    kind: 'deployment',
    replicas: 1,
    volumes: [],
    containers: [
      {
        name: 'fleet-simulator',
        program: 'fleet-simulator',
        args: [],
        env: {
          HOST: ctx.bind,
          PORT: String(port),
          FLEET_FILE: `${CONFIG_DIR}/fleet.json`,
          FLEET_SEED: '1',
          ...NODE_RUNTIME_ENV,
        },
        files: [configFile('fleet.json', JSON.stringify(planes))],
        mounts: [],
        ports: [{ name: 'http', port, serves: 'metrics' }],
        readiness: httpProbe('/healthz', port, 5),
        liveness: httpProbe('/healthz', port, 10),
        resources: RESOURCES.node,
      },
    ],
  };
  const targets = planes.map((p): ScrapeTarget => ({
    job: planeJob(p.id),
    address: ctx.ctl.fleet.internal,
    path: `/planes/${p.id}/metrics`,
    discovery: 'static',
    scheme: 'http',
    tls: null,
    bearerToken: null,
    labels: { customer: p.customer, environment: p.environment, data_plane: p.id },
    serves: { workload: name, port: 'http' },
  }));
  return { planes, workloads: [workload], targets };
}
