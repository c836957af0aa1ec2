import { redirect } from '@sveltejs/kit';
import { access } from '#lib/server/access.ts';
import type { PageServerLoad } from './$types';

export const load = (() => {
  if (!access()) redirect(303, '/');
  return {};
}) satisfies PageServerLoad;
