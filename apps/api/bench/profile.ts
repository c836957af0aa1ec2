import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Reads V8 .cpuprofile files (node --cpu-prof) and sums self time by function and by package.
// `node apps/api/bench/profile.ts on.cpuprofile [off.cpuprofile] [--requests ON,OFF]` prints the
// top functions of one profile, or of two side by side (per request when the counts are given).

export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }>;
  samples: number[];
  timeDeltas: number[];
}

export interface Cost {
  /** `function (package file:line)`, a stable key across two profiles of the same code. */
  key: string;
  /** Package (`@opentelemetry/sdk-metrics`), `api: <file>` for our own code, or `node`/`v8`. */
  owner: string;
  /** Self time, microseconds. */
  selfUs: number;
}

/** Where a script belongs: its npm package, our own source file, Node's internals or V8. */
export function ownerOf(url: string, functionName = ''): string {
  if (!url) return functionName.startsWith('(') ? `v8 ${functionName}` : 'v8 (native)';
  if (url.startsWith('node:')) return 'node';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1]!;
  const own = /apps\/api\/(src|bench)\/(.+)$/.exec(url);
  if (own) return `api: ${own[2]}`;
  return url.replace(/^file:\/\//, '');
}

/** Self time by function (samples times their time deltas), heaviest first. */
export function selfTimes(profile: CpuProfile): Cost[] {
  const byNode = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    byNode.set(id, (byNode.get(id) ?? 0) + Math.max(0, profile.timeDeltas[i] ?? 0));
  });
  const byKey = new Map<string, Cost>();
  for (const node of profile.nodes) {
    const us = byNode.get(node.id);
    if (!us) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const owner = ownerOf(url, functionName);
    const file = url.split('/').at(-1) ?? '';
    const key = url
      ? `${functionName || '(anonymous)'} (${owner.startsWith('api: ') ? '' : `${owner} `}${file}:${lineNumber + 1})`
      : functionName;
    const cost = byKey.get(key) ?? { key, owner, selfUs: 0 };
    cost.selfUs += us;
    byKey.set(key, cost);
  }
  return [...byKey.values()].sort((a, b) => b.selfUs - a.selfUs);
}

/** Self time summed by owner (package, our file, node, v8), heaviest first. */
export function byOwner(costs: Cost[]): Cost[] {
  const owners = new Map<string, Cost>();
  for (const c of costs) {
    const o = owners.get(c.owner) ?? { key: c.owner, owner: c.owner, selfUs: 0 };
    o.selfUs += c.selfUs;
    owners.set(c.owner, o);
  }
  return [...owners.values()].sort((a, b) => b.selfUs - a.selfUs);
}

/** Idle time is not cost: `(idle)` samples are where the event loop waited. */
export const isIdle = (c: Cost) => c.key === '(idle)';

export interface Diff {
  key: string;
  owner: string;
  /** µs per request in the first profile, the second, and their difference. */
  a: number;
  b: number;
  delta: number;
}

/** Per-request self time of two profiles side by side, largest extra cost in `a` first. */
export function diff(a: Cost[], requestsA: number, b: Cost[], requestsB: number): Diff[] {
  const rows = new Map<string, Diff>();
  for (const c of a)
    rows.set(c.key, { key: c.key, owner: c.owner, a: c.selfUs / requestsA, b: 0, delta: 0 });
  for (const c of b) {
    const row = rows.get(c.key) ?? { key: c.key, owner: c.owner, a: 0, b: 0, delta: 0 };
    row.b = c.selfUs / requestsB;
    rows.set(c.key, row);
  }
  for (const row of rows.values()) row.delta = row.a - row.b;
  return [...rows.values()].sort((x, y) => y.delta - x.delta);
}

/**
 * The metrics' own work in a profile: OpenTelemetry packages and our metrics modules. Costs they
 * cause elsewhere (GC of their garbage, hapi's event emitter) only show in a diff against the
 * metrics-off profile.
 */
export const isMetricsCode = (owner: string) =>
  owner.startsWith('@opentelemetry/') ||
  owner === 'api: plugins/metrics.ts' ||
  owner.startsWith('api: metrics/');

export const readProfile = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const reqFlag = args.indexOf('--requests');
  const counts = reqFlag >= 0 ? args.splice(reqFlag, 2)[1]!.split(',').map(Number) : [];
  const [first, second] = args;
  if (!first) {
    process.stderr.write('usage: profile.ts a.cpuprofile [b.cpuprofile] [--requests A,B]\n');
    process.exit(2);
  }
  const a = selfTimes(readProfile(first)).filter((c) => !isIdle(c));
  const unit = counts.length ? 'µs/req' : 'ms';
  const scaleA = counts[0] ?? 1000;
  if (!second) {
    const total = a.reduce((s, c) => s + c.selfUs, 0);
    for (const [title, rows] of [
      ['functions', a],
      ['owners', byOwner(a)],
    ] as const) {
      process.stdout.write(`\nself time by ${title} (${unit}, share of busy time)\n`);
      for (const c of rows.slice(0, 25)) {
        process.stdout.write(
          `  ${(c.selfUs / scaleA).toFixed(2).padStart(9)}  ${((100 * c.selfUs) / total).toFixed(1).padStart(5)} %  ${c.key}\n`,
        );
      }
    }
  } else {
    const b = selfTimes(readProfile(second)).filter((c) => !isIdle(c));
    const [ra, rb] = [counts[0] ?? 1000, counts[1] ?? 1000];
    for (const [title, rows] of [
      ['functions', diff(a, ra, b, rb)],
      ['owners', diff(byOwner(a), ra, byOwner(b), rb)],
    ] as const) {
      process.stdout.write(`\nself time by ${title}, first minus second (${unit})\n`);
      for (const d of rows.slice(0, 25)) {
        process.stdout.write(
          `  ${d.delta.toFixed(2).padStart(8)}  (${d.a.toFixed(2)} vs ${d.b.toFixed(2)})  ${d.key}\n`,
        );
      }
    }
  }
}
