import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Program } from './plan/types.ts';

// The images each program runs as, at the versions config/versions.env pins: the versions
// process mode and the tests run (scripts/setup-go-tools.sh builds the same ones).

const REPO_ROOT = join(import.meta.dirname, '..');

/** config/versions.env as a map (KEY=value lines). */
export function pinnedVersions(): Record<string, string> {
  const text = readFileSync(join(REPO_ROOT, 'config/versions.env'), 'utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .map((line) => /^([A-Z0-9_]+)=(.*)$/.exec(line.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!, m[2]!]),
  );
}

/** Version tag of the images built from this repository (API, dashboard, collector). */
export const APP_VERSION = '0.2.0';

/** Images built from this repository: where their Dockerfile is. */
export const BUILT_IMAGES = {
  api: 'apps/api/Dockerfile',
  dashboard: 'apps/dashboard/Dockerfile',
  otelcol: 'config/collector/Dockerfile',
} as const satisfies Partial<Record<Program, string>>;
export type BuiltProgram = keyof typeof BUILT_IMAGES;

/**
 * The image of a program. Ours are `<registry>/outpost-<name>:<APP_VERSION>` (built by `pulumi
 * up -s local`, or pushed before a Kubernetes `pulumi up`: docs/deploy.md); third-party ones
 * are the upstream images at the pinned versions.
 */
export function imageOf(program: Program, registry?: string): string {
  const v = pinnedVersions();
  const ours = (name: string) => `${registry ? `${registry}/` : ''}outpost-${name}:${APP_VERSION}`;
  switch (program) {
    case 'api':
      return ours('api');
    case 'dashboard':
      return ours('dashboard');
    case 'otelcol':
      return ours('collector');
    case 'prometheus':
      return `prom/prometheus:v${v.PROMETHEUS_RELEASE}`;
    case 'alertmanager':
      return `prom/alertmanager:${v.ALERTMANAGER_VERSION}`;
    case 'thanos':
      return `quay.io/thanos/thanos:${v.THANOS_VERSION}`;
    case 'alert-receiver':
      // A Node image running one self-contained script the plan mounts (alertReceiverScript).
      return 'node:24.11-alpine';
    case 'fleet-simulator':
      throw new Error('the fleet simulator is a process-mode test double; it has no image');
  }
}

/** The alert receiver's script (plain JavaScript, self-contained): the plan mounts it. */
export function alertReceiverScript(): string {
  return readFileSync(join(REPO_ROOT, 'infra/process/alert-receiver.mjs'), 'utf8');
}
