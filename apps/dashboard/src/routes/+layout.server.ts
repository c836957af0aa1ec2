import { stackOutputs } from '#lib/server/config.ts';
import type { LayoutServerLoad } from './$types';

export const load = (async ({ locals }) => {
  const outputs = stackOutputs();
  return { stack: outputs.stack, platform: outputs.platform, user: locals.user };
}) satisfies LayoutServerLoad;
