import { join } from 'node:path';
import { readStackConfigFile, type StackConfig } from '../config.ts';
import { federatedPlanes } from '../federation.ts';
import { buildPlan } from './index.ts';
import type { Plan } from './types.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const TEST_CA = '-----BEGIN CERTIFICATE-----\ntest\n-----END CERTIFICATE-----\n';

export function stackConfig(stack: string): StackConfig {
  return readStackConfigFile(stack, ROOT);
}

/**
 * The plans of every stack file as they deploy: `local` as processes and on Docker, `dev` (its
 * push plane sending to prod's gateway) and `prod` (watching dev) on Kubernetes.
 */
export function stackPlans(): Record<'localProcess' | 'localDocker' | 'dev' | 'prod', Plan> {
  const prodAlone = buildPlan({ ...stackConfig('prod'), scrapeStacks: [] }, { stack: 'prod', platform: 'kubernetes' });
  const gateway = prodAlone.topology.controlPlane!.gateway.host;
  const dev = buildPlan(
    { ...stackConfig('dev'), pushGateway: { url: `https://${gateway}`, caCert: TEST_CA } },
    { stack: 'dev', platform: 'kubernetes' },
  );
  return {
    localProcess: buildPlan(stackConfig('local'), { stack: 'local', platform: 'process' }),
    localDocker: buildPlan(stackConfig('local'), { stack: 'local', platform: 'docker' }),
    dev,
    prod: buildPlan(stackConfig('prod'), { stack: 'prod', platform: 'kubernetes', foreign: federatedPlanes(dev) }),
  };
}
