import type { ControlContext } from './context.ts';
import type { NetworkRule, Workload } from './types.ts';

/**
 * Who may call whom in the control plane (NetworkPolicies on Kubernetes): every peer named
 * here is a workload of the plan, which the wiring checks verify.
 */
export function controlNetworkRules(ctx: ControlContext, workloads: Workload[]): NetworkRule[] {
  const ns = ctx.namespace;
  const present = new Set(workloads.filter((w) => w.namespace === ns).map((w) => w.app));
  const ports = (app: string, ...names: string[]) =>
    workloads
      .filter((w) => w.app === app && w.namespace === ns)
      .flatMap((w) => w.containers.flatMap((c) => c.ports))
      .filter((p) => names.length === 0 || names.includes(p.name))
      .map((p) => p.port);
  const rule = (
    to: string,
    from: string | 'anywhere',
    portNames: string[],
    why: string,
  ): NetworkRule[] =>
    present.has(to) &&
    (from === 'anywhere' || present.has(from)) &&
    ports(to, ...portNames).length > 0
      ? [
          {
            namespace: ns,
            to: { app: to },
            from: from === 'anywhere' ? 'anywhere' : { namespace: ns, app: from },
            ports: [...new Set(ports(to, ...portNames))],
            why,
          },
        ]
      : [];
  return [
    ...rule('prometheus', 'prometheus', [], 'replicas scrape each other and their sidecars'),
    ...rule('prometheus', 'gateway', ['http'], 'the gateway remote-writes push planes’ samples'),
    ...rule('prometheus', 'thanos-query', ['grpc'], 'Thanos Query reads every sidecar'),
    ...rule(
      'prometheus',
      'dashboard',
      ['http'],
      'the dashboard queries Prometheus (without Thanos)',
    ),
    ...rule(
      'alertmanager',
      'prometheus',
      ['http'],
      'Prometheus sends alerts and scrapes Alertmanager',
    ),
    ...rule(
      'alertmanager',
      'dashboard',
      ['http'],
      'the dashboard lists alerts and manages silences',
    ),
    ...rule(
      'alertmanager',
      'alertmanager',
      ['cluster'],
      'a pair gossips silences and notifications',
    ),
    ...rule('alert-receiver', 'alertmanager', ['http'], 'Alertmanager notifies the local receiver'),
    ...rule('thanos-query', 'dashboard', ['http'], 'the dashboard queries through Thanos'),
    ...rule('thanos-query', 'prometheus', ['http'], 'Prometheus scrapes Thanos Query'),
    ...rule('thanos-store', 'thanos-query', ['grpc'], 'Thanos Query reads the bucket’s blocks'),
    ...rule('thanos-store', 'prometheus', ['http'], 'Prometheus scrapes the Store Gateway'),
    ...rule('thanos-compact', 'prometheus', ['http'], 'Prometheus scrapes the Compactor'),
    ...(present.has('gateway')
      ? [
          {
            namespace: ns,
            to: { app: 'gateway' },
            from: 'anywhere' as const,
            ports: ports('gateway').filter(
              (p) => !ports('gateway', 'health', 'telemetry').includes(p),
            ),
            why: 'push planes send from their own networks (TLS and a token per plane)',
          },
        ]
      : []),
    ...rule('gateway', 'prometheus', ['telemetry'], 'Prometheus scrapes the gateway'),
    ...rule('dashboard', 'anywhere', ['http'], 'people use the dashboard'),
  ];
}
