import { parseArgs } from 'node:util';
import { parseDurationSeconds } from './duration.ts';
import { UsageError } from './errors.ts';
import { DEFAULT_MIX, parseMix, type MixWeights } from './issue/routes.ts';
import {
  DEFAULT_DURATION,
  MAX_RATE,
  PATTERNS,
  type PatternName,
  type PatternParams,
} from './schedule/patterns.ts';
import type { TargetFilters, TargetSource } from './targets.ts';
import { parseThreshold, type Threshold } from './thresholds.ts';

// Command-line flags. Parsing (node:util parseArgs) and validation are separate from the
// defaults: a scenario supplies its own settings as the base, and only the flags the user
// typed override it. Every error names the flag and what it accepts; the CLI exits 2.

export { UsageError };

/** Everything a run needs, after defaults, scenario and flags are combined. */
export interface Settings {
  pattern: PatternName;
  /** Requests per second (the base rate; the peak for ramp). */
  rate: number;
  /** Seconds. */
  duration: number;
  params: PatternParams;
  source: TargetSource;
  filters: TargetFilters;
  mix: MixWeights;
  /** Share of sends with an invalid body, 0..1. */
  invalidShare: number;
  thresholds: Threshold[];
  json: boolean;
  seed: number;
  connections: number;
  maxInFlight: number;
  timeoutMs: number;
  /** Live interval, milliseconds (undefined: 1 s on a terminal, 10 s otherwise). */
  intervalMs: number | undefined;
  controlPort: number | undefined;
  quiet: boolean;
  keys: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  pattern: 'steady',
  rate: 50,
  duration: DEFAULT_DURATION.steady,
  params: {},
  source: { kind: 'stack', stack: 'local' },
  filters: {},
  mix: DEFAULT_MIX,
  invalidShare: 0,
  thresholds: [],
  json: false,
  seed: 1,
  // Opened on demand (only 16 up front), so a high ceiling costs nothing until the target
  // slows down; too low a ceiling would cap throughput at connections / latency.
  connections: 128,
  maxInFlight: 1000,
  timeoutMs: 10_000,
  intervalMs: undefined,
  controlPort: undefined,
  quiet: false,
  keys: true,
};

export type Command =
  | { kind: 'help' }
  | { kind: 'list-scenarios' }
  | { kind: 'run'; pattern: PatternName | undefined; flags: Partial<Settings> }
  | { kind: 'scenario'; name: string; flags: Partial<Settings> };

const FLAGS = {
  stack: { type: 'string' },
  outputs: { type: 'string' },
  target: { type: 'string', short: 't', multiple: true },
  env: { type: 'string' },
  customer: { type: 'string' },
  plane: { type: 'string' },
  rate: { type: 'string', short: 'r' },
  duration: { type: 'string', short: 'd' },
  'spike-at': { type: 'string' },
  'spike-for': { type: 'string' },
  'spike-x': { type: 'string' },
  'ramp-from': { type: 'string' },
  'ramp-peak-at': { type: 'string' },
  mix: { type: 'string' },
  invalid: { type: 'string' },
  threshold: { type: 'string', multiple: true },
  json: { type: 'boolean' },
  seed: { type: 'string' },
  connections: { type: 'string' },
  'max-in-flight': { type: 'string' },
  timeout: { type: 'string' },
  interval: { type: 'string' },
  'control-port': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  keys: { type: 'boolean' },
  list: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const FLAG_LIST = Object.entries(FLAGS)
  .map(([name, f]) => ('short' in f ? `--${name} (-${f.short})` : `--${name}`))
  .join(', ');

export function parseCommandLine(argv: string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: FLAGS,
      allowPositionals: true,
      allowNegative: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError(rewordParseError(err as Error & { code?: string }));
  }
  const { values: v, positionals } = parsed;
  if (v.help) return { kind: 'help' };
  const flags = flagsToSettings(v);
  const [first, second, ...rest] = positionals;
  if (first === 'scenario') {
    if (v.list) return { kind: 'list-scenarios' };
    if (!second)
      throw new UsageError(
        "scenario: give a name, or --list to see them (e.g. 'scenario normal-operations')",
      );
    if (rest.length)
      throw new UsageError(`unexpected argument '${rest[0]}' after the scenario name`);
    return { kind: 'scenario', name: second, flags };
  }
  if (v.list) throw new UsageError("--list goes with 'scenario' ('scenario --list')");
  if (second !== undefined)
    throw new UsageError(`unexpected argument '${second}'; give one pattern`);
  if (first !== undefined && !PATTERNS.includes(first as PatternName)) {
    throw new UsageError(
      `unknown pattern '${first}'; accepted: ${PATTERNS.join(', ')}, or 'scenario <name>'`,
    );
  }
  return { kind: 'run', pattern: first as PatternName | undefined, flags };
}

