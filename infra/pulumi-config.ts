import * as pulumi from '@pulumi/pulumi';
import { parseStackConfig, PROJECT, STACK_KEYS, type StackConfig } from './config.ts';

/**
 * Reads the stack's config through Pulumi into the same raw object process mode parses from the
 * file, so both are validated by parseStackConfig; and the secrets the stack supplies
 * (`outpost:secrets`, set with `pulumi config set --secret --path 'outpost:secrets.<id>' ...`),
 * each as a secret Output.
 */
export function readPulumiStackConfig(): {
  config: StackConfig;
  supplied: Record<string, pulumi.Output<string>>;
} {
  const all = pulumi.runtime.allConfig();
  const raw: Record<string, unknown> = {};
  for (const key of STACK_KEYS) {
    const text = all[`${PROJECT}:${key}`];
    if (text === undefined) continue;
    raw[key] = parseValue(text);
  }
  const config = parseStackConfig(raw, `stack ${pulumi.getStack()}`);
  const secretsText = all[`${PROJECT}:secrets`];
  const secrets = secretsText ? (parseValue(secretsText) as Record<string, unknown>) : {};
  if (typeof secrets !== 'object' || secrets === null || Array.isArray(secrets))
    throw new Error(`${PROJECT}:secrets must be a map of credential id to value (docs/deploy.md)`);
  const supplied = Object.fromEntries(
    Object.entries(secrets).map(([id, value]) => [id, pulumi.secret(String(value))]),
  );
  return { config, supplied };
}

/** Config values arrive as text: objects and lists as JSON, strings as themselves. */
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
