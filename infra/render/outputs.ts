import { validateStackOutputs, type StackOutputs } from '@outpost/outputs';
import type { Topology } from '../topology.ts';

/**
 * The stack outputs (shared schema, @outpost/outputs) for a topology. `adminTokens` maps a
 * data plane id to its fault-injection token.
 */
export function stackOutputs(
  topology: Topology,
  adminTokens: Record<string, string> = {},
): StackOutputs {
  const cp = topology.config.controlPlane;
  const ctl = topology.controlPlane;
  return validateStackOutputs(
    {
      stack: topology.stack,
      platform: topology.platform,
      dashboardUrl: ctl?.dashboard.url ?? null,
      queryUrl: ctl?.queryUrl ?? null,
      prometheusUrl: ctl?.prometheus.url ?? null,
      alertmanagerUrl: ctl?.alertmanager.url ?? null,
      dataPlanes: topology.dataPlanes.map((dp) => ({
        name: dp.name,
        id: dp.id,
        customer: dp.customer,
        environment: dp.environment,
        apiUrl: dp.api.url,
        metricsUrl: dp.scrapeTarget ? dp.metricsUrl : null,
        adminToken: adminTokens[dp.id] ?? null,
      })),
      scrapeInterval: cp?.scrapeInterval ?? '10s',
      slos: cp
        ? [
            {
              name: 'availability',
              objective: cp.slos.availability.objective,
              window: cp.slos.availability.window,
            },
            {
              name: 'latency',
              objective: cp.slos.latency.objective,
              window: cp.slos.latency.window,
              thresholdSeconds: cp.slos.latency.thresholdSeconds,
            },
          ]
        : [],
    },
    `stack ${topology.stack}`,
  );
}
