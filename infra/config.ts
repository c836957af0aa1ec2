import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

// The one place that reads and validates stack config. Process mode parses Pulumi.<stack>.yaml
// directly; the Pulumi program hands pulumi.Config's values to the same parseStackConfig.

/** The project name in Pulumi.yaml: stack config keys are `outpost:<key>`. */
export const PROJECT = 'outpost';

/** http.server.request.duration bucket boundaries (seconds): latency SLOs must use one. */
export const LATENCY_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

export class StackConfigError extends Error {
  override name = 'StackConfigError';
}

const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d|w)$/, 'must be a duration such as 500ms, 10s, 5m, 1h or 28d');
const port = z.number().int().min(1).max(65535);
const name = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,40}$/,
    'must be lower-case letters, digits and dashes (e.g. acme-prod)',
  );

const dataPlanePorts = z
  .strictObject({
    /** The API's HTTP port. */
    api: port,
    /** The API's own Prometheus exporter (used when there is no collector). */
    apiMetrics: port,
    /** Collector OTLP/HTTP receiver. Default: 4318 + 10 x index + 10000. */
    otlp: port.optional(),
    /** Collector Prometheus exporter. Default: 8889 + 10 x index + 10000. */
    collectorMetrics: port.optional(),
    /** Collector's own telemetry. Default: 8888 + 10 x index + 10000. */
    collectorTelemetry: port.optional(),
    /** Collector health check. Default: 13133 + 10 x index + 10000. */
    collectorHealth: port.optional(),
  })
  .describe('ports');

const dataPlaneSchema = z.strictObject({
  /** Name in this stack, used for resource names, e.g. `acme-prod`. */
  name,
  /** Unique id: the `data_plane` label, e.g. `acme-prod-01`. */
  id: name,
  /** The vendor's customer; default: the stack's `customer`. */
  customer: name.optional(),
  /** The customer's stage: the `environment` label. */
  environment: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,30}$/, 'must be a lower-case name such as prod, dev or qa'),
  /** `pull`: Prometheus scrapes the collector. `push`: the collector remote-writes. */
  mode: z.enum(['pull', 'push']).default('pull'),
  ports: dataPlanePorts,
  /** API replicas on Kubernetes. */
  replicas: z.number().int().min(1).max(50).default(2),
  /** Simulated base error rate of the API (0..1). */
  errorRate: z.number().min(0).max(1).default(0),
  /** Simulated base latency of the API, ms. */
  latencyMs: z.number().int().min(0).max(60_000).default(0),
});

const sloSchema = z.strictObject({
  availability: z
    .strictObject({ objective: z.number().gt(0).lt(1), window: duration })
    .default({ objective: 0.995, window: '28d' }),
  latency: z
    .strictObject({
      objective: z.number().gt(0).lt(1),
      /** Requests faster than this count as good; must be a histogram bucket boundary. */
      thresholdSeconds: z.number().positive(),
      window: duration,
    })
    .default({ objective: 0.99, thresholdSeconds: 0.5, window: '28d' }),
});

const alertingSchema = z.strictObject({
  /** HighErrorRatio fires above this share of 5xx. */
  errorRatioThreshold: z.number().gt(0).lt(1).default(0.05),
  /** HighLatencyP95 fires above this p95, seconds. */
  latencyP95ThresholdSeconds: z.number().positive().default(1),
  /** `for:` of DataPlaneDown. */
  dataPlaneDownFor: duration.default('1m'),
  /** `for:` of the error-ratio and latency alerts. */
  symptomFor: duration.default('5m'),
  /** Alertmanager group_wait / group_interval / repeat_interval. */
  groupWait: duration.default('30s'),
  groupInterval: duration.default('5m'),
  repeatInterval: duration.default('4h'),
  /** Extra webhook receivers (e.g. a chat bridge), besides process mode's local one. */
  webhooks: z.array(z.strictObject({ name, url: z.url() })).default([]),
});

