import { error, redirect } from '@sveltejs/kit';
import type { Handle } from '@sveltejs/kit/hooks';
import { authConfig, SESSION_COOKIE, verifySession } from '#lib/server/auth.ts';

const auth = authConfig();
const OPEN = new Set(['/healthz', '/login', '/api/session']);

/** With auth on, every page and API route needs a valid session; /healthz stays open for probes. */
export const handle: Handle = async ({ event, resolve }) => {
  event.locals.user = null;
  if (auth && !OPEN.has(event.url.pathname)) {
    const user = verifySession(auth, event.cookies.get(SESSION_COOKIE));
    if (!user) {
      if (event.url.pathname.startsWith('/api/'))
        error(401, 'sign in first: POST /api/session with { user, password }');
      redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
    }
    event.locals.user = user;
  }
  return resolve(event);
};
