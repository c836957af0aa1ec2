import { error, json } from '@sveltejs/kit';
import { seconds } from '#lib/server/config.ts';
import { prometheus } from '#lib/server/context.ts';
import { PrometheusUnreachable, QueryError, ResultTooLarge } from '#lib/server/prometheus.ts';
import { RANGES } from '#lib/server/params.ts';
import type { RequestHandler } from './$types';

const MAX_QUERY_LENGTH = 2000;
const MAX_POINTS = 250;
const MAX_SERIES = 50;

/**
 * Explore's back end: raw PromQL, but only to the read-only query_range API, with a time-out,
 * at most 250 points per series and 50 series, and at most MAX_UPSTREAM_BYTES read of the
 * result (a larger one is a 422 saying how to narrow the query).
 */
export const GET = (async ({ url }) => {
  const q = url.searchParams.get('q') ?? '';
  const range = url.searchParams.get('range') ?? '15m';
  if (!q.trim()) error(400, 'q is required: a PromQL expression');
  if (q.length > MAX_QUERY_LENGTH)
    error(400, `q is too long: at most ${MAX_QUERY_LENGTH} characters`);
  if (!(RANGES as readonly string[]).includes(range))
    error(400, `range=${range}: accepted are ${RANGES.join(', ')}`);
  const end = Math.floor(Date.now() / 1000);
  const start = end - seconds(range);
  const step = Math.max(1, Math.ceil((end - start) / MAX_POINTS));
  try {
    const series = await prometheus().queryRange(q, start, end, step);
    return json({
      series: series.slice(0, MAX_SERIES),
      truncated: series.length > MAX_SERIES,
      step,
    });
  } catch (err) {
    if (err instanceof ResultTooLarge) {
      return json(
        {
          message: `${err.message}: narrow the query with label matchers ({environment="prod"}), aggregate it (sum by (environment) (...)) or pick a shorter range`,
          limitBytes: err.limitBytes,
        },
        { status: 422 },
      );
    }
    if (err instanceof QueryError) error(400, `PromQL error: ${err.message}`);
    if (err instanceof PrometheusUnreachable) error(503, err.message);
    throw err;
  }
}) satisfies RequestHandler;
