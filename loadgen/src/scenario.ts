import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseDurationSeconds } from './duration.ts';
import type { FaultBody } from './faults.ts';
import { ROUTES, type MixWeights } from './issue/routes.ts';
import { UsageError } from './errors.ts';
import type { Settings } from './options.ts';
import {
  MAX_RATE,
  PATTERNS,
  spikeWindow,
  type PatternName,
  type PatternParams,
} from './schedule/patterns.ts';
import { parseThreshold } from './thresholds.ts';

// Named scenarios: one TypeScript file each under loadgen/scenarios/, the file name is the
// scenario's name. A scenario is a set of settings (flags the user types override them)
// plus, optionally, faults to inject through the API's admin routes while it runs.

export interface ScenarioFault {
  /** Environment whose data planes get the fault, e.g. 'prod'. */
  env: string;
  /**
   * When to inject it: a time from the start ('60s', '2m'), or 'spike-start' to follow the
   * spike (so `--spike-at` moves the fault with it). Cleared when the run ends, however it ends.
   */
  at: string;
  fault: FaultBody;
}

export interface Scenario {
  /** One line for `scenario --list`. */
  description: string;
  pattern: PatternName;
  /** Requests per second (ramp: the peak). */
  rate: number;
  duration: string;
  params?: {
    spikeAt?: string;
    spikeFor?: string;
    spikeX?: number;
    rampFrom?: number;
    rampPeakAt?: string;
  };
  /** Environments to target (default: all data planes of the stack). */
  env?: string[];
  mix?: Partial<MixWeights>;
  /** Share of invalid sends, 0..1. */
  invalid?: number;
  thresholds?: string[];
  faults?: ScenarioFault[];
}

export interface LoadedScenario {
  name: string;
  scenario: Scenario;
  settings: Settings;
  /** Faults with `at` in seconds, or 'spike-start' (resolved once flags are applied). */
  faults: { env: string; at: number | 'spike-start'; fault: FaultBody }[];
}

export const scenariosDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'scenarios');

export async function scenarioNames(dir = scenariosDir): Promise<string[]> {
  const files = await readdir(dir);
  return files
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => basename(f, '.ts'))
    .sort();
}

export async function listScenarios(
  dir = scenariosDir,
): Promise<{ name: string; description: string }[]> {
  const names = await scenarioNames(dir);
  return Promise.all(
    names.map(async (name) => ({
      name,
      description: (await importScenario(dir, name)).description,
    })),
  );
}

/** Loads a scenario by name and turns it into settings on top of `base`. */
export async function loadScenario(
  name: string,
  base: Settings,
  dir = scenariosDir,
): Promise<LoadedScenario> {
  const names = await scenarioNames(dir);
  if (!names.includes(name)) {
    throw new UsageError(
      `unknown scenario '${name}'; accepted: ${names.join(', ')} (see 'scenario --list')`,
    );
  }
  const scenario = await importScenario(dir, name);
  return { name, scenario, ...scenarioSettings(name, scenario, base) };
}

/** Validates a scenario's fields; errors name the file and the field. */
export function scenarioSettings(
  name: string,
  s: Scenario,
  base: Settings,
): Omit<LoadedScenario, 'name' | 'scenario'> {
  const where = `scenarios/${name}.ts`;
  const fail = (field: string, message: string): never => {
    throw new UsageError(`${where}: ${field}: ${message}`);
  };
  const seconds = (field: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    return (
      parseDurationSeconds(text) ?? fail(field, `'${text}' is not a duration such as 90s or 5m`)
    );
  };
  if (!PATTERNS.includes(s.pattern)) fail('pattern', `must be one of ${PATTERNS.join(', ')}`);
  if (!(s.rate > 0 && s.rate <= MAX_RATE)) fail('rate', `must be > 0 and <= ${MAX_RATE} (req/s)`);
  const duration = seconds('duration', s.duration) as number;
  const params: PatternParams = {};
  const p = s.params ?? {};
  if (p.spikeAt !== undefined) params.spikeAt = seconds('params.spikeAt', p.spikeAt) as number;
  if (p.spikeFor !== undefined) params.spikeFor = seconds('params.spikeFor', p.spikeFor) as number;
  if (p.spikeX !== undefined)
    params.spikeX = p.spikeX > 0 ? p.spikeX : fail('params.spikeX', 'must be > 0');
  if (p.rampFrom !== undefined)
    params.rampFrom = p.rampFrom >= 0 ? p.rampFrom : fail('params.rampFrom', 'must be >= 0');
  if (p.rampPeakAt !== undefined)
    params.rampPeakAt = seconds('params.rampPeakAt', p.rampPeakAt) as number;
  const mix = { ...base.mix, ...s.mix };
  for (const route of Object.keys(mix)) {
    if (!ROUTES.includes(route as never))
      fail('mix', `unknown route '${route}'; accepted: ${ROUTES.join(', ')}`);
  }
  if (s.invalid !== undefined && !(s.invalid >= 0 && s.invalid <= 1))
    fail('invalid', 'must be from 0 to 1');
  const thresholds = (s.thresholds ?? []).map((t) => {
    try {
      return parseThreshold(t);
    } catch (err) {
      return fail('thresholds', (err as Error).message);
    }
  });
  const faults = (s.faults ?? []).map((f, i) => ({
    env: f.env,
    at:
      f.at === 'spike-start'
        ? ('spike-start' as const)
        : (seconds(`faults[${i}].at`, f.at) as number),
    fault: f.fault,
  }));
  if (faults.some((f) => f.at === 'spike-start') && s.pattern !== 'spike') {
    fail('faults', "'spike-start' needs the spike pattern");
  }
  return {
    settings: {
      ...base,
      pattern: s.pattern,
      rate: s.rate,
      duration,
      params: { ...base.params, ...params },
      filters: { ...base.filters, ...(s.env ? { envs: s.env } : {}) },
      mix,
      invalidShare: s.invalid ?? base.invalidShare,
      thresholds,
    },
    faults,
  };
}

/** Fault times in seconds once the final settings (flags included) are known. */
export function faultTimes(
  loaded: LoadedScenario['faults'],
  settings: Settings,
): { env: string; atS: number; fault: FaultBody }[] {
  return loaded.map((f) => ({
    env: f.env,
    atS: f.at === 'spike-start' ? spikeWindow(settings.duration, settings.params).at : f.at,
    fault: f.fault,
  }));
}

async function importScenario(dir: string, name: string): Promise<Scenario> {
  const mod = (await import(pathToFileURL(join(dir, `${name}.ts`)).href)) as { default?: Scenario };
  if (!mod.default) {
    throw new UsageError(`scenarios/${name}.ts: must export a default scenario object`);
  }
  return mod.default;
}
