import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  readStackOutputs,
  runOutputsPath,
  type DataPlaneOutput,
  type StackOutputs,
} from '@outpost/outputs';
import { request } from 'undici';
import { UsageError } from './errors.ts';

// Where the load goes: explicit URLs, or the data planes of a stack's outputs (the file
// process mode writes, or a saved `pulumi stack output --json`), filtered by environment,
// customer and plane. The outputs schema and its validation live in @outpost/outputs.
//
// A simulated plane (`simulated: true`, part of a simulated fleet) has no API of its own: it
// is skipped unless the user names it with --plane.

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
  /** Data planes by name or id; the only way to target a simulated plane. */
  planes?: string[];
}

/** A problem with where the targets come from: a usage error, the CLI exits 2 with the message. */
export class TargetError extends UsageError {
  override name = 'TargetError';
}

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The run directory process mode writes to: LOADGEN_RUN_DIR, else `<repo>/.run`. */
export function runDir(): string {
  return process.env.LOADGEN_RUN_DIR ?? join(repoRoot, '.run');
}

/** `note` hears which planes were left out, e.g. simulated ones. */
export async function resolveTargets(
  source: TargetSource,
  filters: TargetFilters,
  note: (line: string) => void = () => {},
): Promise<Target[]> {
  if (source.kind === 'urls') {
    if (filters.envs || filters.customer || filters.planes) {
      throw new TargetError(
        '--env, --customer and --plane filter the data planes of --stack or --outputs; they cannot be used with --target',
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
  return targetsFromOutputs(outputs, filters, file, note);
}

export function targetsFromOutputs(
  outputs: StackOutputs,
  filters: TargetFilters,
  source: string,
  note: (line: string) => void = () => {},
): Target[] {
  const named = (p: DataPlaneOutput): boolean =>
    Boolean(filters.planes?.some((n) => n === p.name || n === p.id));
  const matching = outputs.dataPlanes.filter(
    (p) =>
      (!filters.envs || filters.envs.includes(p.environment)) &&
      (!filters.customer || p.customer === filters.customer) &&
      (!filters.planes || named(p)),
  );
  if (matching.length === 0) throw noMatch(outputs, filters, source);
  const simulated = matching.filter((p) => p.simulated && !named(p));
  const planes = matching.filter((p) => !simulated.includes(p));
  const ids = simulated.map((p) => p.id).join(', ');
  if (planes.length === 0) {
    const where = asked(filters) ? `that matches${asked(filters)}` : `of stack '${outputs.stack}'`;
    throw new TargetError(
      `${source}: every data plane ${where} is simulated (${ids}): a simulated ` +
        `fleet has no API to load. Name one with --plane ${simulated[0]?.id} to target it anyway, ` +
        `or start the platform with real data planes`,
    );
  }
  if (simulated.length) note(`skipping simulated data planes ${ids} (--plane NAME targets one)`);
  return planes.map((p) => ({
    name: p.id,
    url: p.apiUrl,
    environment: p.environment,
    customer: p.customer,
    adminToken: p.adminToken ?? null,
  }));
}

function noMatch(outputs: StackOutputs, filters: TargetFilters, source: string): TargetError {
  const values = (of: (p: DataPlaneOutput) => string): string =>
    [...new Set(outputs.dataPlanes.map(of))].join(', ') || '(none)';
  return new TargetError(
    `${source}: no data plane matches${asked(filters)} (stack '${outputs.stack}' has environments: ` +
      `${values((p) => p.environment)}; customers: ${values((p) => p.customer)}` +
      `${filters.planes ? `; planes: ${values((p) => p.id)}` : ''})`,
  );
}

/** The filters as the user typed them, after a space; empty without filters. */
function asked(filters: TargetFilters): string {
  const flags = [
    filters.envs ? `--env ${filters.envs.join(',')}` : '',
    filters.customer ? `--customer ${filters.customer}` : '',
    filters.planes ? `--plane ${filters.planes.join(',')}` : '',
  ].filter(Boolean);
  return flags.length ? ` ${flags.join(' ')}` : '';
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
