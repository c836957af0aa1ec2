import type { Plugin } from '@hapi/hapi';
import { NEVER_SHED } from './shedding/plugin.ts';

/**
 * Readiness is false while starting and while draining; liveness only says the process answers.
 * Neither is ever shed: an orchestrator must not restart a process that is only busy.
 */
export interface Readiness {
  ready: boolean;
}

export const healthPlugin: Plugin<{ readiness: Readiness }> = {
  name: 'health',
  register(server, { readiness }) {
    server.route([
      { method: 'GET', path: '/health', options: NEVER_SHED, handler: () => ({ status: 'ok' }) },
      {
        method: 'GET',
        path: '/ready',
        options: NEVER_SHED,
        handler: (_request, h) =>
          readiness.ready ? { status: 'ready' } : h.response({ status: 'not ready' }).code(503),
      },
    ]);
  },
};
