import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { table } from '../src/report/table.ts';
import type { RunResult } from '../src/run.ts';

// `npm run bench:loadgen`: how closely the generator holds 1k, 5k and 10k req/s against a
// minimal local server, and what CPU it uses doing it, with the generator pinned to one
// core and the server to the other (taskset). autocannon's maximum on the same server, in
// the same run, is shown for context: it is closed-model (as fast as responses come back),
// so it answers a different question. Goal (issue 7): achieved within 1 % of the target up
// to 5k req/s. About 70 s in all.

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'src', 'cli.ts');
const RATES = (process.env.LOADGEN_BENCH_RATES ?? '1000,5000,10000').split(',').map(Number);
const SECONDS = Number(process.env.LOADGEN_BENCH_SECONDS ?? 10);
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

  const rows: (string | number)[][] = [
    [
      'target req/s',
      'achieved req/s',
      'achieved/target',
      'dropped',
      'generator CPU',
      'p99 corrected',
      'p99 uncorrected',
    ],
  ];
  for (const rate of RATES) {
    console.error(`loadgen at ${rate} req/s for ${SECONDS}s...`);
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
    const result = JSON.parse(run.stdout) as RunResult;
    rows.push([
      rate,
      result.achievedRate.toFixed(0),
      `${((100 * result.achievedRate) / rate).toFixed(2)}%`,
      result.total.dropped,
      `${result.generatorCpu.percentOfOneCore}%`,
      `${result.total.latency.corrected.p99}ms`,
      `${result.total.latency.uncorrected.p99}ms`,
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
    `\nloadgen against a minimal node:http server, ${SECONDS}s per rate, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'})\n`,
  );
  console.log(table(rows));
  console.log(
    `\n  autocannon max (closed model, -c 50): ${acResult.requests.average.toFixed(0)} req/s, p99 ${acResult.latency.p99} ms`,
  );
}

try {
  await main();
} finally {
  for (const child of children) child.kill('SIGKILL');
}
