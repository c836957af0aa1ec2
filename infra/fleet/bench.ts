import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fleetPlanes } from './planes.ts';
import { parseExposition, startNode } from './testing.ts';

// What the simulator costs at fleet size: it serves FLEET_BENCH_PLANES planes (default 200), all
// scraped every FLEET_BENCH_INTERVAL seconds (10) for FLEET_BENCH_SECONDS (60), as Prometheus
// would; prints the simulator's CPU time and RSS (from /proc: Linux only) and one exposition's
// size. Usage: node infra/fleet/bench.ts

const positive = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`${name} must be a positive integer, got ${process.env[name]}`);
    process.exit(2);
  }
  return value;
};
const planeCount = positive('FLEET_BENCH_PLANES', 200);
const seconds = positive('FLEET_BENCH_SECONDS', 60);
const interval = positive('FLEET_BENCH_INTERVAL', 10);

const CLOCK_TICKS = 100; // USER_HZ, what /proc/<pid>/stat counts CPU time in on Linux

/** CPU seconds (user + system) and resident memory of a process, now and at its peak. */
function usage(pid: number) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) =>
    Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) * 1024;
  return {
    cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS,
    rssBytes: kb('VmRSS'),
    peakRssBytes: kb('VmHWM'),
  };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ms = (s: number) => `${(s * 1000).toFixed(1)} ms`;

const dir = mkdtempSync(join(tmpdir(), 'outpost-fleet-bench-'));
const planes = fleetPlanes(planeCount);
writeFileSync(join(dir, 'fleet.json'), JSON.stringify(planes));
const simulator = await startNode(
  [join(import.meta.dirname, 'simulator.ts')],
  { HOST: '127.0.0.1', PORT: '0', FLEET_FILE: join(dir, 'fleet.json') },
  /planes on (http:\/\/\S+) /,
);
try {
  const base = simulator.match[1]!;
  const pid = simulator.child.pid!;
  const atStart = usage(pid);
  const rounds: Array<{ cpuSeconds: number; wallSeconds: number; bytes: number }> = [];
  let sample = '';
  const started = performance.now();
  for (let round = 0; round * interval < seconds; round += 1) {
    const due = started + round * interval * 1000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    const before = usage(pid).cpuSeconds;
    const t0 = performance.now();
    const bodies = await Promise.all(
      planes.map(async (p) => {
        const res = await fetch(`${base}/planes/${p.id}/metrics`);
        if (res.status !== 200) throw new Error(`${p.id}: HTTP ${res.status}`);
        return res.text();
      }),
    );
    const wallSeconds = (performance.now() - t0) / 1000;
    const bytes = bodies.reduce((n, b) => n + Buffer.byteLength(b), 0);
    sample = bodies[0]!;
    // CPU time counts in 10 ms ticks: read it once the simulator has finished the round.
    await new Promise((resolve) => setTimeout(resolve, 200));
    rounds.push({ cpuSeconds: usage(pid).cpuSeconds - before, wallSeconds, bytes });
  }
  await new Promise((resolve) =>
    setTimeout(resolve, Math.max(0, started + seconds * 1000 - performance.now())),
  );
  const atEnd = usage(pid);

  const cpuTotal = atEnd.cpuSeconds - atStart.cpuSeconds;
  const cpuRounds = rounds.reduce((n, r) => n + r.cpuSeconds, 0);
  const series = parseExposition(sample).length;
  console.log(
    `fleet simulator, ${planeCount} planes scraped every ${interval} s for ${seconds} s (${rounds.length} rounds)`,
  );
  console.log(
    `  CPU after start-up: ${cpuTotal.toFixed(2)} s over ${seconds} s (${((100 * cpuTotal) / seconds).toFixed(2)} % of one core)`,
  );
  console.log(
    `  CPU per round of ${planeCount} scrapes: ${rounds.map((r) => ms(r.cpuSeconds)).join(', ')}`,
  );
  console.log(
    `  CPU per plane scrape: ${ms(cpuRounds / rounds.length / planeCount)} (mean); between rounds: ${ms(cpuTotal - cpuRounds)} in all`,
  );
  console.log(`  wall time of a round: ${rounds.map((r) => ms(r.wallSeconds)).join(', ')}`);
  console.log(
    `  RSS: ${mb(atStart.rssBytes)} at start, ${mb(atEnd.rssBytes)} at the end, ${mb(atEnd.peakRssBytes)} peak`,
  );
  console.log(
    `  one plane's exposition: ${Buffer.byteLength(sample)} bytes, ${series} series; a round: ${mb(rounds.at(-1)!.bytes)}`,
  );
} finally {
  await simulator.stop();
  rmSync(dir, { recursive: true, force: true });
}
