import type { StackOutputs } from '@outpost/outputs';
import {
  defaultDirection,
  GROUPINGS,
  SORT_KEYS,
  STATUS_FILTERS,
  type Grouping,
  type OverviewState,
  type SortKey,
  type StatusFilter,
} from '../fleet.ts';
import { customers, environments, seconds } from './config.ts';

/** The relative ranges the metrics page offers (URL `range`). */
export const RANGES = ['5m', '15m', '1h', '6h', '24h'] as const;
export type RangeName = (typeof RANGES)[number];

/** What the metrics page's series are (URL `by`): one per environment, customer or plane. */
export const DIMENSIONS = ['environment', 'customer', 'data_plane'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** A chart with more series than this draws the top `top` and one "others" series instead. */
export const MANY_SERIES = 8;
/** The `top` the metrics page accepts: 1 to MAX_TOP, default DEFAULT_TOP. */
export const MAX_TOP = 20;
export const DEFAULT_TOP = 5;

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

/** The metrics page's view: a View, and what its charts' series are. */
export interface MetricsView extends View {
  /** The label each chart's series are named by. */
  by: Dimension;
  /** With more than MANY_SERIES series, how many a chart draws beside "others". */
  top: number;
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
): MetricsView {
  const known = new Set(['env', 'customer', 'by', 'top', 'range', 'from', 'to', 'refresh']);
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

  const by = query.get('by') ?? 'environment';
  if (!(DIMENSIONS as readonly string[]).includes(by))
    throw new ParamError(`by=${by}: accepted are ${DIMENSIONS.join(', ')}`);
  const topParam = query.get('top');
  const top = topParam === null ? DEFAULT_TOP : Number(topParam);
  if (topParam !== null && !(/^\d{1,2}$/.test(topParam) && top >= 1 && top <= MAX_TOP))
    throw new ParamError(`top=${topParam}: accepted are whole numbers from 1 to ${MAX_TOP}`);

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
  return { envs, env, customer, by: by as Dimension, top, range, start, end, step, refresh };
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

/** The longest search the overview takes (`q`); plane ids and customers are short. */
export const MAX_SEARCH = 100;

/**
 * Validates the overview's URL parameters against the stack (customers, environments) and
 * fixed lists. The overview is the landing page, so an old or mistyped link still lands: a value
 * outside the lists is left out and a note says what was ignored and what is accepted. Nothing
 * here reaches PromQL: the server filters and sorts rows it already has.
 */
export function parseOverview(
  query: URLSearchParams,
  outputs: StackOutputs,
): { overview: OverviewState; notes: string[] } {
  const notes: string[] = [];
  const known = ['q', 'customer', 'env', 'status', 'sort', 'dir', 'group'];
  for (const key of new Set(query.keys())) {
    if (!known.includes(key))
      notes.push(`unknown parameter ${key} ignored: accepted are ${known.join(', ')}`);
  }
  /** The parameter's value when it is one of `accepted`, else null (with a note). */
  const oneOf = <T extends string>(key: string, accepted: readonly T[]): T | null => {
    const value = query.get(key);
    if (value === null || value === '') return null;
    if ((accepted as readonly string[]).includes(value)) return value as T;
    notes.push(`${key}=${value} ignored: accepted are ${listed(accepted)}`);
    return null;
  };

  const customer = oneOf('customer', customers(outputs));
  const stackEnvs = environments(outputs);
  const env = oneOf('env', ['all', ...stackEnvs]) ?? 'all';
  const status = oneOf<StatusFilter>('status', STATUS_FILTERS);
  let q = (query.get('q') ?? '').trim();
  if (q.length > MAX_SEARCH) {
    notes.push(`q is longer than ${MAX_SEARCH} characters: searched for its first ${MAX_SEARCH}`);
    q = q.slice(0, MAX_SEARCH);
  }
  const sort = oneOf<SortKey>('sort', SORT_KEYS) ?? 'worst';
  const dir = oneOf('dir', ['asc', 'desc'] as const) ?? defaultDirection(sort);
  const group = oneOf<Grouping>('group', GROUPINGS) ?? 'customer';
  return { overview: { q, customer, env, status, sort, dir, group }, notes };
}

/** A list for a message, shortened past a dozen values (a fleet has hundreds of customers). */
function listed(values: readonly string[]): string {
  return values.length <= 12
    ? values.join(', ')
    : `${values.slice(0, 10).join(', ')}, ... (${values.length} in all)`;
}
