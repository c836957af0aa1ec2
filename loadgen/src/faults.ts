import type { Fault } from '@outpost/outputs';
import { request } from 'undici';
import { UsageError } from './errors.ts';
import type { Target } from './targets.ts';

// Fault injection through the API's admin routes (PUT/DELETE /admin/faults, Bearer token
// from the stack outputs), used by scenarios such as the production incident.

/**
 * The body of PUT /admin/faults: any fields of the contract's `Fault`. A field left out takes
 * the API's default (0, or null for every route and every method); null itself is not sent.
 */
export type FaultBody = { [K in keyof Fault]?: NonNullable<Fault[K]> };

async function admin(target: Target, method: 'PUT' | 'DELETE', body?: FaultBody): Promise<void> {
  if (!target.adminToken) {
    throw new Error(`${target.name}: no adminToken in the stack outputs, so faults cannot be set`);
  }
  // undici's request rather than fetch: fetch refuses some ports (its "bad ports" list).
  const res = await request(new URL('admin/faults', target.url.replace(/\/?$/, '/')), {
    method,
    headers: {
      authorization: `Bearer ${target.adminToken}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(5000),
  });
  const text = await res.body.text();
  if (res.statusCode >= 300) {
    throw new Error(
      `${target.name}: ${method} /admin/faults answered ${res.statusCode} ${text.slice(0, 200)}`,
    );
  }
}

export function injectFault(target: Target, fault: FaultBody): Promise<void> {
  return admin(target, 'PUT', fault);
}

export function clearFaults(target: Target): Promise<void> {
  return admin(target, 'DELETE');
}

/**
 * A scenario's faults: injected at their times into the data planes of their environment,
 * and cleared on every plane that was touched when the run ends (however it ends).
 */
export class FaultPlan {
  readonly #steps: { env: string; atS: number; fault: FaultBody; targets: Target[] }[];
  readonly #log: (line: string) => void;
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #touched = new Set<Target>();

  /** Throws a UsageError naming the environment when a fault has no plane or no token to use. */
  constructor(
    faults: { env: string; atS: number; fault: FaultBody }[],
    targets: Target[],
    log: (line: string) => void,
  ) {
    this.#log = log;
    this.#steps = faults.map((f) => {
      const matching = targets.filter((t) => t.environment === f.env);
      if (matching.length === 0) {
        throw new UsageError(
          `the scenario injects faults into '${f.env}', but no targeted data plane has that environment`,
        );
      }
      const missing = matching.filter((t) => !t.adminToken).map((t) => t.name);
      if (missing.length) {
        throw new UsageError(
          `faults need the adminToken of ${missing.join(', ')}; the stack outputs have none (use --stack or --outputs with secrets)`,
        );
      }
      return { ...f, targets: matching };
    });
  }

  get empty(): boolean {
    return this.#steps.length === 0;
  }

  start(): void {
    for (const step of this.#steps) {
      this.#timers.push(
        setTimeout(() => {
          for (const target of step.targets) {
            this.#touched.add(target);
            injectFault(target, step.fault).then(
              () => this.#log(`fault injected on ${target.name}: ${JSON.stringify(step.fault)}`),
              (err: Error) => this.#log(`fault injection failed: ${err.message}`),
            );
          }
        }, step.atS * 1000),
      );
    }
  }

  /** Cancels pending injections and clears faults on every plane that got one. */
  async clear(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    await Promise.all(
      [...this.#touched].map((target) =>
        clearFaults(target).then(
          () => this.#log(`faults cleared on ${target.name}`),
          (err: Error) =>
            this.#log(
              `could not clear faults: ${err.message} (clear them with DELETE /admin/faults)`,
            ),
        ),
      ),
    );
  }
}
