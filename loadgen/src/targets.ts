import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readStackOutputs, runOutputsPath, type StackOutputs } from '@outpost/outputs';
import { request } from 'undici';

// Where the load goes: explicit URLs, or the data planes of a stack's outputs (the file
// process mode writes, or a saved `pulumi stack output --json`), filtered by environment
// and customer. The outputs schema and its validation live in @outpost/outputs.

export interface Target {
  /** Display name: the data plane id, or the URL for explicit targets. */
  name: string;
  url: string;
  environment?: string;
  customer?: string;
  /** Bearer token for the API's /admin/faults routes (scenarios that inject faults). */
  adminToken?: string | null;
}

export type TargetSource =
  | { kind: 'stack'; stack: string }
  | { kind: 'outputs'; file: string }
  | { kind: 'urls'; urls: string[] };

export interface TargetFilters {
  envs?: string[];
  customer?: string;
}

/** A problem with where the targets come from; the CLI exits 2 with the message. */
export class TargetError extends Error {
  override name = 'TargetError';
}

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The run directory process mode writes to: LOADGEN_RUN_DIR, else `<repo>/.run`. */
export function runDir(): string {
  return process.env.LOADGEN_RUN_DIR ?? join(repoRoot, '.run');
}

export async function resolveTargets(
  source: TargetSource,
  filters: TargetFilters,
): Promise<Target[]> {
  if (source.kind === 'urls') {
    if (filters.envs || filters.customer) {
      throw new TargetError(
        '--env and --customer filter the data planes of --stack or --outputs; they cannot be used with --target',
      );
    }
    return source.urls.map((url) => ({ name: url, url }));
  }
  const file = source.kind === 'stack' ? runOutputsPath(source.stack, runDir()) : source.file;
  let outputs: StackOutputs;
  try {
    outputs = await readStackOutputs(file);
  } catch (err) {
    throw new TargetError((err as Error).message);
  }
  return targetsFromOutputs(outputs, filters, file);
}

export function targetsFromOutputs(
  outputs: StackOutputs,
  filters: TargetFilters,
  source: string,
): Target[] {
  const planes = outputs.dataPlanes.filter(
    (p) =>
      (!filters.envs || filters.envs.includes(p.environment)) &&
      (!filters.customer || p.customer === filters.customer),
  );
  if (planes.length === 0) {
    const envs = [...new Set(outputs.dataPlanes.map((p) => p.environment))].join(', ') || '(none)';
    const customers =
      [...new Set(outputs.dataPlanes.map((p) => p.customer))].join(', ') || '(none)';
    const asked = [
      filters.envs ? `--env ${filters.envs.join(',')}` : '',
      filters.customer ? `--customer ${filters.customer}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    throw new TargetError(
      `${source}: no data plane matches${asked ? ` ${asked}` : ''} (stack '${outputs.stack}' has environments: ${envs}; customers: ${customers})`,
    );
  }
  return planes.map((p) => ({
    name: p.id,
    url: p.apiUrl,
    environment: p.environment,
    customer: p.customer,
    adminToken: p.adminToken ?? null,
  }));
}

export interface ProbeResult {
  target: Target;
  ok: boolean;
  /** Why it did not answer (refused, timed out, ...). */
  reason?: string;
}

/**
 * Asks each target's GET /health once. Any HTTP answer counts as alive (a plain server
 * without /health still answers 404); only no answer at all counts against it.
 */
export async function probeTargets(targets: Target[], timeoutMs = 2000): Promise<ProbeResult[]> {
  return Promise.all(
    targets.map(async (target) => {
      try {
        const res = await request(new URL('health', target.url.replace(/\/?$/, '/')), {
          signal: AbortSignal.timeout(timeoutMs),
        });
        await res.body.dump();
        return { target, ok: true };
      } catch (err) {
        const e = err as Error & { code?: string };
        const reason =
          e.name === 'TimeoutError' || e.name === 'AbortError'
            ? `no answer within ${timeoutMs} ms`
            : (e.code ?? e.message);
        return { target, ok: false, reason };
      }
    }),
  );
}
