import * as pulumi from '@pulumi/pulumi';
import { parseStackConfig, PROJECT, type StackConfig } from './config.ts';

/** The stack config keys (without the `outpost:` prefix) that hold objects or lists. */
const OBJECT_KEYS = ['dataPlanes', 'controlPlane', 'scrapeStacks'] as const;
const STRING_KEYS = ['platform', 'customer', 'registry'] as const;

/** Secrets, set with `pulumi config set --secret outpost:<key> ...`; never in stack files. */
export interface StackSecrets {
  /** Bearer token of the APIs' /admin/faults routes. */
  adminToken: pulumi.Output<string>;
  /** Object store credentials for Thanos (only when Thanos uses s3). */
  objstoreAccessKey?: pulumi.Output<string>;
  objstoreSecretKey?: pulumi.Output<string>;
  /** Dashboard login (only when controlPlane.dashboard.auth is on). */
  dashboardPassword?: pulumi.Output<string>;
  dashboardSessionSecret?: pulumi.Output<string>;
  /** Token the push-mode collectors present to the remote-write receiver. */
  remoteWriteToken?: pulumi.Output<string>;
  /** Kubernetes pull scrapes: the token Prometheus presents to the collectors. */
  scrapeToken?: pulumi.Output<string>;
  /** Kubernetes pull planes: the collectors' serving certificate and key (PEM). */
  scrapeTlsCert?: pulumi.Output<string>;
  scrapeTlsKey?: pulumi.Output<string>;
  /** Kubernetes control plane: the CA that signed the collectors' certificates (PEM). */
  scrapeTlsCa?: pulumi.Output<string>;
}

/**
 * Reads the stack's config through pulumi.Config into the same raw object process mode parses
 * from the file, so both are validated by parseStackConfig.
 */
export function readPulumiStackConfig(): { config: StackConfig; secrets: StackSecrets } {
  const cfg = new pulumi.Config(PROJECT);
  const raw: Record<string, unknown> = {};
  for (const key of OBJECT_KEYS) {
    const value = cfg.getObject<unknown>(key);
    if (value !== undefined) raw[key] = value;
  }
  for (const key of STRING_KEYS) {
    const value = cfg.get(key);
    if (value !== undefined) raw[key] = value;
  }
  const config = parseStackConfig(raw, `stack ${pulumi.getStack()}`);
  const cp = config.controlPlane;
  const needsObjstore = cp?.thanos.enabled && cp.thanos.objstore === 's3';
  const kubernetes = config.platform === 'kubernetes';
  const pulled = config.dataPlanes.some((dp) => dp.mode === 'pull');
  const secrets: StackSecrets = {
    adminToken: cfg.requireSecret('adminToken'),
    ...(needsObjstore
      ? {
          objstoreAccessKey: cfg.requireSecret('objstoreAccessKey'),
          objstoreSecretKey: cfg.requireSecret('objstoreSecretKey'),
        }
      : {}),
    ...(cp?.dashboard.auth
      ? {
          dashboardPassword: cfg.requireSecret('dashboardPassword'),
          dashboardSessionSecret: cfg.requireSecret('dashboardSessionSecret'),
        }
      : {}),
    ...(config.dataPlanes.some((dp) => dp.mode === 'push')
      ? { remoteWriteToken: cfg.requireSecret('remoteWriteToken') }
      : {}),
    ...(kubernetes && (pulled || cp) ? { scrapeToken: cfg.requireSecret('scrapeToken') } : {}),
    ...(kubernetes && pulled
      ? {
          scrapeTlsCert: cfg.requireSecret('scrapeTlsCert'),
          scrapeTlsKey: cfg.requireSecret('scrapeTlsKey'),
        }
      : {}),
    ...(kubernetes && cp ? { scrapeTlsCa: cfg.requireSecret('scrapeTlsCa') } : {}),
  };
  return { config, secrets };
}
