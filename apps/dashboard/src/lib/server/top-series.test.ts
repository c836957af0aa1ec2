import type { StackOutputs } from '@outpost/outputs';
import { describe, expect, it } from 'vitest';
import { metricsCharts } from './catalog.ts';
import { parseView } from './params.ts';
import type { Prometheus, Sample, Series } from './prometheus.ts';
import { drawChart, othersName, possibleSeries, ranked } from './top-series.ts';

const planes = Array.from({ length: 30 }, (_, i) => {
  const customer = `cust-${String(Math.floor(i / 3) + 1).padStart(3, '0')}`;
  const environment = ['prod', 'dev', 'qa'][i % 3]!;
  return {
    name: `${customer}-${environment}`,
    id: `${customer}-${environment}-01`,
    customer,
    environment,
    apiUrl: 'http://127.0.0.1:1',
    metricsUrl: null,
    simulated: true,
  };
});
const outputs = {
  stack: 'local',
  platform: 'process',
  dashboardUrl: null,
  queryUrl: 'http://127.0.0.1:9090',
  prometheusUrl: 'http://127.0.0.1:9090',
  alertmanagerUrl: null,
  scrapeInterval: '10s',
  slos: [],
  dataPlanes: planes,
} satisfies StackOutputs;

const NOW = 1_800_000_000;
const view = (q: string) => parseView(new URLSearchParams(q), outputs, NOW);

/** A Prometheus that answers the ranking with one sample per plane and records every query. */
function fakePrometheus(means: Record<string, number>) {
  const asked: string[] = [];
  const points = (v: number): Array<[number, number]> => [
    [NOW - 10, v],
    [NOW, v],
  ];
  const p = {
    async query(expr: string): Promise<Sample[]> {
      asked.push(`instant ${expr}`);
      return Object.entries(means).map(([data_plane, value]) => ({
        metric: { data_plane },
        value,
      }));
    },
    async queryRange(expr: string): Promise<Series[]> {
      asked.push(`range ${expr}`);
      const only = /data_plane=~"([^"]+)"/.exec(expr);
      if (only)
        return only[1]!
          .split('|')
          .map((id) => ({ metric: { data_plane: id }, points: points(means[id] ?? 0) }));
      if (expr.includes('data_plane!~')) return [{ metric: {}, points: points(1) }];
      return Object.entries(means).map(([id, v]) => ({
        metric: { data_plane: id },
        points: points(v),
      }));
    },
  };
  return { p: p as unknown as Prometheus, asked };
}

describe('possibleSeries', () => {
  it('counts the series a view can have from the outputs, without a query', () => {
    expect(possibleSeries(view(''), outputs)).toBe(3);
    expect(possibleSeries(view('by=customer'), outputs)).toBe(10);
    expect(possibleSeries(view('by=data_plane&env=prod'), outputs)).toBe(10);
    expect(possibleSeries(view('by=data_plane&customer=cust-002'), outputs)).toBe(3);
  });
});

describe('ranked', () => {
  it('orders by value, largest first, ties by name; drops unlabelled and NaN samples', () => {
    expect(
      ranked(
        [
          { metric: { data_plane: 'b' }, value: 2 },
          { metric: { data_plane: 'a' }, value: 2 },
          { metric: { data_plane: 'c' }, value: 5 },
          { metric: { data_plane: 'd' }, value: NaN },
          { metric: {}, value: 9 },
        ],
        'data_plane',
      ),
    ).toEqual(['c', 'a', 'b']);
  });
});

describe('drawChart', () => {
  const means = Object.fromEntries(planes.map((p, i) => [p.id, i]));

  it('draws every series without ranking when the view can have only a handful', async () => {
    const v = view('by=data_plane&customer=cust-001');
    const chart = metricsCharts(v)[0]!;
    const { p, asked } = fakePrometheus(means);
    const drawn = await drawChart(p, chart, v, possibleSeries(v, outputs));
    expect(asked).toEqual([`range ${chart.expr}`]);
    expect(drawn.hidden).toBe(0);
  });

  it('past a handful: the top N in rank order, then one "others" series saying what it hides', async () => {
    const v = view('by=data_plane&top=3');
    const chart = metricsCharts(v)[0]!;
    const { p, asked } = fakePrometheus(means);
    const drawn = await drawChart(p, chart, v, possibleSeries(v, outputs));
    expect(drawn.series.map((s) => s.name)).toEqual([
      'cust-010-qa-01',
      'cust-010-dev-01',
      'cust-010-prod-01',
      '+ 27 others (mean)',
    ]);
    expect(drawn.hidden).toBe(27);
    // Three queries whatever the fleet's size: rank, top, others.
    expect(asked).toEqual([
      `instant ${chart.rank}`,
      `range ${chart.only(['cust-010-qa-01', 'cust-010-dev-01', 'cust-010-prod-01'])}`,
      `range ${chart.others(['cust-010-qa-01', 'cust-010-dev-01', 'cust-010-prod-01'])}`,
    ]);
  });

  it('draws every series when no more than a handful had data, or top covers them all', async () => {
    const few = Object.fromEntries(Object.entries(means).slice(0, 6));
    const v = view('by=data_plane');
    const { p } = fakePrometheus(few);
    const drawn = await drawChart(p, metricsCharts(v)[0]!, v, possibleSeries(v, outputs));
    expect(drawn.series).toHaveLength(6);
    expect(drawn.hidden).toBe(0);

    const all = view('by=data_plane&top=20');
    const { p: p2 } = fakePrometheus(Object.fromEntries(Object.entries(means).slice(0, 12)));
    const drawnAll = await drawChart(p2, metricsCharts(all)[0]!, all, 30);
    expect(drawnAll.series).toHaveLength(12);
  });

  it('names the error chart\'s "others" as their overall ratio', () => {
    expect(othersName(117, 'ratio')).toBe('+ 117 others (overall)');
    expect(othersName(117, 'mean')).toBe('+ 117 others (mean)');
  });
});
