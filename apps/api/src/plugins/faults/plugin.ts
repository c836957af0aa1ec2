import Boom from '@hapi/boom';
import type { Plugin } from '@hapi/hapi';
import Joi from 'joi';
import { setTimeout as sleep } from 'node:timers/promises';
import { timingSafeEqual } from 'node:crypto';
import { MAX_FAULT_LATENCY_MS, type Fault } from '@outpost/outputs';
import type { Instruments } from '../../metrics/instruments.ts';
import { NEVER_SHED } from '../shedding/plugin.ts';
import { addedLatencyMs, failureChance, FaultSet, trackActiveFaults } from './fault-set.ts';

export type { Fault };

export interface FaultsOptions {
  /** Base simulated error rate (API_ERROR_RATE) applied to every /api route. */
  baseErrorRate: number;
  /** Base added latency (API_LATENCY_MS). */
  baseLatencyMs: number;
  adminToken: string | null;
  /** Where METRICS.faultsActive is kept; null without telemetry. */
  instruments: Instruments | null;
  /** Randomness source; tests make it deterministic. */
  random?: () => number;
  /** How added latency is waited for; tests record it instead of waiting. */
  sleep?: (ms: number) => Promise<unknown>;
}

/**
 * Runtime fault injection for demo incidents. Faults apply to the business routes (/api/...)
 * only, never to health, readiness or the admin routes themselves. Admin routes need
 * `Authorization: Bearer <API_ADMIN_TOKEN>`. One fault adds at most MAX_FAULT_LATENCY_MS; all
 * matching faults and the base together at most MAX_TOTAL_FAULT_LATENCY_MS.
 */
export const faultsPlugin: Plugin<FaultsOptions> = {
  name: 'faults',
  register(server, options) {
    const random = options.random ?? Math.random;
    const wait = options.sleep ?? sleep;
    const faults = new FaultSet();
    const publish = options.instruments
      ? trackActiveFaults(options.instruments.faultsActive)
      : () => {};

    server.auth.scheme('admin-token', () => ({
      authenticate(request, h) {
        const token = options.adminToken;
        if (!token) {
          throw Boom.forbidden(
            'admin routes are disabled: start the API with API_ADMIN_TOKEN set (at least 16 characters) to enable them',
          );
        }
        const header = String(request.headers.authorization ?? '');
        const match = /^Bearer (.+)$/i.exec(header);
        if (!match)
          throw Boom.unauthorized(
            'missing bearer token: send Authorization: Bearer <API_ADMIN_TOKEN>',
            'Bearer',
          );
        if (!sameSecret(match[1] ?? '', token))
          throw Boom.unauthorized('wrong admin token', 'Bearer');
        return h.authenticated({ credentials: { user: 'admin' } });
      },
    }));
    server.auth.strategy('admin', 'admin-token');

    const routeTemplates = () =>
      server
        .table()
        .map((r) => r.path)
        .filter((p) => p.startsWith('/api/'));

    const current = () => ({
      base: { errorRate: options.baseErrorRate, latencyMs: options.baseLatencyMs },
      faults: faults.list(),
    });

    server.route([
      {
        method: 'GET',
        path: '/admin/faults',
        options: { ...NEVER_SHED, auth: 'admin' },
        handler: () => current(),
      },
      {
        method: 'PUT',
        path: '/admin/faults',
        options: {
          ...NEVER_SHED,
          auth: 'admin',
          validate: {
            payload: Joi.object({
              errorRate: Joi.number().min(0).max(1),
              latencyMs: Joi.number().integer().min(0).max(MAX_FAULT_LATENCY_MS),
              route: Joi.string()
                .pattern(/^\/api\//)
                .max(200),
              method: Joi.string().valid('GET', 'POST', 'PUT', 'DELETE', 'PATCH').uppercase(),
            })
              .or('errorRate', 'latencyMs')
              .required(),
          },
        },
        handler(request) {
          const body = request.payload as Partial<Fault>;
          if (body.route && !routeTemplates().includes(body.route)) {
            throw Boom.badRequest(
              `unknown route template ${body.route}; one of ${[...new Set(routeTemplates())].join(', ')}`,
              {
                field: 'route',
                rule: 'any.only',
              },
            );
          }
          const fault: Fault = {
            errorRate: body.errorRate ?? 0,
            latencyMs: body.latencyMs ?? 0,
            route: body.route ?? null,
            method: body.method ?? null,
          };
          // One fault per (route, method): a new PUT replaces the old one for the same target.
          faults.put(fault);
          publish(faults.list());
          return current();
        },
      },
      {
        method: 'DELETE',
        path: '/admin/faults',
        options: { ...NEVER_SHED, auth: 'admin' },
        handler() {
          faults.clear();
          publish(faults.list());
          return current();
        },
      },
    ]);

    server.ext('onPreHandler', async (request, h) => {
      if (!request.route.path.startsWith('/api/')) return h.continue;
      const applicable = faults.matching(request.route.path, request.method.toUpperCase());
      const latency = addedLatencyMs(options.baseLatencyMs, applicable);
      if (latency > 0) await wait(latency);
      const failure = failureChance(options.baseErrorRate, applicable);
      if (failure > 0 && random() < failure) {
        throw Boom.internal('simulated failure', {
          message: 'simulated failure (fault injection)',
        });
      }
      return h.continue;
    });
  },
};

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
