import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '../src/testing/process.ts';

// npm run bench:api: the same API with metrics on (OTel SDK + Prometheus exporter) and off
// (OTEL_SDK_DISABLED=true), side by side in one run. Servers are pinned to core 0, this client
// to core 1 (the npm script runs it under taskset). Short bursts alternate between the two so
// machine noise hits both alike; CPU time per request comes from /proc/<pid>/task/*/schedstat.
// Request logging is on in both variants (to /dev/null).

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BURST_S = Number(process.env.BENCH_BURST_SECONDS ?? 3);
const CONNECTIONS = 32;
const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Variant {
  name: 'metrics on' | 'metrics off';
  env: Record<string, string>;
  child?: ChildProcess;
  url?: string;
  rounds: Array<{ rps: number; p50: number; p99: number; cpuUsPerReq: number }>;
}

const variants: Variant[] = [
  {
    name: 'metrics on',
    env: { OTEL_METRICS_EXPORTER: 'prometheus', OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1' },
    rounds: [],
  },
  { name: 'metrics off', env: { OTEL_SDK_DISABLED: 'true' }, rounds: [] },
];

for (const v of variants) {
  const port = await freePort();
  const metricsPort = await freePort();
  v.child = spawn('taskset', ['-c', '0', process.execPath, MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
      // Shedding would cut the comparison short; this measures the metrics' cost only.
      API_MAX_EVENT_LOOP_DELAY_MS: '0',
      ...v.env,
    },
    stdio: 'ignore',
  });
  v.url = `http://127.0.0.1:${port}`;
  for (
    let i = 0;
    i < 100 &&
    !(await fetch(`${v.url}/ready`).then(
      (r) => r.ok,
      () => false,
    ));
    i += 1
  ) {
    await new Promise((r) => setTimeout(r, 100));
  }
}

const pidOf = (v: Variant) => v.child!.pid!;
try {
  log(`warming up both variants...`);
  for (const v of variants) await burst(v, 2);
  for (let round = 1; round <= ROUNDS; round += 1) {
    const order = round % 2 ? variants : [...variants].reverse();
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
    const [on, off] = variants.map((v) => v.rounds.at(-1)!);
    log(
      `round ${round}/${ROUNDS}: on ${on!.rps.toFixed(0)} req/s, off ${off!.rps.toFixed(0)} req/s`,
    );
  }
} finally {
  for (const v of variants) v.child?.kill('SIGTERM');
}

const [on, off] = variants as [Variant, Variant];
const ratio = (f: (r: Variant['rounds'][number]) => number) =>
  on.rounds.map((r, i) => f(r) / f(off.rounds[i]!));
const fmt = (xs: number[], digits = 3) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[Math.floor(s.length / 2)]!.toFixed(digits)}  (${s[0]!.toFixed(digits)} .. ${s.at(-1)!.toFixed(digits)})`;
};
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
process.stdout.write(
  `\nbench:api — GET /api/products/{id}, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${BURST_S} s bursts per variant;\n` +
    'server on core 0, client on core 1 (both on one 2-core machine)\n\n' +
    `                         metrics on   metrics off\n` +
    `  throughput (req/s)     ${med(on.rounds.map((r) => r.rps))
      .toFixed(0)
      .padStart(10)}   ${med(off.rounds.map((r) => r.rps))
      .toFixed(0)
      .padStart(11)}\n` +
    `  latency p50 (ms)       ${med(on.rounds.map((r) => r.p50))
      .toFixed(1)
      .padStart(10)}   ${med(off.rounds.map((r) => r.p50))
      .toFixed(1)
      .padStart(11)}\n` +
    `  latency p99 (ms)       ${med(on.rounds.map((r) => r.p99))
      .toFixed(1)
      .padStart(10)}   ${med(off.rounds.map((r) => r.p99))
      .toFixed(1)
      .padStart(11)}\n` +
    `  CPU per request (µs)   ${med(on.rounds.map((r) => r.cpuUsPerReq))
      .toFixed(1)
      .padStart(10)}   ${med(off.rounds.map((r) => r.cpuUsPerReq))
      .toFixed(1)
      .padStart(11)}\n\n` +
    `  ratio on/off, median (min .. max over ${ROUNDS} rounds)\n` +
    `  throughput             ${fmt(ratio((r) => r.rps))}\n` +
    `  CPU per request        ${fmt(ratio((r) => r.cpuUsPerReq))}\n\n` +
    `Goal: metrics cost under 5 % of throughput (throughput ratio >= 0.95).\n`,
);

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
