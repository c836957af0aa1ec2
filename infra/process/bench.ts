import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStackConfigFile } from '../config.ts';
import { startPlatform } from './platform.ts';
import { eventually, findPortOffset, promQuery } from './test-support.ts';

// npm run bench:stack: the local stack as `npm start` runs it (three planes, each with its
// collector, qa pushing through the gateway; Prometheus with its Thanos sidecar, Query, Store,
// Compactor; Alertmanager; the dashboard when built), with its default intervals, from a cold
// start. Budgets (docs/benchmarks.md): healthy <= 5 s, first request data through queryUrl
// <= 15 s, request-to-query freshness <= 16 s (max of 5), <= 1 GB RSS in all.

const SAMPLES = Number(process.env.BENCH_FRESHNESS_SAMPLES ?? 5);
const ROOT = join(import.meta.dirname, '..', '..');
const log = (line: string) => process.stderr.write(`${line}\n`);

const offset = await findPortOffset(readStackConfigFile('local', ROOT));
const t0 = performance.now();
const platform = await startPlatform({
  stack: 'local',
  portOffset: offset,
  runDir: mkdtempSync(join(tmpdir(), 'bench-stack-')),
});
const healthy = (performance.now() - t0) / 1000;
log(`healthy after ${healthy.toFixed(1)} s (${platform.children.length} processes)`);
const query = platform.outputs.queryUrl!;

try {
  const plane = platform.outputs.dataPlanes[0]!;
  await fetch(`${plane.apiUrl}/api/products`);
  await eventually(
    'first request data through Thanos Query',
    async () =>
      (
        await promQuery(
          query,
          `sum(http_server_request_duration_seconds_count{data_plane="${plane.id}"})`,
        )
      )[0] !== undefined,
    60_000,
  );
  const firstData = (performance.now() - t0) / 1000;
  log(`first request data through ${query} after ${firstData.toFixed(1)} s`);

  const orders = `sum(app_orders_created_total{data_plane="${plane.id}"}) or vector(0)`;
  const delays: number[] = [];
  for (let i = 0; i < SAMPLES; i += 1) {
    await new Promise((r) => setTimeout(r, Math.random() * 3000)); // land at a random phase
    const before = Number((await promQuery(query, orders))[0]?.value[1] ?? 0);
    const sent = performance.now();
    await fetch(`${plane.apiUrl}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ product_id: 'p-001', quantity: 1 }),
    });
    await eventually(
      'the order to show through Thanos Query',
      async () => Number((await promQuery(query, orders))[0]?.value[1] ?? 0) > before,
      60_000,
    );
    delays.push((performance.now() - sent) / 1000);
    log(`freshness sample ${i + 1}/${SAMPLES}: ${delays.at(-1)!.toFixed(1)} s`);
  }

  // Memory once everything has run for a while: by part, heaviest first. RSS counts pages
  // shared between processes (one binary's code in the three collectors, four Thanos parts,
  // six Node programs) once per process; PSS splits them, so its sum is what the stack takes.
  const parts = new Map<string, { rss: number; pss: number }>();
  const add = (part: string, pid: number) => {
    const { rss, pss } = memoryOf(pid);
    const sum = parts.get(part) ?? { rss: 0, pss: 0 };
    parts.set(part, { rss: sum.rss + rss / 1024, pss: sum.pss + pss / 1024 });
  };
  for (const child of platform.children)
    add(child.spec.name.replace(/^acme-[a-z]+-/, 'plane ').replace(/^local-/, ''), child.pid ?? 0);
  add('supervisor (npm start)', process.pid);
  const total = [...parts.values()].reduce((a, b) => a + b.rss, 0);
  const totalPss = [...parts.values()].reduce((a, b) => a + b.pss, 0);

  const within = (ok: boolean) => (ok ? 'within' : 'MISSED');
  const max = Math.max(...delays);
  const rows: Array<[string, string, string]> = [
    ['start to all healthy', `${healthy.toFixed(1)} s`, `<= 5 s, ${within(healthy <= 5)}`],
    [
      'start to first request data via queryUrl',
      `${firstData.toFixed(1)} s`,
      `<= 15 s, ${within(firstData <= 15)}`,
    ],
    [`freshness max (${SAMPLES} samples)`, `${max.toFixed(1)} s`, `<= 16 s, ${within(max <= 16)}`],
    ['RSS of every process', `${total.toFixed(0)} MB`, `<= 1024 MB, ${within(total <= 1024)}`],
    ['PSS of every process', `${totalPss.toFixed(0)} MB`, 'none: shared pages counted once'],
  ];
  process.stdout.write(
    `\nbench:stack: stack local, ${platform.children.length} processes, scrape ${platform.outputs.scrapeInterval}, ` +
      `API export every 2 s (2 cores shared with the load)\n\n` +
      rows.map(([a, b, c]) => `  ${a.padEnd(44)} ${b.padStart(10)}   goal ${c}`).join('\n') +
      `\n\n  freshness samples: ${delays.map((d) => d.toFixed(1)).join(', ')} s\n\nMemory by part (MB):        RSS    PSS\n` +
      [...parts.entries()]
        .sort((a, b) => b[1].rss - a[1].rss)
        .map(
          ([part, mb]) =>
            `  ${part.padEnd(28)} ${mb.rss.toFixed(0).padStart(4)}   ${mb.pss.toFixed(0).padStart(4)}`,
        )
        .join('\n') +
      '\n\nFreshness is the API export interval (2 s) + the collector batch (1 s) + the scrape interval\n' +
      '(10 s) + Thanos Query reading the sidecar: at most about 14 s, whatever the phase.\n',
  );
} finally {
  await platform.stop();
}

/** Resident and proportional set size of a process in KiB, 0 when it is gone. */
function memoryOf(pid: number): { rss: number; pss: number } {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kib = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    return { rss: kib('Rss'), pss: kib('Pss') };
  } catch {
    return { rss: 0, pss: 0 };
  }
}
