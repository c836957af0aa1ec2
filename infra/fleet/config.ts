import { readFileSync } from 'node:fs';
import type { FleetPlane } from './planes.ts';

// The simulator's configuration: the only place that reads its environment. Every error names
// the variable, what it holds and what it should hold; the program exits 2 on one.

/** Most planes one simulator serves (a fleet test needs 100-200). */
export const MAX_PLANES = 1000;

export interface FleetConfig {
  /** HOST: the interface to listen on. Default 127.0.0.1. */
  host: string;
  /** PORT: the port to listen on (required; 0 picks a free one, printed at start). */
  port: number;
  /** FLEET_SEED: the seed of every plane's traffic. Default 1. */
  seed: number;
  /** FLEET_FILE: the planes to simulate, a JSON array of { id, customer, environment }. */
  planes: FleetPlane[];
}

/** A configuration the simulator cannot run with: the fix is the operator's, not the code's. */
export class FleetConfigError extends Error {
  override name = 'FleetConfigError';
}

// The stack config's patterns (infra/config/schema.ts): these become label values and URL paths.
const NAME = /^[a-z0-9][a-z0-9-]{0,40}$/;
const ENVIRONMENT = /^[a-z][a-z0-9-]{0,30}$/;

/** Shows a value in a message, shortened so a message stays one readable line. */
const show = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

export function readFleetConfig(
  env: Record<string, string | undefined>,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): FleetConfig {
  const host = env.HOST ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(host)) {
    throw new FleetConfigError(`HOST must be a host name or IP address, got ${show(host)}`);
  }

  const portText = env.PORT;
  if (portText === undefined || !/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
    throw new FleetConfigError(
      `PORT must be a port number 0-65535 (0 picks a free one), got ${show(portText ?? '(unset)')}`,
    );
  }

  const seedText = env.FLEET_SEED ?? '1';
  const seed = Number(seedText);
  if (!/^-?\d+$/.test(seedText) || !Number.isSafeInteger(seed)) {
    throw new FleetConfigError(`FLEET_SEED must be an integer, got ${show(seedText)}`);
  }

  const file = env.FLEET_FILE;
  if (!file) {
    throw new FleetConfigError(
      'FLEET_FILE must name a JSON file listing the planes: [{ "id": "cust-001-prod-01", "customer": "cust-001", "environment": "prod" }, ...]',
    );
  }
  let text: string;
  try {
    text = readFile(file);
  } catch (err) {
    throw new FleetConfigError(`FLEET_FILE ${file} cannot be read: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new FleetConfigError(`FLEET_FILE ${file} is not JSON: ${(err as Error).message}`);
  }
  return { host, port: Number(portText), seed, planes: parsePlanes(parsed, file) };
}

function parsePlanes(value: unknown, file: string): FleetPlane[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_PLANES) {
    throw new FleetConfigError(
      `FLEET_FILE ${file} must hold an array of 1-${MAX_PLANES} planes, got ${show(value)}`,
    );
  }
  const seen = new Set<string>();
  return value.map((entry: unknown, i) => {
    const at = `FLEET_FILE ${file}, plane ${i}`;
    if (typeof entry !== 'object' || entry === null) {
      throw new FleetConfigError(
        `${at} must be an object { id, customer, environment }, got ${show(entry)}`,
      );
    }
    const { id, customer, environment } = entry as Record<string, unknown>;
    const check = (key: string, v: unknown, pattern: RegExp, hint: string): string => {
      if (typeof v !== 'string' || !pattern.test(v)) {
        throw new FleetConfigError(`${at}: ${key} must be ${hint}, got ${show(v)}`);
      }
      return v;
    };
    const names = 'lower-case letters, digits and dashes (e.g. cust-001-prod-01)';
    const plane = {
      id: check('id', id, NAME, names),
      customer: check('customer', customer, NAME, names),
      environment: check(
        'environment',
        environment,
        ENVIRONMENT,
        'a lower-case name such as prod, dev or qa',
      ),
    };
    if (seen.has(plane.id))
      throw new FleetConfigError(`${at}: id ${show(plane.id)} is listed twice`);
    seen.add(plane.id);
    return plane;
  });
}
