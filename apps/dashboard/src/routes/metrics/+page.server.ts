import { error } from '@sveltejs/kit';
import { environments, stackOutputs, customers } from '#lib/server/config.ts';
import { businessCharts, metricsCharts, slowestRoutes, summaryCards } from '#lib/server/catalog.ts';
import { withPrometheus } from '#lib/server/context.ts';
import { ParamError, parseView, RANGES } from '#lib/server/params.ts';
import { scalar, toChartSeries } from '#lib/shape.ts';
import type { PageServerLoad } from './$types';

export const load = (async ({ url }) => {
  const outputs = stackOutputs();
  let view;
  try {
    view = parseView(url.searchParams, outputs);
  } catch (err) {
    if (err instanceof ParamError) error(400, err.message);
    throw err;
  }
  const data = await withPrometheus(
    async (p) => {
      const [charts, business, cards, routes] = await Promise.all([
        Promise.all(
          metricsCharts(view).map(async (q) => ({
            ...q,
            series: toChartSeries(
              await p.queryRange(q.expr, view.start, view.end, view.step),
              'environment',
            ),
          })),
        ),
        Promise.all(
          businessCharts(view).map(async (q) => ({
            ...q,
            series: toChartSeries(
              await p.queryRange(q.expr, view.start, view.end, view.step),
              'app_payment_outcome',
              q.title,
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
      ]);
      return {
        charts,
        business,
        cards,
        routes: routes.map((r) => ({
          environment: r.metric.environment ?? '',
          route: r.metric.http_route ?? '',
          method: r.metric.http_request_method ?? '',
          p95: r.value,
        })),
      };
    },
    { charts: [], business: [], cards: [], routes: [] },
  );
  return {
    ...data,
    view,
    options: { environments: environments(outputs), customers: customers(outputs), ranges: RANGES },
  };
}) satisfies PageServerLoad;
