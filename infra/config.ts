import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { crossChecks } from './config/checks.ts';
import { stackSchema, type StackConfig } from './config/schema.ts';

export type {
  ControlPlaneConfig,
  DataPlaneConfig,
  ReceiverConfig,
  StackConfig,
} from './config/schema.ts';

// The one place that reads and validates stack config. Process mode parses Pulumi.<stack>.yaml
// directly; the Pulumi program hands pulumi.Config's values to the same parseStackConfig.

/** The project name in Pulumi.yaml: stack config keys are `outpost:<key>`. */
export const PROJECT = 'outpost';

/** The keys of the stack config schema (secrets live under `outpost:secrets`, read apart). */
export const STACK_KEYS = Object.keys(stackSchema.shape);

export class StackConfigError extends Error {
  override name = 'StackConfigError';
}

/**
 * Validates a stack's config (keys without the `outpost:` prefix) into one typed object.
 * Every problem is reported at once, each naming the key and the fix.
 */
export function parseStackConfig(raw: Record<string, unknown>, source: string): StackConfig {
  const secure = Object.entries(raw).filter(([, v]) => isSecure(v));
  if (secure.length > 0) {
    throw new StackConfigError(
      `${source}: ${secure.map(([k]) => `${PROJECT}:${k}`).join(', ')} hold(s) a secure: value. ` +
        "Secrets live under outpost:secrets: `pulumi config set --secret --path 'outpost:secrets.<id>' <value>` (docs/deploy.md).",
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
    // Secrets are Pulumi's (encrypted in the file); process mode makes its own.
    if (key === `${PROJECT}:secrets`) continue;
    raw[key.slice(PROJECT.length + 1)] = value;
  }
  return parseStackConfig(raw, file);
}

function isSecure(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'secure' in value;
}

function explain(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys' && issue.keys.includes('apiMetrics')) {
    return 'apiMetrics is no longer used: every plane sends OTLP to its own collector, which Prometheus scrapes; remove it';
  }
  if (issue.code === 'unrecognized_keys' && issue.keys.includes('webhooks')) {
    return 'alerting.webhooks became alerting.receivers: write each as { name, webhook: { url } } (docs/configuration.md)';
  }
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
