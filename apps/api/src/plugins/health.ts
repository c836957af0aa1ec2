import type { Plugin } from '@hapi/hapi';

/** Readiness is false while starting and while draining; liveness only says the process answers. */
export interface Readiness {
  ready: boolean;
}

export const healthPlugin: Plugin<{ readiness: Readiness }> = {
  name: 'health',
  register(server, { readiness }) {
    server.route([
      { method: 'GET', path: '/health', handler: () => ({ status: 'ok' }) },
      {
        method: 'GET',
        path: '/ready',
        handler: (_request, h) =>
          readiness.ready ? { status: 'ready' } : h.response({ status: 'not ready' }).code(503),
      },
    ]);
  },
};
