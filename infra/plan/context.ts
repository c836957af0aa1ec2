import type { ControlPlaneConfig, StackConfig } from '../config.ts';
import type { ControlPlaneTopology, Platform, Topology } from '../topology.ts';
import { bindHost } from './common.ts';
import type { ForeignPlane } from './types.ts';

/** What every control-plane builder needs to know about the stack. */
export interface ControlContext {
  stack: string;
  platform: Platform;
  config: StackConfig;
  cp: ControlPlaneConfig;
  ctl: ControlPlaneTopology;
  topology: Topology;
  namespace: string;
  bind: string;
  foreign: ForeignPlane[];
  /** Push planes of this stack and of the stacks it watches: each has a gateway receiver. */
  pushPlanes: Array<{
    name: string;
    labels: Record<'customer' | 'environment' | 'data_plane', string>;
    port: number;
    stack: string;
  }>;
}

export function controlContext(topology: Topology, foreign: ForeignPlane[]): ControlContext | null {
  const cp = topology.config.controlPlane;
  const ctl = topology.controlPlane;
  if (!cp || !ctl) return null;
  const own = topology.dataPlanes
    .filter((dp) => dp.mode === 'push')
    .map((dp) => ({ name: dp.name, labels: dp.labels, port: dp.pushPort!, stack: topology.stack }));
  const theirs = foreign
    .filter((p) => p.mode === 'push' && p.pushPort !== null)
    .map((p) => ({
      name: p.name,
      labels: { customer: p.customer, environment: p.environment, data_plane: p.id },
      port: p.pushPort!,
      stack: p.stack,
    }));
  return {
    stack: topology.stack,
    platform: topology.platform,
    config: topology.config,
    cp,
    ctl,
    topology,
    namespace: ctl.namespace,
    bind: bindHost(topology.platform),
    foreign,
    pushPlanes: [...own, ...theirs],
  };
}
