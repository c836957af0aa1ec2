import { json } from '@sveltejs/kit';
import type { Handle, ServerInit } from '@sveltejs/kit/hooks';
import { access } from '#lib/server/access.ts';
import { SESSION_COOKIE } from '#lib/server/auth.ts';
import { ConfigError } from '#lib/server/config.ts';
import { withSecurityHeaders } from '#lib/server/headers.ts';

/** Refuses to start with a weak or partial login setup, saying which variable and why. */
export const init: ServerInit = () => {
  try {
    access();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`dashboard: refusing to start: ${err.message}`);
    process.exit(1);
  }
};

const OPEN = new Set(['/healthz', '/login', '/api/session']);

/**
 * With auth on, every page and API route needs a valid session; /healthz stays open for probes.
 * Every answer, refusals included, carries the security headers (headers.ts).
 */
export const handle: Handle = async ({ event, resolve }) =>
  withSecurityHeaders(await authenticate({ event, resolve }));

const authenticate: Handle = async ({ event, resolve }) => {
  event.locals.user = null;
  const login = access();
  if (login && !OPEN.has(event.url.pathname)) {
    const user = login.sessions.verify(event.cookies.get(SESSION_COOKIE));
    if (!user) {
      // Answered here rather than thrown, so the headers above are added to these too.
      if (event.url.pathname.startsWith('/api/'))
        return json(
          { message: 'sign in first: POST /api/session with { user, password }' },
          { status: 401 },
        );
      const next = encodeURIComponent(event.url.pathname + event.url.search);
      return new Response(null, { status: 303, headers: { location: `/login?next=${next}` } });
    }
    event.locals.user = user;
  }
  return resolve(event);
};
