import type { Platform } from '../topology.ts';
import { CONFIG_DIR, SECRETS_DIR } from './paths.ts';
import type { EnvValue, FileMount, Probe, Resources, SecretRef } from './types.ts';

// Small shared pieces of the plan builders: paths, probes, resource presets, secret refs.

/** What programs bind to: only loopback in process mode; every interface in a container. */
export function bindHost(platform: Platform): string {
  return platform === 'process' ? '127.0.0.1' : '0.0.0.0';
}

export function httpProbe(
  path: string,
  port: number,
  periodSeconds = 10,
  scheme: Probe['scheme'] = 'HTTP',
): Probe {
  return { path, port, periodSeconds, scheme };
}

/** Requests and limits by size; a container's limit is what it may use, its request what it needs. */
export const RESOURCES = {
  tiny: { cpu: '25m', memory: '32Mi', cpuLimit: '250m', memoryLimit: '64Mi' },
  small: { cpu: '50m', memory: '64Mi', cpuLimit: '250m', memoryLimit: '128Mi' },
  node: { cpu: '100m', memory: '128Mi', cpuLimit: '1', memoryLimit: '256Mi' },
  collector: { cpu: '100m', memory: '128Mi', cpuLimit: '500m', memoryLimit: '256Mi' },
  thanos: { cpu: '100m', memory: '256Mi', cpuLimit: '1', memoryLimit: '1Gi' },
  prometheus: { cpu: '250m', memory: '1Gi', cpuLimit: '2', memoryLimit: '2Gi' },
} satisfies Record<string, Resources>;

export function secretRef(credential: string, key: SecretRef['key'] = 'value'): SecretRef {
  return { credential, key };
}

export function secretEnv(credential: string, key: SecretRef['key'] = 'value'): EnvValue {
  return { secret: secretRef(credential, key) };
}

export function secretFile(name: string, credential: string, key: SecretRef['key']): FileMount {
  return { path: `${SECRETS_DIR}/${name}`, secret: secretRef(credential, key) };
}

export function configFile(name: string, content: string): FileMount {
  return { path: `${CONFIG_DIR}/${name}`, content };
}

/** Credential ids, one naming scheme for every platform and for other stacks reading them. */
export const CREDENTIALS = {
  ca: (stack: string) => `${stack}-ca`,
  adminToken: (plane: string) => `${plane}-admin-token`,
  scrapeToken: (plane: string) => `${plane}-scrape-token`,
  collectorTls: (plane: string) => `${plane}-collector-tls`,
  pushToken: (plane: string) => `${plane}-push-token`,
  gatewayTls: (stack: string) => `${stack}-gateway-tls`,
  dashboardPassword: (stack: string) => `${stack}-dashboard-password`,
  dashboardSession: (stack: string) => `${stack}-dashboard-session`,
  objstoreAccessKey: (stack: string) => `${stack}-objstore-access-key`,
  objstoreSecretKey: (stack: string) => `${stack}-objstore-secret-key`,
};

/** `publish` for a port people use (Docker publishes it on the host). */
export function publish(hostPort: number | null, platform: Platform): { publish?: number } {
  return hostPort !== null && platform === 'docker' ? { publish: hostPort } : {};
}

/**
 * Node programs (the API, the dashboard, the alert receiver, the fleet simulator): V8's young
 * generation capped at 4 MB per semi-space, about 18 MB less RSS per process for the small,
 * short-lived allocations these servers make (measured on the API after 300 requests:
 * 148 MB -> 130 MB; docs/benchmarks.md).
 */
export const NODE_RUNTIME_ENV = { NODE_OPTIONS: '--max-semi-space-size=4' } as const;
