// The overview's fleet table as plain data: one row per data plane, and the pure functions that
// filter, sort, count and group the rows. The server applies them to the URL's choices
// (params.ts validates those); the page only draws the result and builds the next URL.

/** A plane's health: DOWN when its target fails or it reports nothing, UNKNOWN without data. */
export type Status = 'UP' | 'DOWN' | 'UNKNOWN';

/** The status filter's values (URL `status`): a health, or `firing` (has firing alerts). */
export const STATUS_FILTERS = ['down', 'unknown', 'up', 'firing'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export interface PlaneRow {
  id: string;
  customer: string;
  environment: string;
  /** Pushes to the gateway (no scrape target): UP while its samples arrive. */
  push: boolean;
  /** A simulated plane (`npm start -- --fleet N`). */
  simulated: boolean;
  status: Status;
  /** Seconds since the last scrape (pull) or the last pushed sample (push). */
  age: number | null;
  /** Firing alerts on this plane, and their names. */
  alerts: number;
  alertNames: string[];
  rate: number | null;
  errors: number | null;
  p95: number | null;
  cpu: number | null;
  memory: number | null;
}

/** Columns the table sorts by (URL `sort`); `worst` is the default order, not a column. */
export const SORT_KEYS = [
  'worst',
  'status',
  'plane',
  'customer',
  'environment',
  'alerts',
  'rate',
  'errors',
  'p95',
  'cpu',
  'memory',
  'age',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type Direction = 'asc' | 'desc';

/** The direction a column sorts in first: names A to Z, everything else largest/worst first. */
export function defaultDirection(key: SortKey): Direction {
  return key === 'plane' || key === 'customer' || key === 'environment' ? 'asc' : 'desc';
}

/** How the table groups its rows (URL `group`). */
export const GROUPINGS = ['customer', 'none'] as const;
export type Grouping = (typeof GROUPINGS)[number];

/** The overview's choices, as the URL carries them (params.ts validates them). */
export interface OverviewState {
  /** Search: a case-insensitive substring of the plane id or customer; '' for none. */
  q: string;
  customer: string | null;
  /** `all`, or one environment. */
  env: string;
  status: StatusFilter | null;
  sort: SortKey;
  dir: Direction;
  group: Grouping;
}

export const DEFAULT_OVERVIEW: OverviewState = {
  q: '',
  customer: null,
  env: 'all',
  status: null,
  sort: 'worst',
  dir: 'desc',
  group: 'customer',
};

/** The overview's address for a state, defaults left out (`/` for the default view). */
export function overviewHref(state: OverviewState, changes: Partial<OverviewState> = {}): string {
  const s = { ...state, ...changes };
  const params = new URLSearchParams();
  if (s.q) params.set('q', s.q);
  if (s.customer) params.set('customer', s.customer);
  if (s.env !== 'all') params.set('env', s.env);
  if (s.status) params.set('status', s.status);
  if (s.sort !== 'worst') params.set('sort', s.sort);
  if (s.dir !== defaultDirection(s.sort)) params.set('dir', s.dir);
  if (s.group !== 'customer') params.set('group', s.group);
  const search = params.toString();
  return search ? `/?${search}` : '/';
}

/** The state after a click on a column header: that column, or the other direction of it. */
export function sortedBy(state: OverviewState, key: SortKey): Partial<OverviewState> {
  if (state.sort !== key) return { sort: key, dir: defaultDirection(key) };
  return { dir: state.dir === 'asc' ? 'desc' : 'asc' };
}

export interface Filter {
  customer: string | null;
  /** Environments shown; null for all. */
  envs: string[] | null;
  status: StatusFilter | null;
  /** Case-insensitive substring of the plane id or customer; '' for all. */
  q: string;
}

export interface Sort {
  key: SortKey;
  dir: Direction;
}

const SEVERITY: Record<Status, number> = { DOWN: 2, UNKNOWN: 1, UP: 0 };

/** Larger first, null last, whichever the direction. */
function byNumber(a: number | null, b: number | null, dir: Direction): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return dir === 'desc' ? b - a : a - b;
}

/** Worst first: down, then firing alerts, then unknown, then error ratio, then p95. */
function worstFirst(a: PlaneRow, b: PlaneRow): number {
  return (
    Number(b.status === 'DOWN') - Number(a.status === 'DOWN') ||
    b.alerts - a.alerts ||
    Number(b.status === 'UNKNOWN') - Number(a.status === 'UNKNOWN') ||
    byNumber(a.errors, b.errors, 'desc') ||
    byNumber(a.p95, b.p95, 'desc')
  );
}

/** A comparator for the sort; ties fall back to worst first, then the plane id. */
export function comparator(sort: Sort): (a: PlaneRow, b: PlaneRow) => number {
  const sign = sort.dir === 'asc' ? 1 : -1;
  const primary = (a: PlaneRow, b: PlaneRow): number => {
    switch (sort.key) {
      case 'worst':
        return sort.dir === 'desc' ? worstFirst(a, b) : worstFirst(b, a);
      case 'status':
        return sign * (SEVERITY[a.status] - SEVERITY[b.status]);
      case 'plane':
        return sign * a.id.localeCompare(b.id);
      case 'customer':
        return sign * a.customer.localeCompare(b.customer);
      case 'environment':
        return sign * a.environment.localeCompare(b.environment);
      case 'alerts':
        return sign * (a.alerts - b.alerts);
      default:
        return byNumber(a[sort.key], b[sort.key], sort.dir);
    }
  };
  return (a, b) => primary(a, b) || worstFirst(a, b) || a.id.localeCompare(b.id);
}

/** Whether a row passes the filter; `status` is left out when `withStatus` is false. */
export function matches(row: PlaneRow, filter: Filter, withStatus = true): boolean {
  if (filter.customer !== null && row.customer !== filter.customer) return false;
  if (filter.envs !== null && !filter.envs.includes(row.environment)) return false;
  if (filter.q) {
    const q = filter.q.toLowerCase();
    if (!row.id.toLowerCase().includes(q) && !row.customer.toLowerCase().includes(q)) return false;
  }
  if (!withStatus || filter.status === null) return true;
  if (filter.status === 'firing') return row.alerts > 0;
  return row.status === filter.status.toUpperCase();
}

export interface Counts {
  total: number;
  up: number;
  down: number;
  unknown: number;
  /** Planes with at least one firing alert (whatever their status). */
  firing: number;
}

export function countRows(rows: readonly PlaneRow[]): Counts {
  const counts: Counts = { total: rows.length, up: 0, down: 0, unknown: 0, firing: 0 };
  for (const row of rows) {
    counts[row.status.toLowerCase() as 'up' | 'down' | 'unknown'] += 1;
    if (row.alerts > 0) counts.firing += 1;
  }
  return counts;
}

export interface Group {
  /** The customer, or null when the table is not grouped. */
  customer: string | null;
  rows: PlaneRow[];
  counts: Counts;
}

/**
 * Groups sorted rows by customer, keeping the order: a group comes where its first (best
 * ranked) row comes, so worst first puts the customer with a down plane on top.
 */
export function groupRows(sorted: readonly PlaneRow[], grouping: Grouping): Group[] {
  if (grouping === 'none')
    return [{ customer: null, rows: [...sorted], counts: countRows(sorted) }];
  const groups = new Map<string, PlaneRow[]>();
  for (const row of sorted) {
    const rows = groups.get(row.customer);
    if (rows) rows.push(row);
    else groups.set(row.customer, [row]);
  }
  return [...groups].map(([customer, rows]) => ({ customer, rows, counts: countRows(rows) }));
}

export interface FleetTable {
  groups: Group[];
  /** Counts per status of the planes that pass every filter but the status one. */
  counts: Counts;
  /** Planes shown, and in the whole fleet. */
  shown: number;
  total: number;
}

/** The filter an overview state asks for. */
export function filterOf(state: OverviewState): Filter {
  return {
    customer: state.customer,
    envs: state.env === 'all' ? null : [state.env],
    status: state.status,
    q: state.q,
  };
}

/** Filters, sorts and groups the fleet's rows for the table, as the overview state says. */
export function fleetTable(rows: readonly PlaneRow[], state: OverviewState): FleetTable {
  const filter = filterOf(state);
  const sort: Sort = { key: state.sort, dir: state.dir };
  const grouping = state.group;
  const candidates = rows.filter((r) => matches(r, filter, false));
  const shown = candidates.filter((r) => matches(r, filter)).sort(comparator(sort));
  return {
    groups: groupRows(shown, grouping),
    counts: countRows(candidates),
    shown: shown.length,
    total: rows.length,
  };
}
