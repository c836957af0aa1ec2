import { redirect } from '@sveltejs/kit';
import { authConfig } from '#lib/server/auth.ts';
import type { PageServerLoad } from './$types';

const auth = authConfig();

export const load = (() => {
  if (!auth) redirect(303, '/');
  return {};
}) satisfies PageServerLoad;
