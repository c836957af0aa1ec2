import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { table } from '../src/report/table.ts';
import type { RunResult } from '../src/report/result.ts';

// `npm run bench:loadgen`: how closely the generator holds 1k, 5k and 10k req/s against a
// minimal local server, and what CPU it uses doing it, with the generator pinned to one
// core and the server to the other (taskset). autocannon's maximum on the same server, in
// the same run, is shown for context: it is closed-model (as fast as responses come back),
// so it answers a different question. Goal (issue 7): achieved within 1 % of the target up
// to 5k req/s. Each rate runs REPEATS times (in turn, so drift hits them all alike) and the
// table shows medians with the spread of achieved/target. About 90 s in all.

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'src', 'cli.ts');
const RATES = (process.env.LOADGEN_BENCH_RATES ?? '1000,5000,10000').split(',').map(Number);
const SECONDS = Number(process.env.LOADGEN_BENCH_SECONDS ?? 6);
const REPEATS = Number(process.env.LOADGEN_BENCH_REPEATS ?? 3);
const canPin = spawnSync('taskset', ['-c', '0', 'true']).status === 0 && cpus().length >= 2;
const pin = (core: number, args: string[]): string[] =>
  canPin ? ['taskset', '-c', String(core), ...args] : args;
const children = new Set<ChildProcess>();

function start(argv: string[]): ChildProcess {
  const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

function output(
  child: ChildProcess,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

async function main(): Promise<void> {
  const server = start(pin(0, [process.execPath, join(here, 'minimal-server.ts')]));
  const port = await new Promise<number>((resolve, reject) => {
    server.stdout?.once('data', (c: Buffer) => resolve(Number(c.toString().trim())));
    server.once('exit', () => reject(new Error('the benchmark server did not start')));
  });
  const url = `http://127.0.0.1:${port}`;
  console.error(
    `server ${url}${canPin ? ' (server on core 0, generator on core 1)' : ' (taskset unavailable: not pinned)'}`,
  );

  const results = new Map<number, RunResult[]>(RATES.map((r) => [r, []]));
  for (let round = 1; round <= REPEATS; round++) {
    for (const rate of RATES) {
      console.error(`round ${round}/${REPEATS}: loadgen at ${rate} req/s for ${SECONDS}s...`);
      const run = await output(
        start(
          pin(1, [
            process.execPath,
            cli,
            '-t',
            url,
            '-r',
            String(rate),
            '-d',
            String(SECONDS),
            '--json',
            '-q',
            '--no-keys',
            '--connections',
            '32',
          ]),
        ),
      );
      if (run.code !== 0) throw new Error(`loadgen exited ${run.code}: ${run.stderr}`);
      results.get(rate)?.push(JSON.parse(run.stdout) as RunResult);
    }
  }
  const rows: (string | number)[][] = [
    [
      'target req/s',
      'achieved req/s',
      'achieved/target (min..max)',
      'dropped',
      'generator CPU',
      'loop delay max',
      'p50',
      'p99 corrected',
      'p99 uncorrected',
    ],
  ];
  for (const [rate, runs] of results) {
    const ratios = runs.map((r) => (100 * r.achievedRate) / rate);
    rows.push([
      rate,
      median(runs.map((r) => r.achievedRate)).toFixed(0),
      `${median(ratios).toFixed(2)}% (${Math.min(...ratios).toFixed(2)}..${Math.max(...ratios).toFixed(2)})`,
      median(runs.map((r) => r.total.dropped)),
      `${median(runs.map((r) => r.generatorCpu.percentOfOneCore)).toFixed(1)}%`,
      `${median(runs.map((r) => r.generatorLoopDelay.max)).toFixed(1)}ms`,
      `${median(runs.map((r) => r.total.latency.corrected.p50)).toFixed(2)}ms`,
      `${median(runs.map((r) => r.total.latency.corrected.p99)).toFixed(2)}ms`,
      `${median(runs.map((r) => r.total.latency.uncorrected.p99)).toFixed(2)}ms`,
    ]);
  }

  console.error(`autocannon (closed model, 50 connections) for ${SECONDS}s...`);
  const autocannon = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  const ac = await output(
    start(pin(1, [process.execPath, autocannon, '-c', '50', '-d', String(SECONDS), '-j', url])),
  );
  const acResult = JSON.parse(ac.stdout) as {
    requests: { average: number };
    latency: { p99: number };
  };

  server.kill('SIGTERM');
  console.log(
    `\nloadgen against a minimal node:http server: ${SECONDS}s per run, median of ${REPEATS} runs per rate, ` +
      `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}` +
      (canPin ? ', server pinned to core 0, generator to core 1\n' : ', not pinned (no taskset)\n'),
  );
  console.log(table(rows));
  console.log(
    `\n  autocannon max (closed model, -c 50): ${acResult.requests.average.toFixed(0)} req/s, p99 ${acResult.latency.p99} ms`,
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

try {
  await main();
} finally {
  for (const child of children) child.kill('SIGKILL');
}
