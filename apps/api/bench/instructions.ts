import autocannon from 'autocannon';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '../src/testing/process.ts';
import { checkout, ROOT } from './checkout.ts';

// Instructions per request of the metrics, counted by valgrind (callgrind), not timed: on this
// shared machine CPU time per request swings by 2x between rounds, instruction counts repeat
// within 0.2 % from one run to the next. Each variant runs in its own process under callgrind
// with V8 on one thread (`--single-threaded`: no background compiler or GC threads), warms up,
// then counts WINDOWS windows of REQUESTS injected GET /api/products/{id} (bench/inject-loop.ts),
// scavenges and any mark-compact that falls in a window included; the median window is
// reported. Short windows differ by whether they hold a GC: keep them long.
// Injection skips the socket and HTTP parser, so the ratio here is larger than over HTTP; the
// difference on - off is the metrics' own cost.
//
//   node apps/api/bench/instructions.ts [--http] [git ref or directory ...]   (needs valgrind)
//
// Variants: metrics off and on from the working tree, and metrics on as of each ref given.
// `--http` counts the real server instead (main.ts with the request log on, as bench:api runs
// it), under 32 connections of autocannon, from BENCH_WARMUP responses on for BENCH_REQUESTS
// responses (bench/callgrind-window.ts); how many requests each event-loop turn serves varies,
// so it repeats less closely, and it takes a few minutes a variant (start-up is slow).

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const WINDOWS = Number(process.env.BENCH_WINDOWS ?? 1);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3000);
const LOOP = fileURLToPath(new URL('./inject-loop.ts', import.meta.url));
const WINDOW = fileURLToPath(new URL('./callgrind-window.ts', import.meta.url));
const HTTP = process.argv.includes('--http');
const refs = process.argv.slice(2).filter((a) => a !== '--http');
const run = promisify(execFile);

const work = mkdtempSync(join(tmpdir(), 'outpost-bench-instructions-'));
const variants = [
  { name: 'metrics off', root: ROOT, mode: 'off' },
  { name: 'metrics on', root: ROOT, mode: 'on' },
  // A ref, or a directory holding apps/api/src (an uncommitted variant).
  ...refs.map((ref) => ({
    name: `on @${basename(ref)}`,
    root: existsSync(join(ref, 'apps/api/src')) ? ref : checkout(ref, work),
    mode: 'on',
  })),
];

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** Instructions per request of each window, per variant. */
const windows: number[][] = [];
for (const [i, v] of variants.entries()) {
  process.stderr.write(
    `${v.name}: counting ${WINDOWS} x ${REQUESTS} requests under callgrind...\n`,
  );
  if (HTTP) {
    windows.push([(await countHttp(v)) / REQUESTS]);
    continue;
  }
  const dir = join(work, `variant-${i}`);
  mkdirSync(dir);
  await run(
    'valgrind',
    [
      '--tool=callgrind',
      '--instr-atstart=no',
      `--callgrind-out-file=${join(dir, 'callgrind.out')}`,
      process.execPath,
      '--single-threaded',
      LOOP,
      v.root,
      v.mode,
      String(REQUESTS),
      String(WARMUP),
      String(WINDOWS),
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  // callgrind.out.1 .. .N are the windows' dumps; callgrind.out is what ran after the last one.
  const dumps = readdirSync(dir).filter((f) => /\.\d+$/.test(f));
  if (dumps.length !== WINDOWS) throw new Error(`${v.name}: ${dumps.length} dumps in ${dir}`);
  windows.push(
    dumps.map((f) => {
      const summary = /^summary: (\d+)$/m.exec(readFileSync(join(dir, f), 'utf8'));
      if (!summary) throw new Error(`${v.name}: no summary in ${join(dir, f)}`);
      return Number(summary[1]) / REQUESTS;
    }),
  );
}
const counts = windows.map(med);

const off = counts[0]!;
let out =
  (HTTP
    ? `\nbench:api instructions — GET /api/products/{id} over HTTP, 32 connections, the server's ` +
      `${REQUESTS} responses after ${WARMUP} of warm-up; callgrind\n\n`
    : `\nbench:api instructions — injected GET /api/products/{id}, median of ${WINDOWS} windows of ` +
      `${REQUESTS} requests after ${WARMUP} of warm-up; callgrind, node --single-threaded\n\n`) +
  `  ${'variant'.padEnd(24)} ${'instructions/request'.padStart(21)} ${'minus off'.padStart(10)} ${'ratio'.padStart(7)}   windows (min .. max)\n`;
const k = (n: number) => `${(n / 1000).toFixed(1)}k`;
variants.forEach((v, i) => {
  const n = counts[i]!;
  const w = windows[i]!;
  out +=
    `  ${v.name.padEnd(24)} ${k(n).padStart(21)} ${k(n - off).padStart(10)} ${(n / off).toFixed(3).padStart(7)}` +
    `   ${k(Math.min(...w))} .. ${k(Math.max(...w))}\n`;
});
process.stdout.write(out);
rmSync(work, { recursive: true, force: true }); // the checkouts and callgrind's dumps

/** Instructions of the real server (main.ts) for REQUESTS responses after WARMUP. */
async function countHttp(v: { name: string; root: string; mode: string }): Promise<number> {
  const port = await freePort();
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      '--instr-atstart=no',
      '--callgrind-out-file=/dev/null',
      process.execPath,
      '--single-threaded',
      '--import',
      WINDOW,
      join(v.root, 'apps/api/src/main.ts'),
    ],
    {
      env: {
        PATH: process.env.PATH ?? '',
        HOST: '127.0.0.1',
        PORT: String(port),
        API_MAX_EVENT_LOOP_DELAY_MS: '0',
        BENCH_WARMUP: String(WARMUP),
        BENCH_REQUESTS: String(REQUESTS),
        ...(v.mode === 'on'
          ? {
              OTEL_METRICS_EXPORTER: 'prometheus',
              OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
              OTEL_EXPORTER_PROMETHEUS_PORT: String(await freePort()),
            }
          : { OTEL_SDK_DISABLED: 'true' }),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i += 1) {
    if (
      await fetch(`${url}/ready`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i > 600 || child.exitCode !== null) throw new Error(`${v.name} did not start:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  await autocannon({
    url: `${url}/api/products/p-001`,
    connections: 32,
    amount: WARMUP + REQUESTS + 100,
    timeout: 120,
  });
  child.kill('SIGTERM');
  await exited;
  const collected = /Collected : (\d+)/.exec(stderr);
  if (!collected) throw new Error(`${v.name}: no count from callgrind:\n${stderr.slice(-2000)}`);
  return Number(collected[1]);
}
