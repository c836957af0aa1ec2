import { fail, redirect } from '@sveltejs/kit';
import { authConfig, checkCredentials, createSession, SESSION_COOKIE } from '#lib/server/auth.ts';
import type { Actions, PageServerLoad } from './$types';

const auth = authConfig();

export const load = (() => {
  if (!auth) redirect(303, '/');
  return {};
}) satisfies PageServerLoad;

export const actions = {
  default: async ({ request, cookies, url }) => {
    if (!auth) redirect(303, '/');
    const form = await request.formData();
    const user = String(form.get('user') ?? '');
    const password = String(form.get('password') ?? '');
    if (!checkCredentials(auth, user, password))
      return fail(401, { user, message: 'wrong user or password' });
    cookies.set(SESSION_COOKIE, createSession(auth), {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: url.protocol === 'https:',
      maxAge: auth.ttl,
    });
    const next = url.searchParams.get('next');
    // Only same-site paths: never an open redirect.
    redirect(303, next && next.startsWith('/') && !next.startsWith('//') ? next : '/');
  },
  logout: async ({ cookies }) => {
    cookies.delete(SESSION_COOKIE, { path: '/' });
    redirect(303, '/login');
  },
} satisfies Actions;