/** Combines a base (defaults or a scenario's settings) with the flags the user gave. */
export function combine(
  base: Settings,
  pattern: PatternName | undefined,
  flags: Partial<Settings>,
): Settings {
  const chosen = pattern ?? base.pattern;
  const settings: Settings = {
    ...base,
    // A soak is long by definition: its default duration applies unless one was chosen.
    duration: pattern && pattern !== base.pattern ? DEFAULT_DURATION[pattern] : base.duration,
    ...flags,
    params: { ...base.params, ...flags.params },
    filters: { ...base.filters, ...flags.filters },
    pattern: chosen,
  };
  return settings;
}

type Values = ReturnType<
  typeof parseArgs<{ options: typeof FLAGS; allowNegative: true }>
>['values'];

function flagsToSettings(v: Values): Partial<Settings> {
  const out: Partial<Settings> = {};
  const sources = [v.stack && '--stack', v.outputs && '--outputs', v.target && '--target'].filter(
    Boolean,
  );
  if (sources.length > 1)
    throw new UsageError(`use one of --stack, --outputs or --target, not ${sources.join(' and ')}`);
  if (v.stack !== undefined) {
    if (!/^[A-Za-z0-9_.-]+$/.test(v.stack))
      throw new UsageError(`--stack: '${v.stack}' is not a stack name (letters, digits, - _ .)`);
    out.source = { kind: 'stack', stack: v.stack };
  }
  if (v.outputs !== undefined) out.source = { kind: 'outputs', file: v.outputs };
  if (v.target !== undefined) out.source = { kind: 'urls', urls: v.target.map(checkUrl) };
  const filters: TargetFilters = {};
  if (v.env !== undefined) filters.envs = list('--env', v.env, 'prod,dev');
  if (v.customer !== undefined) filters.customer = v.customer;
  if (v.plane !== undefined) filters.planes = list('--plane', v.plane, 'acme-prod-01,acme-dev-01');
  if (Object.keys(filters).length) out.filters = filters;
  if (v.rate !== undefined)
    out.rate = positive('--rate', v.rate, 'requests per second, e.g. 100', MAX_RATE);
  if (v.duration !== undefined) out.duration = duration('--duration', v.duration);
  const params: PatternParams = {};
  if (v['spike-at'] !== undefined) params.spikeAt = duration('--spike-at', v['spike-at'], true);
  if (v['spike-for'] !== undefined) params.spikeFor = duration('--spike-for', v['spike-for']);
  if (v['spike-x'] !== undefined)
    params.spikeX = positive('--spike-x', v['spike-x'], 'a multiple of the rate, e.g. 5');
  if (v['ramp-from'] !== undefined)
    params.rampFrom = nonNegative('--ramp-from', v['ramp-from'], 'req/s, e.g. 0');
  if (v['ramp-peak-at'] !== undefined)
    params.rampPeakAt = duration('--ramp-peak-at', v['ramp-peak-at']);
  if (Object.keys(params).length) out.params = params;
  if (v.mix !== undefined) {
    try {
      out.mix = parseMix(v.mix);
    } catch (err) {
      throw new UsageError(`--mix: ${(err as Error).message}`);
    }
  }
  if (v.invalid !== undefined) out.invalidShare = share('--invalid', v.invalid);
  if (v.threshold !== undefined) {
    out.thresholds = v.threshold.map((t) => {
      try {
        return parseThreshold(t);
      } catch (err) {
        throw new UsageError(`--threshold: ${(err as Error).message}`);
      }
    });
  }
  if (v.json !== undefined) out.json = v.json;
  if (v.seed !== undefined) out.seed = integer('--seed', v.seed, 0, 2 ** 32 - 1);
  if (v.connections !== undefined)
    out.connections = integer('--connections', v.connections, 1, 10_000);
  if (v['max-in-flight'] !== undefined)
    out.maxInFlight = integer('--max-in-flight', v['max-in-flight'], 1, 1_000_000);
  if (v.timeout !== undefined) out.timeoutMs = duration('--timeout', v.timeout) * 1000;
  if (v.interval !== undefined)
    out.intervalMs = Math.max(100, duration('--interval', v.interval) * 1000);
  if (v['control-port'] !== undefined)
    out.controlPort = integer('--control-port', v['control-port'], 0, 65535);
  if (v.quiet !== undefined) out.quiet = v.quiet;
  if (v.keys !== undefined) out.keys = v.keys;
  return out;
}

