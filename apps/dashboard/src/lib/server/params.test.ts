import { describe, expect, it } from 'vitest';
import type { StackOutputs } from '@outpost/outputs';
import { ParamError, parseOverview, parseView } from './params.ts';
import {
  metricsCharts,
  OVERVIEW,
  quote,
  selector,
  slowestRoutes,
  summaryCards,
} from './catalog.ts';

const outputs = {
  stack: 'local',
  platform: 'process',
  dashboardUrl: null,
  queryUrl: 'http://127.0.0.1:9090',
  prometheusUrl: 'http://127.0.0.1:9090',
  alertmanagerUrl: null,
  scrapeInterval: '10s',
  slos: [],
  dataPlanes: ['prod', 'dev', 'qa'].map((environment) => ({
    name: `acme-${environment}`,
    id: `acme-${environment}-01`,
    customer: 'acme',
    environment,
    apiUrl: 'http://127.0.0.1:8081',
    metricsUrl: null,
  })),
} satisfies StackOutputs;

const NOW = 1_800_000_000;
const view = (q: string) => parseView(new URLSearchParams(q), outputs, NOW);

describe('parseView', () => {
  it('defaults to every environment over the last 5 minutes, refreshing', () => {
    expect(view('')).toMatchObject({
      envs: ['prod', 'dev', 'qa'],
      env: 'all',
      range: '5m',
      start: NOW - 300,
      end: NOW,
      refresh: true,
    });
  });

  it('takes several environments, a range and refresh off', () => {
    expect(view('env=prod,qa&range=24h&refresh=off')).toMatchObject({
      envs: ['prod', 'qa'],
      range: '24h',
      refresh: false,
    });
  });

  it('keeps a few hundred points per series, steps a multiple of the scrape interval', () => {
    const day = view('range=24h');
    expect((day.end - day.start) / day.step).toBeLessThanOrEqual(300);
    expect(day.step % 10).toBe(0);
    expect(view('range=5m').step).toBe(10);
  });

  it('draws series per environment by default, the top 5 past a handful', () => {
    expect(view('')).toMatchObject({ by: 'environment', top: 5 });
    expect(view('by=data_plane&top=12')).toMatchObject({ by: 'data_plane', top: 12 });
  });

  it('takes an absolute from/to (ISO 8601 or Unix seconds), refresh off by default', () => {
    const v = view('from=2026-11-25T10:00:00Z&to=1795610000');
    expect(v).toMatchObject({
      range: null,
      start: Date.parse('2026-11-25T10:00:00Z') / 1000,
      end: 1795610000,
      refresh: false,
    });
  });

  it.each([
    ['env=staging', /env=staging: accepted are all, or one or more of prod, dev, qa/],
    ['env=prod"}or vector(1)', /accepted are all/],
    ['customer=evil', /customer=evil: accepted are acme/],
    ['range=2h', /range=2h: accepted are 5m, 15m, 1h, 6h, 24h/],
    ['range=1h&from=1795600000&to=1795603600', /range cannot be combined with from\/to/],
    ['from=1795600000', /from and to go together/],
    ['from=yesterday&to=1795600000', /from=yesterday: accepted are ISO 8601/],
    ['from=1795603600&to=1795600000', /to must be after from/],
    ['refresh=sometimes', /refresh=sometimes: accepted are on, off/],
    ['by=route', /by=route: accepted are environment, customer, data_plane/],
    ['top=0', /top=0: accepted are whole numbers from 1 to 20/],
    ['top=21', /top=21: accepted are whole numbers from 1 to 20/],
    ['top=5.5', /top=5.5: accepted/],
    ['query=up', /unknown parameter query/],
  ])('rejects %s', (q, message) => {
    expect(() => view(q)).toThrow(ParamError);
    expect(() => view(q)).toThrow(message);
  });
});

