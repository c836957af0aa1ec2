import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseStackOutputs, type StackOutputs } from '@outpost/outputs';

/**
 * A setting the dashboard refuses to run with. The message names the variable, the rule and
 * the fix, never the value (it may be a secret); the server's `init` hook prints it and exits.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * The stack outputs this dashboard shows: DASHBOARD_CONFIG (the JSON itself, as containers and
 * process mode pass it), else the file DASHBOARD_CONFIG_FILE names (e.g. a saved
 * `pulumi stack output --json`), else process mode's `.run/local/outputs.json`.
 * Read once; a bad config fails loudly at the first request with what to fix.
 */
let cached: StackOutputs | undefined;

export function stackOutputs(env: NodeJS.ProcessEnv = process.env): StackOutputs {
  if (cached) return cached;
  if (env.DASHBOARD_CONFIG) {
    cached = parseStackOutputs(env.DASHBOARD_CONFIG, 'DASHBOARD_CONFIG');
  } else {
    const file = resolve(env.DASHBOARD_CONFIG_FILE ?? '.run/local/outputs.json');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new Error(
        `${file}: cannot read the stack outputs. Start the platform with \`npm start\`, or set DASHBOARD_CONFIG_FILE to a saved \`pulumi stack output --json --show-secrets\`.`,
      );
    }
    cached = parseStackOutputs(text, file);
  }
  return cached;
}

/** Environments in the outputs, in their order, without duplicates. */
export function environments(outputs: StackOutputs): string[] {
  return [...new Set(outputs.dataPlanes.map((d) => d.environment))];
}

export function customers(outputs: StackOutputs): string[] {
  return [...new Set(outputs.dataPlanes.map((d) => d.customer))];
}

/** Seconds in a Prometheus duration such as `10s` or `28d`. */
export function seconds(duration: string): number {
  const match = /^(\d+)(ms|s|m|h|d|w|y)$/.exec(duration);
  if (!match) throw new Error(`bad duration ${duration}`);
  const unit: Record<string, number> = {
    ms: 0.001,
    s: 1,
    m: 60,
    h: 3600,
    d: 86400,
    w: 604800,
    y: 31536000,
  };
  return Number(match[1]) * unit[match[2]!]!;
}