const controlPlaneSchema = z.strictObject({
  scrapeInterval: duration.default('10s'),
  evaluationInterval: duration.default('10s'),
  /** Rate window of the recording rules; at least 4x the scrape interval. */
  rateWindow: duration.default('1m'),
  retention: duration.default('15d'),
  /** Prometheus replicas (Kubernetes); Thanos Query deduplicates them. */
  prometheusReplicas: z.number().int().min(1).max(3).default(1),
  ports: z
    .strictObject({
      prometheus: port.default(9090),
      alertmanager: port.default(9093),
      dashboard: port.default(3000),
      /** Process mode's local alert webhook receiver. */
      webhook: port.default(9095),
      thanosQuery: port.default(10902),
    })
    .default({
      prometheus: 9090,
      alertmanager: 9093,
      dashboard: 3000,
      webhook: 9095,
      thanosQuery: 10902,
    }),
  thanos: z
    .strictObject({
      enabled: z.boolean().default(false),
      /** `filesystem` (Docker) or `s3` (credentials from secret config). */
      objstore: z.enum(['filesystem', 's3']).default('filesystem'),
      bucket: z.string().min(1).default('outpost-metrics'),
      endpoint: z.string().min(1).optional(),
    })
    .default({ enabled: false, objstore: 'filesystem', bucket: 'outpost-metrics' }),
  dashboard: z.strictObject({ auth: z.boolean().default(false) }).default({ auth: false }),
  alerting: alertingSchema.default(alertingSchema.parse({})),
  slos: sloSchema.default(sloSchema.parse({})),
});

const stackSchema = z.strictObject({
  platform: z.enum(['process', 'docker', 'kubernetes']),
  customer: name,
  dataPlanes: z.array(dataPlaneSchema).min(1, 'needs at least one data plane'),
  /** Absent on a stack of data planes only (`dev`). */
  controlPlane: controlPlaneSchema.optional(),
  /** Image registry for the API and dashboard images (Kubernetes), e.g. ghcr.io/acme. */
  registry: z.string().min(1).optional(),
  /** Stacks whose exported data planes this control plane also scrapes (StackReference). */
  scrapeStacks: z.array(z.string().min(1)).default([]),
});

export type StackConfig = z.infer<typeof stackSchema>;
export type DataPlaneConfig = z.infer<typeof dataPlaneSchema>;
export type ControlPlaneConfig = z.infer<typeof controlPlaneSchema>;

/**
 * Validates a stack's config (keys without the `outpost:` prefix) into one typed object.
 * Every problem is reported at once, each naming the key and the fix.
 */
export function parseStackConfig(raw: Record<string, unknown>, source: string): StackConfig {
  const secure = Object.entries(raw).filter(([, v]) => isSecure(v));
  if (secure.length > 0) {
    throw new StackConfigError(
      `${source}: ${secure.map(([k]) => `${PROJECT}:${k}`).join(', ')} hold(s) a secure: value. ` +
        'Stack files carry no secrets here: set them with `pulumi config set --secret` (Pulumi) or environment variables (process mode).',
    );
  }
  const result = stackSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `  - ${PROJECT}:${formatPath(issue.path)}: ${explain(issue)}`,
    );
    throw new StackConfigError(`${source}: invalid stack config:\n${lines.join('\n')}`);
  }
  const problems = crossChecks(result.data);
  if (problems.length > 0) {
    throw new StackConfigError(
      `${source}: invalid stack config:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  return result.data;
}

/** Reads `Pulumi.<stack>.yaml` under rootDir and validates its `outpost:` keys. */
export function readStackConfigFile(stack: string, rootDir = process.cwd()): StackConfig {
  const file = join(rootDir, `Pulumi.${stack}.yaml`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new StackConfigError(
      `${file}: no such stack file. Stacks are Pulumi.<stack>.yaml at the repository root (local, dev, prod).`,
    );
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new StackConfigError(`${file}: not valid YAML: ${(err as Error).message}`);
  }
  const config = (doc as { config?: Record<string, unknown> } | null)?.config;
  if (!config || typeof config !== 'object') {
    throw new StackConfigError(`${file}: has no \`config:\` map; see docs/configuration.md`);
  }
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (!key.startsWith(`${PROJECT}:`)) {
      throw new StackConfigError(
        `${file}: key ${key} is not under ${PROJECT}: (write it as ${PROJECT}:${key.split(':').pop()})`,
      );
    }
    raw[key.slice(PROJECT.length + 1)] = value;
  }
  return parseStackConfig(raw, file);
}

