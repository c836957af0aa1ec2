import { describe, expect, it } from 'vitest';
import type { StackOutputs } from '@outpost/outputs';
import { ParamError, parseView } from './params.ts';
import { metricsCharts, quote, selector, slowestRoutes, summaryCards } from './catalog.ts';

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
