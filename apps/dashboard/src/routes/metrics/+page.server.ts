import { error } from '@sveltejs/kit';
import { environments, stackOutputs, customers } from '#lib/server/config.ts';
import { loadBands, type Band } from '#lib/server/annotations.ts';
import { businessCharts, metricsCharts, slowestRoutes, summaryCards } from '#lib/server/catalog.ts';
import { withPrometheus } from '#lib/server/context.ts';
import {
  DIMENSIONS,
  MANY_SERIES,
  MAX_TOP,
  ParamError,
  parseView,
  RANGES,
} from '#lib/server/params.ts';
import { REFRESH_EVERY, takeRefreshEvery } from '#lib/server/refresh-every.ts';
import { drawChart, possibleSeries } from '#lib/server/top-series.ts';
import { scalar, toChartSeries } from '#lib/shape.ts';
import type { PageServerLoad } from './$types';

export const load = (async ({ url }) => {
  const outputs = stackOutputs();
  let view;
  let refresh;
  try {
    refresh = takeRefreshEvery(url.searchParams);
    view = parseView(refresh.rest, outputs);
  } catch (err) {
    if (err instanceof ParamError) error(400, err.message);
    throw err;
  }
  // Every chart's series on the same grid (the range query's steps), null where idle.
  const grid = { start: view.start, end: view.end, step: view.step };
  // Past MANY_SERIES possible series, each chart draws its top few and "others".
  const possible = possibleSeries(view, outputs);
  const data = await withPrometheus(
    async (p) => {
      const [charts, business, cards, routes, annotations] = await Promise.all([
        Promise.all(metricsCharts(view).map((q) => drawChart(p, q, view, possible))),
        Promise.all(
          businessCharts(view).map(async (q) => ({
            ...q,
            series: toChartSeries(
              await p.queryRange(q.expr, view.start, view.end, view.step),
              'app_payment_outcome',
              q.title,
              grid,
            ),
          })),
        ),
        Promise.all(
          summaryCards(view).map(async (q) => ({
            id: q.id,
            title: q.title,
            unit: q.unit,
            value: scalar(await p.query(q.expr, view.end)),
            previous: scalar(await p.query(q.previous, view.end)),
          })),
        ),
        p.query(slowestRoutes(view), view.end),
        loadBands(p, view),
      ]);
      const rate = cards.find((c) => c.id === 'rate')?.value ?? null;
      return {
        charts,
        business,
        cards,
        // No requests in the whole range: cards say so instead of showing "–".
        noTraffic: rate === null || rate === 0,
        bands: annotations.bands,
        bandsTruncated: annotations.truncated,
        routes: routes.map((r) => ({
          environment: r.metric.environment ?? '',
          route: r.metric.http_route ?? '',
          method: r.metric.http_request_method ?? '',
          p95: r.value,
        })),
      };
    },
    {
      charts: [],
      business: [],
      cards: [],
      noTraffic: false,
      bands: [] as Band[],
      bandsTruncated: false,
      routes: [],
    },
  );
  return {
    ...data,
    view,
    possible,
    every: refresh.every,
    refreshSeconds: refresh.seconds,
    options: {
      environments: environments(outputs),
      customers: customers(outputs),
      dimensions: DIMENSIONS,
      manySeries: MANY_SERIES,
      maxTop: MAX_TOP,
      ranges: RANGES,
      every: REFRESH_EVERY,
    },
  };
}) satisfies PageServerLoad;