/** Checks that span several keys: uniqueness, port clashes, rule sanity. */
function crossChecks(config: StackConfig): string[] {
  const problems: string[] = [];
  const seen = (what: 'name' | 'id') => {
    const counts = new Map<string, number>();
    config.dataPlanes.forEach((dp) => counts.set(dp[what], (counts.get(dp[what]) ?? 0) + 1));
    for (const [value, n] of counts) {
      if (n > 1)
        problems.push(
          `${PROJECT}:dataPlanes: ${n} data planes share the ${what} ${value}; give each a unique ${what}`,
        );
    }
  };
  seen('name');
  seen('id');

  const owners = new Map<number, string>();
  const claim = (p: number | undefined, key: string) => {
    if (p === undefined) return;
    const other = owners.get(p);
    if (other)
      problems.push(
        `${PROJECT}:${key}: port ${p} is already used by ${PROJECT}:${other}; pick a free port`,
      );
    else owners.set(p, key);
  };
  config.dataPlanes.forEach((dp, i) => {
    for (const [key, value] of Object.entries(dp.ports))
      claim(value, `dataPlanes[${i}].ports.${key}`);
  });
  if (config.controlPlane) {
    for (const [key, value] of Object.entries(config.controlPlane.ports))
      claim(value, `controlPlane.ports.${key}`);
    const cp = config.controlPlane;
    const threshold = cp.slos.latency.thresholdSeconds;
    if (!LATENCY_BUCKETS.includes(threshold)) {
      problems.push(
        `${PROJECT}:controlPlane.slos.latency.thresholdSeconds: ${threshold} is not a bucket boundary of ` +
          `http.server.request.duration; use one of ${LATENCY_BUCKETS.join(', ')}`,
      );
    }
    if (toSeconds(cp.rateWindow) < 4 * toSeconds(cp.scrapeInterval)) {
      problems.push(
        `${PROJECT}:controlPlane.rateWindow: ${cp.rateWindow} is shorter than 4x the scrape interval (${cp.scrapeInterval}); ` +
          'rate() needs at least four samples: lengthen the window or shorten the interval',
      );
    }
    if (cp.thanos.enabled && cp.thanos.objstore === 's3' && !cp.thanos.endpoint) {
      problems.push(
        `${PROJECT}:controlPlane.thanos.endpoint: required when objstore is s3 (e.g. s3.eu-west-1.amazonaws.com)`,
      );
    }
  }
  if (
    config.dataPlanes.some((dp) => dp.mode === 'push') &&
    !config.controlPlane &&
    config.platform !== 'kubernetes'
  ) {
    problems.push(
      `${PROJECT}:dataPlanes: push-mode planes need a control plane in this stack to write to`,
    );
  }
  return problems;
}

/** Seconds in a Prometheus duration (`90s`, `5m`, `28d`). */
export function toSeconds(value: string): number {
  const match = /^(\d+)(ms|s|m|h|d|w)$/.exec(value);
  if (!match) throw new StackConfigError(`bad duration ${value}`);
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  return Number(match[1]) * units[match[2]!]!;
}

function isSecure(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'secure' in value;
}

function explain(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown key(s) ${issue.keys.join(', ')}: remove them or check the spelling (docs/configuration.md lists every key)`;
  }
  return issue.message;
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return (
    path
      .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`))
      .join('') || '(root)'
  );
}
