import type { Plugin } from '@hapi/hapi';
import { routeOf, statusOf } from './metrics.ts';

/**
 * One structured JSON line per request on stdout. It carries the route template and the path
 * without its query string, and never headers, bodies or tokens.
 */
export const requestLogPlugin: Plugin<{ dataPlaneId: string; write?: (line: string) => void }> = {
  name: 'request-log',
  register(server, { dataPlaneId, write = (line) => process.stdout.write(line) }) {
    server.events.on('response', (request) => {
      const ms = Date.now() - request.info.received;
      write(
        JSON.stringify({
          time: new Date().toISOString(),
          level: 'info',
          msg: 'request',
          data_plane: dataPlaneId,
          method: request.method.toUpperCase(),
          route: routeOf(request),
          path: request.path,
          status: statusOf(request),
          duration_ms: ms,
          request_id: request.info.id,
        }) + '\n',
      );
    });
  },
};
