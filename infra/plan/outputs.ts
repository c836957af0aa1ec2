import { validateStackOutputs, type DataPlaneOutput, type StackOutputs } from '@outpost/outputs';
import type { Topology } from '../topology.ts';
import type { ForeignPlane } from './types.ts';

/**
 * The stack outputs (@outpost/outputs schema) of a plan: this stack's planes, then those of the
 * stacks it watches (their API URL, never their collector's), push planes included.
 * `adminTokens` maps a plane id to its fault-injection token (absent: null).
 */
export function planOutputs(
  topology: Topology,
  foreign: ForeignPlane[],
  adminTokens: Record<string, string>,
  fleet: Array<{ id: string; customer: string; environment: string }> = [],
): StackOutputs {
  const cp = topology.config.controlPlane;
  const ctl = topology.controlPlane;
  const own: DataPlaneOutput[] = topology.dataPlanes.map((dp) => ({
    name: dp.name,
    id: dp.id,
    customer: dp.customer,
    environment: dp.environment,
    mode: dp.mode,
    apiUrl: dp.api.url,
    metricsUrl: dp.mode === 'pull' ? `${dp.collector.metrics.url}/metrics` : null,
    adminToken: adminTokens[dp.id] ?? null,
  }));
  const theirs: DataPlaneOutput[] = foreign.map((p) => ({
    name: p.name,
    id: p.id,
    customer: p.customer,
    environment: p.environment,
    mode: p.mode,
    apiUrl: p.apiUrl,
    metricsUrl: p.scrape ? `https://${p.scrape.host}:${p.scrape.port}/metrics` : null,
    adminToken: adminTokens[p.id] ?? null,
  }));
  return validateStackOutputs(
    {
      stack: topology.stack,
      platform: topology.platform,
      dashboardUrl: ctl?.dashboard.url ?? null,
      queryUrl: ctl?.queryUrl ?? null,
      prometheusUrl: ctl?.prometheus[0]!.prometheus.url ?? null,
      alertmanagerUrl: ctl?.alertmanager[0]!.http.url ?? null,
      dataPlanes: [...own, ...theirs, ...fleet.map((p) => simulatedPlane(topology, p))],
      scrapeInterval: cp?.scrapeInterval ?? '10s',
      slos: cp
        ? [
            {
              name: 'availability',
              objective: cp.slos.availability.objective,
              window: cp.slos.availability.window,
              burnRates: cp.slos.burnRates,
            },
            {
              name: 'latency',
              objective: cp.slos.latency.objective,
              window: cp.slos.latency.window,
              thresholdSeconds: cp.slos.latency.thresholdSeconds,
              burnRates: cp.slos.burnRates,
            },
          ]
        : [],
    },
    `stack ${topology.stack}`,
  );
}

/**
 * The outputs as the dashboard sees them from inside the platform: in-network addresses of
 * Prometheus, Thanos Query and Alertmanager, and no admin tokens (it never injects faults).
 */
export function dashboardView(outputs: StackOutputs, topology: Topology): StackOutputs {
  const ctl = topology.controlPlane!;
  const inside = (internal: string) => `http://${internal}`;
  return {
    ...outputs,
    queryUrl: inside((ctl.thanos?.query ?? ctl.prometheus[0]!.prometheus).internal),
    prometheusUrl: inside(ctl.prometheus[0]!.prometheus.internal),
    alertmanagerUrl: inside(ctl.alertmanager[0]!.http.internal),
    dataPlanes: outputs.dataPlanes.map((dp) => ({ ...dp, adminToken: null })),
  };
}

/** A simulated plane of `--fleet N`: its endpoints are paths of the one simulator. */
function simulatedPlane(
  topology: Topology,
  p: { id: string; customer: string; environment: string },
): DataPlaneOutput {
  const base = `${topology.controlPlane!.fleet.url}/planes/${p.id}`;
  return {
    name: p.id,
    id: p.id,
    customer: p.customer,
    environment: p.environment,
    mode: 'pull',
    apiUrl: base,
    metricsUrl: `${base}/metrics`,
    adminToken: null,
    simulated: true,
  };
}
