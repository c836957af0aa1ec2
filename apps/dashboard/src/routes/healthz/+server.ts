import { json } from '@sveltejs/kit';
import { stackOutputs } from '#lib/server/config.ts';
import type { RequestHandler } from './$types';

/** For probes: 200 when the server runs and its stack outputs are valid. Never needs a login. */
export const GET = (() => {
  const outputs = stackOutputs();
  return json({ status: 'ok', stack: outputs.stack, dataPlanes: outputs.dataPlanes.length });
}) satisfies RequestHandler;
