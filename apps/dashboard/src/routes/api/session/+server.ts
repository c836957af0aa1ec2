import { error, json } from '@sveltejs/kit';
import { authConfig, checkCredentials, createSession, SESSION_COOKIE } from '#lib/server/auth.ts';
import type { RequestHandler } from './$types';

const auth = authConfig();

/**
 * Sign in with JSON `{ user, password }`. A JSON body cannot be sent cross-site without a CORS
 * preflight (which is never granted), and the cookie is SameSite=strict and HttpOnly.
 */
export const POST = (async ({ request, cookies, url }) => {
  if (!auth) error(404, 'dashboard auth is off');
  if (!request.headers.get('content-type')?.startsWith('application/json')) {
    error(415, 'send JSON: { "user": "...", "password": "..." }');
  }
  const body = (await request.json().catch(() => null)) as {
    user?: unknown;
    password?: unknown;
  } | null;
  if (!body || typeof body.user !== 'string' || typeof body.password !== 'string') {
    error(400, 'user and password are required strings');
  }
  if (!checkCredentials(auth, body.user, body.password)) error(401, 'wrong user or password');
  cookies.set(SESSION_COOKIE, createSession(auth), {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: url.protocol === 'https:' && url.hostname !== '127.0.0.1',
    maxAge: auth.ttl,
  });
  return json({ user: body.user });
}) satisfies RequestHandler;

export const DELETE = (({ cookies }) => {
  cookies.delete(SESSION_COOKIE, { path: '/' });
  return new Response(null, { status: 204 });
}) satisfies RequestHandler;
