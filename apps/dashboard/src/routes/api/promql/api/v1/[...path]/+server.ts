import { error } from '@sveltejs/kit';
import { stackOutputs } from '#lib/server/config.ts';
import type { RequestHandler } from './$types';

// The PromQL editor's completion asks for metric names, labels and metadata. It talks to this
// allow-listed, read-only proxy, never to Prometheus itself.
const ALLOWED = [/^labels$/, /^label\/[A-Za-z_][A-Za-z0-9_]*\/values$/, /^series$/, /^metadata$/];

async function proxy(path: string, search: string, body?: string): Promise<Response> {
  if (!ALLOWED.some((re) => re.test(path))) error(404, `not proxied: /api/v1/${path}`);
  const outputs = stackOutputs();
  const base = outputs.queryUrl ?? outputs.prometheusUrl;
  if (!base) error(503, 'this stack has no query endpoint');
  const res = await fetch(`${base}/api/v1/${path}${search}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    signal: AbortSignal.timeout(5000),
  }).catch(() => error(503, 'Prometheus unreachable'));
  return new Response(await res.text(), {
    status: res.status,
    headers: { 'content-type': 'application/json' },
  });
}

export const GET = (({ params, url }) => proxy(params.path, url.search)) satisfies RequestHandler;
export const POST = (async ({ params, url, request }) => {
  const body = await request.text();
  if (body.length > 10_000) error(413, 'body too large');
  return proxy(params.path, url.search, body);
}) satisfies RequestHandler;
