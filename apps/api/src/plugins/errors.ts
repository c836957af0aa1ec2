import Boom from '@hapi/boom';
import type { Lifecycle, Plugin, Request, ResponseToolkit } from '@hapi/hapi';
import type { ValidationError } from 'joi';
import { isUnmatched } from './metrics.ts';

/**
 * Every error answers JSON `{ statusCode, error, message, field?, rule? }`. Validation failures
 * name the field and the rule, and so do bodies that are not valid JSON, gzip or deflate; a known
 * path with the wrong method is a 405 with `Allow`; a shed or timed-out request (503) carries
 * `Retry-After`.
 */
export const errorsPlugin: Plugin<void> = {
  name: 'errors',
  register(server) {
    server.ext('onPreResponse', (request, h) => {
      const response = request.response;
      if (!Boom.isBoom(response)) return h.continue;
      const status = response.output.statusCode;

      if (status === 404 && isUnmatched(request)) {
        const allowed = allowedMethods(request);
        if (allowed.length > 0) {
          const error = Boom.methodNotAllowed(
            `${request.method.toUpperCase()} is not allowed on ${request.path}; use ${allowed.join(', ')}`,
          );
          error.output.headers.Allow = allowed.join(', ');
          return error;
        }
        response.output.payload.message = `no route ${request.method.toUpperCase()} ${request.path}; see docs/api.md for the routes`;
      }
      // hapi wraps a body it could not decode or parse around the underlying error.
      const cause =
        response.data instanceof Error ? (response.data as NodeJS.ErrnoException) : null;
      if (status === 400 && cause?.code?.startsWith('Z_')) {
        Object.assign(response.output.payload, {
          message: `body is not valid ${String(request.headers['content-encoding'])} data (Content-Encoding): ${cause.message}`,
          field: 'body',
          rule: 'body.encoding',
        });
      } else if (status === 400 && cause && /JSON/.test(response.message)) {
        Object.assign(response.output.payload, {
          message: `body is not valid JSON: ${cause?.message ?? response.message}`,
          field: 'body',
          rule: 'json.parse',
        });
      }
      if (status === 413) {
        Object.assign(response.output.payload, {
          message: `body is larger than the ${request.route.settings.payload?.maxBytes ?? 0} bytes accepted`,
          field: 'body',
          rule: 'body.maxBytes',
        });
      }
      const data = cause
        ? null
        : (response.data as { field?: string; rule?: string; message?: string } | null);
      if (data?.field)
        Object.assign(response.output.payload, { field: data.field, rule: data.rule });
      if (data?.message) response.output.payload.message = data.message;
      if (status === 503 && !data && timedOut(request)) {
        response.output.payload.message = `no response within the route timeout of ${String(request.route.settings.timeout?.server)} ms (API_ROUTE_TIMEOUT_MS)`;
      }
      if (status === 503) response.output.headers['Retry-After'] = '1';
      return h.continue;
    });
  },
};

/** True when hapi answered 503 because the route's server timeout passed. */
function timedOut(request: Request): boolean {
  const timeout = request.route.settings.timeout?.server;
  return typeof timeout === 'number' && Date.now() - request.info.received >= timeout;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;

function allowedMethods(request: Request): string[] {
  return METHODS.filter((method) => {
    const match = request.server.match(
      method.toLowerCase() as Lowercase<typeof method>,
      request.path,
    );
    return match !== null && (match.method as string) !== '_special';
  });
}

/**
 * failAction for every route's joi validation: a 400 naming the first failing field (its full
 * path, e.g. `quantity` or `items[0].id`) and the joi rule that failed.
 */
export const validationFailAction: Lifecycle.Method = (
  _request: Request,
  _h: ResponseToolkit,
  err,
) => {
  const detail = (err as ValidationError | undefined)?.details?.[0];
  if (!detail) throw err ?? Boom.badRequest('invalid request');
  const field = detail.path.length > 0 ? detail.path.join('.') : 'body';
  const message = detail.message.replace(/^"value"/, `"${field}"`);
  throw Boom.badRequest(message, { field, rule: detail.type });
};
