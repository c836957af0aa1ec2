import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
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
//   node apps/api/bench/instructions.ts [git ref ...]   (needs valgrind; about a minute a variant)
//
// Variants: metrics off and on from the working tree, and metrics on as of each ref given.

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const WINDOWS = Number(process.env.BENCH_WINDOWS ?? 1);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3000);
const LOOP = fileURLToPath(new URL('./inject-loop.ts', import.meta.url));
const run = promisify(execFile);

const work = mkdtempSync(join(tmpdir(), 'outpost-bench-instructions-'));
const variants = [
  { name: 'metrics off', root: ROOT, mode: 'off' },
  { name: 'metrics on', root: ROOT, mode: 'on' },
  ...process.argv
    .slice(2)
    .map((ref) => ({ name: `on @${ref}`, root: checkout(ref, work), mode: 'on' })),
];

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** Instructions per request of each window, per variant. */
const windows: number[][] = [];
for (const [i, v] of variants.entries()) {
  process.stderr.write(
    `${v.name}: counting ${WINDOWS} x ${REQUESTS} requests under callgrind...\n`,
  );
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
  `\nbench:api instructions — injected GET /api/products/{id}, median of ${WINDOWS} windows of ` +
  `${REQUESTS} requests after ${WARMUP} of warm-up; callgrind, node --single-threaded\n\n` +
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
