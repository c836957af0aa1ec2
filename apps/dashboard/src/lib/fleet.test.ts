import { describe, expect, it } from 'vitest';
import {
  comparator,
  DEFAULT_OVERVIEW,
  fleetTable,
  overviewHref,
  sortedBy,
  type PlaneRow,
} from './fleet.ts';

const row = (id: string, patch: Partial<PlaneRow> = {}): PlaneRow => {
  const [customer, environment] = [id.split('-').slice(0, 2).join('-'), id.split('-')[2]!];
  return {
    id,
    customer,
    environment,
    push: false,
    simulated: true,
    status: 'UP',
    age: 1,
    alerts: 0,
    alertNames: [],
    rate: 10,
    errors: 0.001,
    p95: 0.1,
    cpu: 0.01,
    memory: 1e8,
    ...patch,
  };
};

const ROWS = [
  row('cust-001-prod-01', { errors: 0.02 }),
  row('cust-001-dev-01', { status: 'DOWN', rate: null, errors: null, p95: null }),
  row('cust-001-qa-01'),
  row('cust-002-prod-01', { alerts: 2, alertNames: ['HighErrorRatio', 'HighLatencyP95'] }),
  row('cust-002-dev-01', { status: 'UNKNOWN', errors: null }),
  row('cust-002-qa-01', { errors: 0.3, p95: 2 }),
  row('cust-003-prod-01', { p95: 0.5 }),
];
const ids = (rows: PlaneRow[]) => rows.map((r) => r.id);

describe('worst first', () => {
  it('puts down first, then firing alerts, then unknown, then error ratio, then p95', () => {
    const sorted = [...ROWS].sort(comparator({ key: 'worst', dir: 'desc' }));
    expect(ids(sorted)).toEqual([
      'cust-001-dev-01',
      'cust-002-prod-01',
      'cust-002-dev-01',
      'cust-002-qa-01',
      'cust-001-prod-01',
      'cust-003-prod-01',
      'cust-001-qa-01',
    ]);
  });

  it('groups customers where their worst plane ranks, rows keeping the order', () => {
    const table = fleetTable(ROWS, DEFAULT_OVERVIEW);
    expect(table.groups.map((g) => g.customer)).toEqual(['cust-001', 'cust-002', 'cust-003']);
    expect(ids(table.groups[1]!.rows)).toEqual([
      'cust-002-prod-01',
      'cust-002-dev-01',
      'cust-002-qa-01',
    ]);
    expect(table.groups[0]!.counts).toEqual({ total: 3, up: 2, down: 1, unknown: 0, firing: 0 });
  });
});

describe('sorting by a column', () => {
  it('sorts numbers largest first by default, missing values last in both directions', () => {
    const p95 = (dir: 'asc' | 'desc') =>
      ids([...ROWS].sort(comparator({ key: 'p95', dir }))).filter((id) => id !== 'cust-002-dev-01');
    expect(p95('desc').slice(0, 2)).toEqual(['cust-002-qa-01', 'cust-003-prod-01']);
    expect(p95('desc').at(-1)).toBe('cust-001-dev-01');
    expect(p95('asc').at(-1)).toBe('cust-001-dev-01');
  });

  it('sorts names A to Z, ties worst first', () => {
    const sorted = [...ROWS].sort(comparator({ key: 'environment', dir: 'asc' }));
    expect(ids(sorted).slice(0, 2)).toEqual(['cust-001-dev-01', 'cust-002-dev-01']);
  });

  it('toggles the direction on a second click, and starts a new column its own way', () => {
    expect(sortedBy(DEFAULT_OVERVIEW, 'plane')).toEqual({ sort: 'plane', dir: 'asc' });
    expect(sortedBy({ ...DEFAULT_OVERVIEW, sort: 'plane', dir: 'asc' }, 'plane')).toEqual({
      dir: 'desc',
    });
    expect(sortedBy(DEFAULT_OVERVIEW, 'errors')).toEqual({ sort: 'errors', dir: 'desc' });
  });

  it('leaves the grouping out with group=none: one group, rows across customers', () => {
    const table = fleetTable(ROWS, { ...DEFAULT_OVERVIEW, sort: 'errors', group: 'none' });
    expect(table.groups).toHaveLength(1);
    expect(ids(table.groups[0]!.rows).slice(0, 2)).toEqual(['cust-002-qa-01', 'cust-001-prod-01']);
  });
});

describe('filters', () => {
  it('filters by customer, environment, status and search; counts ignore the status filter', () => {
    const table = fleetTable(ROWS, { ...DEFAULT_OVERVIEW, env: 'dev', status: 'down' });
    expect(ids(table.groups.flatMap((g) => g.rows))).toEqual(['cust-001-dev-01']);
    expect(table.counts).toEqual({ total: 2, up: 0, down: 1, unknown: 1, firing: 0 });
    expect(table.shown).toBe(1);
    expect(table.total).toBe(7);
  });

  it('searches plane ids and customers, case-insensitively', () => {
    const shown = (q: string) => fleetTable(ROWS, { ...DEFAULT_OVERVIEW, q }).shown;
    expect(shown('CUST-002')).toBe(3);
    expect(shown('prod-01')).toBe(3);
    expect(shown('nothing')).toBe(0);
  });

  it('status=firing shows the planes with firing alerts, whatever their health', () => {
    const table = fleetTable(ROWS, { ...DEFAULT_OVERVIEW, status: 'firing' });
    expect(ids(table.groups.flatMap((g) => g.rows))).toEqual(['cust-002-prod-01']);
    expect(table.counts.firing).toBe(1);
  });
});

describe('overviewHref', () => {
  it('leaves defaults out', () => {
    expect(overviewHref(DEFAULT_OVERVIEW)).toBe('/');
    expect(overviewHref(DEFAULT_OVERVIEW, { sort: 'plane', dir: 'asc' })).toBe('/?sort=plane');
    expect(overviewHref(DEFAULT_OVERVIEW, { sort: 'plane', dir: 'desc' })).toBe(
      '/?sort=plane&dir=desc',
    );
    expect(
      overviewHref(
        { ...DEFAULT_OVERVIEW, q: 'cust 1&', customer: 'cust-001', status: 'down' },
        { env: 'prod', group: 'none' },
      ),
    ).toBe('/?q=cust+1%26&customer=cust-001&env=prod&status=down&group=none');
  });
});
