import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readStackConfigFile, type StackConfig } from '../config.ts';
import { federatedPlanes } from '../federation.ts';
import { buildPlan } from './index.ts';
import { makeCredentials } from '../process/credentials.ts';
import { ROOT_PATTERN } from './paths.ts';
import type { Credential, Plan } from './types.ts';

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
  const prodAlone = buildPlan(
    { ...stackConfig('prod'), scrapeStacks: [] },
    { stack: 'prod', platform: 'kubernetes' },
  );
  const gateway = prodAlone.topology.controlPlane!.gateway.host;
  const dev = buildPlan(
    { ...stackConfig('dev'), pushGateway: { url: `https://${gateway}`, caCert: TEST_CA } },
    { stack: 'dev', platform: 'kubernetes' },
  );
  return {
    localProcess: buildPlan(stackConfig('local'), { stack: 'local', platform: 'process' }),
    localDocker: buildPlan(stackConfig('local'), { stack: 'local', platform: 'docker' }),
    dev,
    prod: buildPlan(stackConfig('prod'), {
      stack: 'prod',
      platform: 'kubernetes',
      foreign: federatedPlanes(dev),
    }),
  };
}

/**
 * Writes every file of a plan's workloads under `dir/<workload>/` (ROOT mapped there, as process
 * mode does), with real credentials (another stack's are made up), so the real binaries can
 * check them. Returns the directory of each workload.
 */
export function layOut(plan: Plan, dir: string): Record<string, string> {
  const credentials = plan.credentials.map((c): Credential =>
    c.kind === 'imported'
      ? c.id.endsWith('-ca')
        ? { id: c.id, kind: 'ca', commonName: c.id }
        : { id: c.id, kind: 'token' }
      : c.kind === 'external'
        ? { id: c.id, kind: 'token' }
        : c,
  );
  const secrets = makeCredentials(credentials, {});
  const dirs: Record<string, string> = {};
  for (const w of plan.workloads) {
    const root = join(dir, w.name);
    dirs[w.name] = root;
    for (const c of w.containers)
      for (const f of c.files) {
        const path = f.path.replace(ROOT_PATTERN, root);
        mkdirSync(dirname(path), { recursive: true });
        const text =
          'content' in f
            ? f.content.replace(ROOT_PATTERN, root)
            : secrets.get(f.secret.credential)![f.secret.key]!;
        writeFileSync(path, text);
      }
  }
  return dirs;
}
