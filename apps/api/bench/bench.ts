import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../src/testing/process.ts';
import { checkout, ROOT } from './checkout.ts';
import {
  byOwner,
  diff,
  isIdle,
  isMetricsCode,
  readProfile,
  selfTimes,
  type Cost,
} from './profile.ts';

// npm run bench:api: the same API with metrics on (OTel SDK + Prometheus exporter) and off
// (OTEL_SDK_DISABLED=true), side by side in one run. Servers are pinned to core 0, this client
// to core 1 (the npm script runs it under taskset). Short bursts alternate between the variants
// so machine noise hits them alike; CPU time per request comes from /proc/<pid>/task/*/schedstat.
// Request logging is on in every variant (to /dev/null). After the measured rounds, one more
// burst per variant runs under the V8 CPU profiler (bench/profiler.ts) to name where the
// metrics' remaining cost goes.
//
// BENCH_ROUNDS (5), BENCH_BURST_SECONDS (3), BENCH_PROFILE_SECONDS (3; 0 skips the profile).
// BENCH_BASELINE=<git ref> adds a third variant, metrics on as of that commit (its apps/api/src),
// to compare a change with what it replaces in the same run. On a busy machine the rounds
// swing too much to see a few microseconds: bench/instructions.ts counts instructions instead.

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BURST_S = Number(process.env.BENCH_BURST_SECONDS ?? 3);
const PROFILE_S = Number(process.env.BENCH_PROFILE_SECONDS ?? 3);
const BASELINE = process.env.BENCH_BASELINE;
const CONNECTIONS = 32;
/** The goal: metrics cost under 5 % of throughput and of CPU per request. */
const GOAL = { throughput: 0.95, cpuPerRequest: 1.05 };
const MAIN = 'apps/api/src/main.ts';
const PROFILER = fileURLToPath(new URL('./profiler.ts', import.meta.url));
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Round {
  rps: number;
  p50: number;
  p99: number;
  cpuUsPerReq: number;
}

interface Variant {
  name: string;
  env: Record<string, string>;
  /** The repository checkout whose apps/api/src/main.ts runs. */
  root: string;
  child?: ChildProcess;
  url?: string;
  profileOut?: string;
  rounds: Round[];
}

const METRICS_ON = {
  OTEL_METRICS_EXPORTER: 'prometheus',
  OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
};
const work = mkdtempSync(join(tmpdir(), 'outpost-bench-api-'));
const on: Variant = { name: 'metrics on', env: METRICS_ON, root: ROOT, rounds: [] };
const off: Variant = {
  name: 'metrics off',
  env: { OTEL_SDK_DISABLED: 'true' },
  root: ROOT,
  rounds: [],
};
const baseline: Variant | null = BASELINE
  ? { name: `on @${BASELINE}`, env: METRICS_ON, root: checkout(BASELINE, work), rounds: [] }
  : null;
const variants = [on, off, ...(baseline ? [baseline] : [])];

for (const [i, v] of variants.entries()) await start(v, i);

const pidOf = (v: Variant) => v.child!.pid!;
let profiles: Map<Variant, { costs: Cost[]; requests: number }> | null = null;
try {
  log(`warming up ${variants.length} variants...`);
  for (const v of variants) await burst(v, 2);
  for (let round = 1; round <= ROUNDS; round += 1) {
    // Rotate who goes first, so no variant always follows the same one.
    const order = variants.map((_, i) => variants[(i + round) % variants.length]!);
    for (const v of order) {
      const cpuBefore = cpuNs(pidOf(v));
      const result = await burst(v, BURST_S);
      const cpuUs = (cpuNs(pidOf(v)) - cpuBefore) / 1000;
      v.rounds.push({
        rps: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        cpuUsPerReq: cpuUs / Math.max(1, result.requests.total),
      });
    }
    log(
      `round ${round}/${ROUNDS}: ` +
        variants
          .map((v) => {
            const r = v.rounds.at(-1)!;
            return `${v.name} ${r.rps.toFixed(0)} req/s ${r.cpuUsPerReq.toFixed(1)} µs/req`;
          })
          .join(', '),
    );
  }
  if (PROFILE_S > 0) profiles = await profile(variants);
} finally {
  for (const v of variants) v.child?.kill('SIGTERM');
}

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const spread = (xs: number[], digits = 3) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${med(s).toFixed(digits)}  (${s[0]!.toFixed(digits)} .. ${s.at(-1)!.toFixed(digits)})`;
};
const ratio = (a: Variant, b: Variant, f: (r: Round) => number) =>
  a.rounds.map((r, i) => f(r) / f(b.rounds[i]!));
const row = (label: string, f: (r: Round) => number, digits: number) =>
  `  ${label.padEnd(22)} ${variants.map((v) => med(v.rounds.map(f)).toFixed(digits).padStart(13)).join('')}\n`;
const verdict = (value: number, goal: number, atLeast: boolean) =>
  (atLeast ? value >= goal : value <= goal) ? 'met' : 'NOT met';
const rps = ratio(on, off, (r) => r.rps);
const cpu = ratio(on, off, (r) => r.cpuUsPerReq);

let out =
  `\nbench:api — GET /api/products/{id}, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${BURST_S} s bursts per variant;\n` +
  'server on core 0, client on core 1 (both on one 2-core machine, shared with other work)\n\n' +
  `  ${''.padEnd(22)} ${variants.map((v) => v.name.padStart(13)).join('')}\n` +
  row('throughput (req/s)', (r) => r.rps, 0) +
  row('latency p50 (ms)', (r) => r.p50, 1) +
  row('latency p99 (ms)', (r) => r.p99, 1) +
  row('CPU per request (µs)', (r) => r.cpuUsPerReq, 1) +
  `\n  ratio on/off, median (min .. max over ${ROUNDS} rounds)       goal\n` +
  `  throughput             ${spread(rps)}   >= ${GOAL.throughput}  ${verdict(med(rps), GOAL.throughput, true)}\n` +
  `  CPU per request        ${spread(cpu)}   <= ${GOAL.cpuPerRequest}  ${verdict(med(cpu), GOAL.cpuPerRequest, false)}\n`;
if (baseline) {
  out +=
    `\n  ${baseline.name} / off:  throughput ${spread(ratio(baseline, off, (r) => r.rps))}, ` +
    `CPU per request ${spread(ratio(baseline, off, (r) => r.cpuUsPerReq))}\n` +
    `  on / ${baseline.name}:  throughput ${spread(ratio(on, baseline, (r) => r.rps))}, ` +
    `CPU per request ${spread(ratio(on, baseline, (r) => r.cpuUsPerReq))}\n`;
}
if (profiles) {
  out += describeProfiles(on.name, profiles.get(on)!, profiles.get(off)!);
  if (baseline) out += describeProfiles(baseline.name, profiles.get(baseline)!, profiles.get(off)!);
}
process.stdout.write(out);
if (profiles) log(`profiles kept in ${work} (read them with apps/api/bench/profile.ts)`);

/** Starts a variant's server on core 0 and waits until it is ready. */
async function start(v: Variant, index: number): Promise<void> {
  const port = await freePort();
  const metricsPort = await freePort();
  v.profileOut = join(work, `profile-${index}.cpuprofile`);
  v.child = spawn(
    'taskset',
    ['-c', '0', process.execPath, '--import', PROFILER, join(v.root, MAIN)],
    {
      env: {
        PATH: process.env.PATH ?? '',
        HOST: '127.0.0.1',
        PORT: String(port),
        OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
        // Shedding would cut the comparison short; this measures the metrics' cost only.
        API_MAX_EVENT_LOOP_DELAY_MS: '0',
        BENCH_PROFILE_OUT: v.profileOut,
        ...v.env,
      },
      stdio: 'ignore',
    },
  );
  v.url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i += 1) {
    if (
      await fetch(`${v.url}/ready`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${v.name} did not become ready at ${v.url}`);
}

