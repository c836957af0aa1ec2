import { describe, expect, it } from 'vitest';
import { chartsFor, loadBands, toBands } from './annotations.ts';
import { annotationQueries, slowestRoutes, summaryCards } from './catalog.ts';
import type { Prometheus } from './prometheus.ts';
import type { View } from './params.ts';

const view: View = {
  envs: ['prod', 'dev'],
  env: 'all',
  customer: 'acme',
  range: '1h',
  start: 1000,
  end: 1100,
  step: 10,
  refresh: true,
};

describe('annotation queries', () => {
  it('are allow-listed and escaped like the catalogue', () => {
    expect(annotationQueries(view)).toEqual({
      faults:
        'max by (environment, app_fault_kind) (app_faults_active{environment=~"prod|dev",customer="acme"}) > 0',
      alerts: 'ALERTS{alertstate="firing",environment=~"prod|dev",customer="acme"}',
    });
    expect(annotationQueries({ envs: ['a"b.c'], customer: null }).alerts).toBe(
      'ALERTS{alertstate="firing",environment=~"a\\"b\\\\.c"}',
    );
  });
});

describe('bands', () => {
  it('puts each fault and alert on the charts it explains', () => {
    expect(chartsFor('fault', { app_fault_kind: 'error' })).toEqual(['errors']);
    expect(chartsFor('fault', { app_fault_kind: 'latency' })).toEqual([
      'p50',
      'p95',
      'p99',
      'active',
    ]);
    expect(chartsFor('alert', { alertname: 'HighLatencyP95' })).toEqual(['p50', 'p95', 'p99']);
    expect(chartsFor('alert', { alertname: 'SLOAvailabilityBurnRateHigh' })).toEqual(['errors']);
    expect(chartsFor('alert', { alertname: 'DataPlaneDown' })).toEqual(['rate']);
  });

  it('names bands by kind and environment', () => {
    expect(
      toBands('fault', [
        {
          start: 1,
          end: 2,
          open: true,
          labels: { environment: 'prod', app_fault_kind: 'error' },
        },
      ]),
    ).toEqual([
      {
        kind: 'fault',
        start: 1,
        end: 2,
        open: true,
        title: 'error fault',
        environment: 'prod',
        charts: ['errors'],
      },
    ]);
  });

  it('loads faults and alerts with two range queries over the view', async () => {
    const calls: string[] = [];
    const prometheus = {
      async queryRange(expr: string, start: number, end: number, step: number) {
        calls.push(`${expr} ${start} ${end} ${step}`);
        return expr.startsWith('ALERTS')
          ? [
              {
                metric: { alertname: 'HighErrorRatio', environment: 'dev' },
                points: [[1050, 1]] as Array<[number, number]>,
              },
            ]
          : [
              {
                metric: { app_fault_kind: 'error', environment: 'prod' },
                points: [
                  [1010, 1],
                  [1020, 1],
                ] as Array<[number, number]>,
              },
            ];
      },
    } as unknown as Prometheus;
    const { bands, truncated } = await loadBands(prometheus, view);
    expect(calls).toHaveLength(2);
    expect(calls.every((c) => c.endsWith(' 1000 1100 10'))).toBe(true);
    expect(truncated).toBe(false);
    expect(bands.map((b) => [b.kind, b.title, b.start, b.end])).toEqual([
      ['fault', 'error fault', 1010, 1020],
      ['alert', 'HighErrorRatio', 1050, 1050],
    ]);
  });
});

describe('summary cards and slowest routes', () => {
  it('leave out NaN steps (no requests) of latency and error ratio', () => {
    const cards = summaryCards(view);
    expect(cards.find((c) => c.id === 'p95')!.expr).toBe(
      'avg_over_time(((max(environment:http_server_request_duration_seconds:p95_rate1m{environment=~"prod|dev",customer="acme"})) >= 0)[100s:10s])',
    );
    expect(cards.find((c) => c.id === 'errors')!.expr).toMatch(
      /^avg_over_time\(\(\(sum\(.+\) >= 0\)\[/,
    );
    expect(slowestRoutes(view)).toMatch(/^topk\(10, \(max by .+\) >= 0\)$/);
  });
});