function rewordParseError(err: Error & { code?: string }): string {
  const flag = /'([^']+)'/.exec(err.message)?.[1] ?? '';
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
    return `unknown flag ${flag}; accepted: ${FLAG_LIST}`;
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = /--[a-z-]+/.exec(err.message)?.[0] ?? flag;
    return /argument missing/.test(err.message)
      ? `${name} needs a value`
      : `${name} takes no value`;
  }
  return err.message;
}

function checkUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--target: '${text}' is not a URL; give http(s)://host:port`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--target: '${text}' must be http:// or https://`);
  }
  return text;
}

function list(flag: string, text: string, example: string): string[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0)
    throw new UsageError(`${flag}: give a comma-separated list, e.g. ${example}`);
  return items;
}

function positive(flag: string, text: string, what: string, max = Infinity): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0 || n > max) {
    const range = max === Infinity ? '> 0' : `> 0 and <= ${max}`;
    throw new UsageError(`${flag}: must be a number ${range} (${what}), got '${text}'`);
  }
  return n;
}

function nonNegative(flag: string, text: string, what: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new UsageError(`${flag}: must be a number >= 0 (${what}), got '${text}'`);
  return n;
}

function integer(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min || n > max)
    throw new UsageError(`${flag}: must be a whole number from ${min} to ${max}, got '${text}'`);
  return n;
}

function duration(flag: string, text: string, zeroAllowed = false): number {
  const s = parseDurationSeconds(text);
  if (s === undefined || (!zeroAllowed && s <= 0)) {
    throw new UsageError(
      `${flag}: must be a duration such as 90s, 5m, 1h, 500ms or plain seconds (30), got '${text}'`,
    );
  }
  return s;
}

function share(flag: string, text: string): number {
  const percent = text.trim().endsWith('%');
  const n = Number(percent ? text.trim().slice(0, -1) : text);
  const value = percent ? n / 100 : n;
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new UsageError(
      `${flag}: must be a share from 0 to 1 or a percentage (0.05 or 5%), got '${text}'`,
    );
  }
  return value;
}

export const HELP = `Usage: npm run loadgen -- [pattern] [options]
       npm run loadgen -- scenario <name> [options]    (scenario --list lists them)

Patterns: steady (default), spike, ramp, soak.  See docs/loadgen.md for details.

Targets (one of; default --stack local):
  --stack NAME            data planes from .run/NAME/outputs.json (process mode)
  --outputs FILE          data planes from a saved \`pulumi stack output --json\`
  -t, --target URL        an API base URL (repeatable)
  --env prod,dev          only these environments      --customer C   only this customer
  --plane ID,...          only these data planes (name or id); simulated planes only this way
Load:
  -r, --rate N            requests per second (ramp: the peak), at most ${MAX_RATE}  [50]
  -d, --duration D        90s, 5m, 1h or plain seconds              [60s; soak 30m]
  --spike-at D --spike-for D --spike-x N      spike shape [duration/3, min(30s, duration/3), 5]
  --ramp-from N --ramp-peak-at D              ramp shape  [0, duration/2]
  --mix browse=50,search=20,order=15,pay=10,report=5   route weights
  --invalid 5%            share of sends with an invalid body (expect 4xx)  [0]
  --connections N         keep-alive connections per target (at most)      [128]
  --max-in-flight N       sends in flight at once; due sends beyond it are dropped  [1000]
  --timeout D             per-request timeout                              [10s]
  --seed N                route mix and ids are reproducible with a seed   [1]
Output and control:
  --threshold EXPR        e.g. 'p95<300ms' 'errors<1%' 'dropped==0' 'achieved>=99%' (repeatable)
  --json                  full result as JSON on stdout
  --interval D            live line interval [1s on a terminal, 10s otherwise]
  -q, --quiet             no live line      --no-keys   ignore the keyboard
  --control-port N        GET /status, PUT /rate {"rate":N} on 127.0.0.1:N (0 picks a port)
Keys (terminal): up/+ and down/- rate 10 %, s spike, p or space pause, q quit.
Exit codes: 0 ok, 99 a threshold failed, 2 usage, 1 no target answers or a bug (stack
  printed), 130 interrupted.
`;