/** One profiled burst per variant (SIGUSR2 starts and stops bench/profiler.ts). */
async function profile(vs: Variant[]) {
  log(`profiling ${vs.map((v) => v.name).join(' and ')} for ${PROFILE_S} s each...`);
  const result = new Map<Variant, { costs: Cost[]; requests: number }>();
  for (const v of vs) {
    v.child!.kill('SIGUSR2');
    await new Promise((r) => setTimeout(r, 200));
    const { requests } = await burst(v, PROFILE_S);
    v.child!.kill('SIGUSR2');
    for (let i = 0; i < 100 && !existsSync(v.profileOut!); i += 1) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 200)); // let the write finish
    const costs = selfTimes(readProfile(v.profileOut!)).filter((c) => !isIdle(c));
    result.set(v, { costs, requests: requests.total });
  }
  return result;
}

/** The profile's answer: the metrics' own code, heaviest first, and the largest extra costs. */
function describeProfiles(
  name: string,
  a: { costs: Cost[]; requests: number },
  b: { costs: Cost[]; requests: number },
): string {
  const us = (c: Cost) => (c.selfUs / a.requests).toFixed(2).padStart(6);
  const busy = (p: typeof a) => p.costs.reduce((s, c) => s + c.selfUs, 0) / p.requests;
  const own = a.costs.filter((c) => isMetricsCode(c.owner));
  const ownTotal = own.reduce((s, c) => s + c.selfUs, 0);
  const extra = diff(byOwner(a.costs), a.requests, byOwner(b.costs), b.requests).filter(
    (d) => d.delta > 0,
  );
  return (
    `\n  CPU profile of ${name}, ${PROFILE_S} s (self time, µs per request; sampling adds overhead):\n` +
    `  busy time ${busy(a).toFixed(1)} vs ${busy(b).toFixed(1)} with metrics off; metrics code ` +
    `(OpenTelemetry packages and our metrics modules) ${(ownTotal / a.requests).toFixed(2)} µs, ` +
    `${((100 * ownTotal) / a.costs.reduce((s, c) => s + c.selfUs, 0)).toFixed(1)} % of busy time\n` +
    `  heaviest remaining metrics cost: ${own[0] ? `${own[0].key}, ${us(own[0]).trim()} µs per request` : 'none sampled'}\n` +
    own
      .slice(0, 6)
      .map((c) => `    ${us(c)}  ${c.key}\n`)
      .join('') +
    `  largest extra self time by owner, minus metrics off (noisy: sampling):\n` +
    extra
      .slice(0, 5)
      .map(
        (d) =>
          `    ${d.delta.toFixed(2).padStart(6)}  ${d.key}  (${d.a.toFixed(2)} vs ${d.b.toFixed(2)})\n`,
      )
      .join('')
  );
}

function burst(v: Variant, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: `${v.url}/api/products/p-001`,
    connections: CONNECTIONS,
    duration: seconds,
  });
}

/** CPU time of every thread of a process, nanoseconds (schedstat's first field). */
function cpuNs(pid: number): number {
  // taskset execs node, so the pid is node's own.
  return readdirSync(`/proc/${pid}/task`).reduce(
    (sum, tid) =>
      sum + Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]),
    0,
  );
}