describe('query catalogue', () => {
  it('builds selectors only from validated values, escaped', () => {
    expect(selector({ envs: ['prod', 'dev'], customer: 'acme' })).toBe(
      '{environment=~"prod|dev",customer="acme"}',
    );
    expect(quote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(selector({ envs: ['a.b'], customer: null })).toBe('{environment=~"a\\\\.b"}');
  });

  it('reads recorded series, never raw request metrics, for the charts', () => {
    const v = view('env=prod');
    for (const q of [...metricsCharts(v), ...summaryCards(v)])
      expect(q.expr).not.toMatch(/http_server_request_duration_seconds_(bucket|count)/);
    expect(metricsCharts(v).map((q) => q.id)).toEqual([
      'rate',
      'errors',
      'p50',
      'p95',
      'p99',
      'active',
    ]);
    expect(slowestRoutes(v)).toContain(
      'data_plane_route:http_server_request_duration_seconds:p95_rate1m{environment=~"prod"}',
    );
  });

  it('compares each card with the period before', () => {
    const card = summaryCards(view('range=1h'))[0]!;
    expect(card.expr).toBe(
      'avg_over_time((sum(data_plane:http_server_requests:rate1m{environment=~"prod|dev|qa"}))[3600s:20s])',
    );
    expect(card.previous).toBe(`${card.expr.slice(0, -1)} offset 3600s)`);
  });
});

describe('parseOverview', () => {
  const fleet = {
    ...outputs,
    dataPlanes: [
      ...outputs.dataPlanes,
      ...['prod', 'dev', 'qa'].map((environment) => ({
        ...outputs.dataPlanes[0]!,
        name: `cust-001-${environment}`,
        id: `cust-001-${environment}-01`,
        customer: 'cust-001',
        environment,
        simulated: true,
      })),
    ],
  };
  const overview = (q: string) => parseOverview(new URLSearchParams(q), fleet);

  it('defaults to every plane, worst first, grouped by customer', () => {
    expect(overview('')).toEqual({
      overview: {
        q: '',
        customer: null,
        env: 'all',
        status: null,
        sort: 'worst',
        dir: 'desc',
        group: 'customer',
      },
      notes: [],
    });
  });

  it('takes filters, a search, a sort and its direction', () => {
    expect(
      overview('q=+cust-001+&customer=cust-001&env=qa&status=firing&sort=p95&dir=asc&group=none')
        .overview,
    ).toEqual({
      q: 'cust-001',
      customer: 'cust-001',
      env: 'qa',
      status: 'firing',
      sort: 'p95',
      dir: 'asc',
      group: 'none',
    });
    // A column's own direction when none is given: names A to Z, numbers largest first.
    expect(overview('sort=plane').overview.dir).toBe('asc');
    expect(overview('sort=errors').overview.dir).toBe('desc');
  });

  it('ignores what it does not accept, with a note saying what is accepted', () => {
    const { overview: o, notes } = overview(
      'customer=evil&env=staging&status=sideways&sort=colour&dir=up&group=team&extra=1',
    );
    expect(o).toMatchObject({ customer: null, env: 'all', status: null, sort: 'worst' });
    expect(notes).toEqual([
      'unknown parameter extra ignored: accepted are q, customer, env, status, sort, dir, group',
      'customer=evil ignored: accepted are acme, cust-001',
      'env=staging ignored: accepted are all, prod, dev, qa',
      'status=sideways ignored: accepted are down, unknown, up, firing',
      'sort=colour ignored: accepted are worst, status, plane, customer, environment, alerts, rate, errors, p95, cpu, memory, age',
      'dir=up ignored: accepted are asc, desc',
      'group=team ignored: accepted are customer, none',
    ]);
  });

  it('treats empty values as absent (a form sent without JavaScript) and caps the search', () => {
    expect(overview('q=&customer=&env=&status=').notes).toEqual([]);
    const long = overview(`q=${'x'.repeat(150)}`);
    expect(long.overview.q).toHaveLength(100);
    expect(long.notes[0]).toMatch(/longer than 100 characters/);
  });
});

describe('fleet-size queries', () => {
  it('the overview runs a fixed set of queries, each aggregated by data plane', () => {
    expect(Object.keys(OVERVIEW)).toHaveLength(10);
    for (const expr of Object.values(OVERVIEW)) expect(expr).toMatch(/ by \(data_plane[,)]/);
    expect(OVERVIEW.alerts).toBe('count by (data_plane, alertname) (ALERTS{alertstate="firing"})');
  });

  it("ranks, draws the top few and folds the others by the view's label", () => {
    const [rate, errors, , p95] = metricsCharts(view('env=prod&by=data_plane&range=1h'));
    expect(rate!.rank).toBe(
      'avg_over_time(((sum by (data_plane) (data_plane:http_server_requests:rate1m{environment=~"prod"})) >= 0)[3600s:20s])',
    );
    expect(rate!.only(['a.b', 'c'])).toBe(
      'sum by (data_plane) (data_plane:http_server_requests:rate1m{environment=~"prod",data_plane=~"a\\\\.b|c"})',
    );
    expect(rate!.others(['a'])).toBe(
      'avg((sum by (data_plane) (data_plane:http_server_requests:rate1m{environment=~"prod",data_plane!~"a"})) >= 0)',
    );
    expect(errors!.others(['a'])).toBe(
      'sum(data_plane:http_server_errors:rate1m{environment=~"prod",data_plane!~"a"}) / sum(data_plane:http_server_requests:rate1m{environment=~"prod",data_plane!~"a"})',
    );
    expect(p95!.expr).toBe(
      'max by (data_plane) (data_plane:http_server_request_duration_seconds:p95_rate1m{environment=~"prod"})',
    );
    expect(metricsCharts(view('by=customer'))[3]!.expr).toBe(
      'max by (customer) (environment:http_server_request_duration_seconds:p95_rate1m{environment=~"prod|dev|qa"})',
    );
  });
});
