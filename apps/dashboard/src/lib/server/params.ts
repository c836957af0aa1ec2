import type { StackOutputs } from '@outpost/outputs';
import { customers, environments, seconds } from './config.ts';

/** The relative ranges the metrics page offers (URL `range`). */
export const RANGES = ['5m', '15m', '1h', '6h', '24h'] as const;
export type RangeName = (typeof RANGES)[number];

/** Raised for a URL parameter outside what is accepted; the message says what is. */
export class ParamError extends Error {
  override name = 'ParamError';
}

export interface View {
  /** Environments shown (all of the stack's when `env=all`). */
  envs: string[];
  /** `all`, or the chosen environments as written in the URL. */
  env: string;
  customer: string | null;
  /** A relative range, or null for an absolute from/to. */
  range: RangeName | null;
  start: number;
  end: number;
  /** Seconds between points: a few hundred points per series, never below the scrape interval. */
  step: number;
  refresh: boolean;
}

const MAX_SPAN_S = 31 * 86400;
const TARGET_POINTS = 300;

/**
 * Validates the metrics page's URL parameters against the stack (environments, customers) and
 * fixed enums. Everything outside them is a ParamError; nothing from the URL reaches PromQL
 * except values that matched one of these lists.
 */
export function parseView(
  query: URLSearchParams,
  outputs: StackOutputs,
  now = Date.now() / 1000,
): View {
  const known = new Set(['env', 'customer', 'range', 'from', 'to', 'refresh']);
  for (const key of query.keys()) {
    if (!known.has(key))
      throw new ParamError(`unknown parameter ${key}: accepted are ${[...known].join(', ')}`);
  }
  const stackEnvs = environments(outputs);
  const env = query.get('env') ?? 'all';
  let envs: string[];
  if (env === 'all') envs = stackEnvs;
  else {
    envs = env.split(',');
    const unknown = envs.filter((e) => !stackEnvs.includes(e));
    if (unknown.length > 0 || envs.length === 0) {
      throw new ParamError(
        `env=${env}: accepted are all, or one or more of ${stackEnvs.join(', ')} separated by commas`,
      );
    }
  }

  const customer = query.get('customer');
  if (customer !== null && !customers(outputs).includes(customer)) {
    throw new ParamError(`customer=${customer}: accepted are ${customers(outputs).join(', ')}`);
  }

  const from = query.get('from');
  const to = query.get('to');
  const rangeParam = query.get('range');
  if ((from !== null || to !== null) && rangeParam !== null) {
    throw new ParamError(
      'range cannot be combined with from/to: use range for a relative view, or from and to for an absolute one',
    );
  }
  let range: RangeName | null = null;
  let start: number;
  let end: number;
  if (from !== null || to !== null) {
    if (from === null || to === null)
      throw new ParamError('from and to go together: give both (ISO 8601 or Unix seconds)');
    start = parseTime('from', from);
    end = parseTime('to', to);
    if (end <= start) throw new ParamError('to must be after from');
    if (end - start > MAX_SPAN_S) throw new ParamError('from/to may span at most 31 days');
  } else {
    const r = rangeParam ?? '5m';
    if (!(RANGES as readonly string[]).includes(r))
      throw new ParamError(`range=${r}: accepted are ${RANGES.join(', ')}`);
    range = r as RangeName;
    end = Math.floor(now);
    start = end - seconds(range);
  }

  const refreshParam = query.get('refresh');
  if (refreshParam !== null && refreshParam !== 'on' && refreshParam !== 'off') {
    throw new ParamError(`refresh=${refreshParam}: accepted are on, off`);
  }
  const refresh = refreshParam ? refreshParam === 'on' : range !== null;

  const scrape = seconds(outputs.scrapeInterval);
  const step = Math.max(scrape, Math.ceil((end - start) / TARGET_POINTS / scrape) * scrape);
  return { envs, env, customer, range, start, end, step, refresh };
}

/** ISO 8601 or Unix seconds. */
function parseTime(name: string, value: string): number {
  if (/^\d{9,11}(\.\d+)?$/.test(value)) return Number(value);
  if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return ms / 1000;
  }
  throw new ParamError(
    `${name}=${value}: accepted are ISO 8601 (2026-11-25T10:00:00Z) or Unix seconds`,
  );
}
