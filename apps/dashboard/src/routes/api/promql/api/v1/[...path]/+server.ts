import { error, json } from '@sveltejs/kit';
import { stackOutputs } from '#lib/server/config.ts';
import { Prometheus, PrometheusUnreachable, ResultTooLarge } from '#lib/server/prometheus.ts';
import type { RequestHandler } from './$types';

// The PromQL editor's completion asks for metric names, labels and metadata. It talks to this
// allow-listed, read-only proxy, never to Prometheus itself. Answers are read up to the client's
// byte cap; a larger one is a 422 in Prometheus's error format.
const ALLOWED = [/^labels$/, /^label\/[A-Za-z_][A-Za-z0-9_]*\/values$/, /^series$/, /^metadata$/];

async function proxy(path: string, search: string, form?: string): Promise<Response> {
  if (!ALLOWED.some((re) => re.test(path))) error(404, `not proxied: /api/v1/${path}`);
  const outputs = stackOutputs();
  const base = outputs.queryUrl ?? outputs.prometheusUrl;
  if (!base) error(503, 'this stack has no query endpoint');
  try {
    const { status, body } = await new Prometheus(base).forward(path, search, form);
    return new Response(body, { status, headers: { 'content-type': 'application/json' } });
  } catch (err) {
    if (err instanceof ResultTooLarge) {
      return json(
        {
          status: 'error',
          errorType: 'result_too_large',
          error: `${err.message}: narrow it with a more selective match[] selector or a start/end range`,
        },
        { status: 422 },
      );
    }
    if (err instanceof PrometheusUnreachable) error(503, 'Prometheus unreachable');
    throw err;
  }
}

export const GET = (({ params, url }) => proxy(params.path, url.search)) satisfies RequestHandler;
export const POST = (async ({ params, url, request }) => {
  const body = await request.text();
  if (body.length > 10_000) error(413, 'body too large');
  return proxy(params.path, url.search, body);
}) satisfies RequestHandler;
