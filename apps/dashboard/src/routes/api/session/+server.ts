import { error, json } from '@sveltejs/kit';
import { access } from '#lib/server/access.ts';
import { checkCredentials, SESSION_COOKIE } from '#lib/server/auth.ts';
import type { RequestHandler } from './$types';

/**
 * Sign in with JSON `{ user, password }`. A JSON body cannot be sent cross-site without a CORS
 * preflight (which is never granted), and the cookie is SameSite=strict and HttpOnly. Failed
 * sign-ins are throttled per client address and per user name (throttle.ts): while a wait is
 * on, the answer is 429 with Retry-After and the password is not even checked.
 */
export const POST = (async ({ request, cookies, url, getClientAddress }) => {
  const login = access();
  if (!login) error(404, 'dashboard auth is off');
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
  // From here to the answer nothing awaits, so concurrent guesses are counted one by one.
  const address = getClientAddress();
  const wait = login.signIns.wait(address, body.user);
  if (wait > 0) return tooManyAttempts(wait);
  if (!checkCredentials(login.auth, body.user, body.password)) {
    login.signIns.failed(address, body.user);
    error(401, 'wrong user or password');
  }
  login.signIns.succeeded(address, body.user);
  cookies.set(SESSION_COOKIE, login.sessions.create(), {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: url.protocol === 'https:' && url.hostname !== '127.0.0.1',
    maxAge: login.auth.ttl,
  });
  return json({ user: body.user });
}) satisfies RequestHandler;

/** Sign out: the session is revoked on the server, so its cookie is refused from now on. */
export const DELETE = (({ cookies }) => {
  access()?.sessions.revoke(cookies.get(SESSION_COOKIE));
  cookies.delete(SESSION_COOKIE, { path: '/' });
  return new Response(null, { status: 204 });
}) satisfies RequestHandler;

function tooManyAttempts(waitMs: number): Response {
  const seconds = Math.ceil(waitMs / 1000);
  return json(
    { message: `too many failed sign-ins: try again in ${seconds} s` },
    { status: 429, headers: { 'retry-after': String(seconds) } },
  );
}
