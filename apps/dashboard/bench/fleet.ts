import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { readStackConfigFile } from '../../../infra/config.ts';
import { startPlatform, type RunningPlatform } from '../../../infra/process/platform.ts';
import { findPortOffset } from '../../../infra/process/test-support.ts';
import { launchChromium } from '../tests/support.ts';

// npm run bench:fleet: what a fleet costs the control plane, and whether the overview keeps up.
// For 0 (the baseline: the stack's three real planes), 10, 50, 100 and 200 simulated planes
// (`startPlatform({ fleet: N })`, default intervals, dashboard on), each left running
// BENCH_SETTLE_S (120) so scrapes and rules settle: Prometheus's RSS and CPU (/proc, over the
// last BENCH_CPU_WINDOW_S of the run), its head series, the slowest rule group's last
// evaluation, the overview's server time (GET / BENCH_RUNS times, median) and its time until
// usable in Chromium (navigation start until the table is rendered and hydrated, a fresh
// context per load, median of BENCH_LOADS). Per plane = (value at N - baseline) / N.
// Prints a table; with BENCH_WRITE (default 1) writes docs/benchmarks.md's "Fleet" section and
// the chart docs/images/bench-fleet.svg; the figures are kept in .run/bench-fleet.json, and
// BENCH_FIGURES=<that file> renders the report again without measuring. Goal at 200 planes:
// server <= 1 s, usable <= 2 s.

const REPO = join(import.meta.dirname, '..', '..', '..');
const int = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`${name} must be a whole number, got ${process.env[name]}`);
    process.exit(2);
  }
  return value;
};
const SIZES = (process.env.BENCH_FLEET_SIZES ?? '0,10,50,100,200').split(',').map(Number);
if (SIZES[0] !== 0 || SIZES.some((n) => !Number.isInteger(n) || n < 0)) {
  console.error('BENCH_FLEET_SIZES must be whole numbers starting with 0 (the baseline)');
  process.exit(2);
}
const SETTLE_S = int('BENCH_SETTLE_S', 120);
const CPU_WINDOW_S = Math.min(int('BENCH_CPU_WINDOW_S', 60), SETTLE_S);
const RUNS = int('BENCH_RUNS', 10);
const LOADS = int('BENCH_LOADS', 5);
const WRITE = process.env.BENCH_WRITE !== '0';
const CLOCK_TICKS = 100; // USER_HZ: what /proc/<pid>/stat counts CPU time in
const GOAL = { serverMs: 1000, usableMs: 2000 };

const log = (line: string) =>
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** CPU seconds (user + system) and resident bytes of a process. */
function usage(pid: number): { cpuSeconds: number; rssBytes: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // After the command name (which may hold spaces): utime is field 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return {
    cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS,
    rssBytes: Number(rss ?? NaN) * 1024,
  };
}

async function instant(baseUrl: string, query: string): Promise<number> {
  const res = await fetch(`${baseUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await res.json()) as { data: { result: Array<{ value: [number, string] }> } };
  return Number(body.data.result[0]?.value[1] ?? NaN);
}

interface Figures {
  fleet: number;
  planes: number;
  rssMB: number;
  cpuCores: number;
  simulatorCores: number;
  headSeries: number;
  ruleGroupS: number;
  serverMs: number;
  serverMaxMs: number;
  usableMs: number;
  htmlKB: number;
  scrapeInterval: string;
}

/** The overview's server time: GET / `RUNS` times after a warm-up; checks every plane is in it. */
async function serverTimes(dashboard: string, planes: number) {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i <= RUNS; i += 1) {
    const t0 = performance.now();
    const res = await fetch(`${dashboard}/`);
    const html = await res.text();
    const ms = performance.now() - t0;
    if (!res.ok) throw new Error(`GET / answered ${res.status}`);
    const rows = html.match(/data-row="/g)?.length ?? 0;
    if (rows !== planes) throw new Error(`the overview shows ${rows} planes, expected ${planes}`);
    if (i > 0) times.push(ms); // the first is a warm-up
    bytes = html.length;
  }
  return { median: median(times), max: Math.max(...times), bytes };
}

/** Navigation start until the table is rendered and hydrated, a fresh context per load. */
async function usableTimes(dashboard: string, planes: number): Promise<number> {
  const browser = await launchChromium();
  try {
    const times: number[] = [];
    for (let i = 0; i <= LOADS; i += 1) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      const page = await context.newPage();
      // The layout marks <html data-hydrated> once hydrated; the table is server-rendered, so
      // that moment (ms since navigation start) is when it can be used.
      await page.addInitScript(() => {
        const w = window as unknown as { usableAt?: number };
        new MutationObserver((_, observer) => {
          if (document.documentElement?.hasAttribute('data-hydrated')) {
            w.usableAt = performance.now();
            observer.disconnect();
          }
        }).observe(document, { attributes: true, subtree: true });
      });
      await page.goto(`${dashboard}/`);
      await page.waitForSelector('html[data-hydrated]');
      const { usableAt, rows } = await page.evaluate(() => ({
        usableAt: (window as unknown as { usableAt?: number }).usableAt ?? NaN,
        rows: document.querySelectorAll('table[data-testid="planes"] tr[data-row]').length,
      }));
      await context.close();
      if (rows !== planes) throw new Error(`Chromium shows ${rows} planes, expected ${planes}`);
      if (i > 0) times.push(usableAt); // the first loads Chromium's own caches
    }
    return median(times);
  } finally {
    await browser.close();
  }
}

async function measure(fleet: number): Promise<Figures> {
  const config = readStackConfigFile('local', REPO);
  log(`fleet ${fleet}: starting the platform`);
  const platform: RunningPlatform = await startPlatform({
    stack: 'local',
    fleet,
    dashboard: true,
    portOffset: await findPortOffset(config),
    runDir: mkdtempSync(join(tmpdir(), `outpost-bench-fleet-${fleet}-`)),
  });
  try {
    const dashboard = platform.outputs.dashboardUrl;
    const prometheusUrl = platform.outputs.prometheusUrl;
    if (!dashboard)
      throw new Error('build the dashboard first: npm run build -w @outpost/dashboard');
    if (!prometheusUrl) throw new Error('stack local has no Prometheus');
    const pidOf = (program: string) => {
      const child = platform.children.find((c) => basename(c.spec.command) === program);
      if (!child?.pid) throw new Error(`no ${program} process`);
      return child.pid;
    };
    const prometheus = pidOf('prometheus');
    // The simulator serves every simulated plane (`<stack>-fleet`); it shares the cores.
    const simulator = platform.children.find((c) => c.spec.name.endsWith('-fleet'))?.pid;
    const planes = platform.outputs.dataPlanes.length;

    log(`fleet ${fleet}: ${planes} planes; settling ${SETTLE_S} s`);
    await sleep((SETTLE_S - CPU_WINDOW_S) * 1000);
    const before = usage(prometheus);
    const simBefore = simulator ? usage(simulator).cpuSeconds : 0;
    const t0 = performance.now();
    await sleep(CPU_WINDOW_S * 1000);
    const window = (performance.now() - t0) / 1000;
    const after = usage(prometheus);
    const simAfter = simulator ? usage(simulator).cpuSeconds : 0;

    const headSeries = await instant(prometheusUrl, 'prometheus_tsdb_head_series');
    const ruleGroupS = await instant(
      prometheusUrl,
      'max(prometheus_rule_group_last_duration_seconds)',
    );
    log(`fleet ${fleet}: timing the overview`);
    const server = await serverTimes(dashboard, planes);
    const usableMs = await usableTimes(dashboard, planes);
    const figures: Figures = {
      fleet,
      planes,
      rssMB: after.rssBytes / 1024 / 1024,
      cpuCores: (after.cpuSeconds - before.cpuSeconds) / window,
      simulatorCores: (simAfter - simBefore) / window,
      headSeries,
      ruleGroupS,
      serverMs: server.median,
      serverMaxMs: server.max,
      usableMs,
      htmlKB: server.bytes / 1024,
      scrapeInterval: platform.outputs.scrapeInterval,
    };
    log(`fleet ${fleet}: ${JSON.stringify(figures)}`);
    return figures;
  } finally {
    await platform.stop();
  }
}

// ---- report ----

const fixed = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : '–');

/** Per-plane cost at each size: (value - baseline) / simulated planes. */
function perPlane(all: Figures[], pick: (f: Figures) => number) {
  const base = pick(all[0]!);
  return all.slice(1).map((f) => (pick(f) - base) / f.fleet);
}

function table(all: Figures[]): string {
  const header =
    '| simulated planes | planes in all | Prometheus RSS | Prometheus CPU | head series | series / plane | slowest rule group | overview server time, median (max) | usable in Chromium, median | overview HTML |';
  const rows = all.map(
    (f) =>
      `| ${f.fleet === 0 ? '0 (baseline)' : f.fleet} | ${f.planes} | ${fixed(f.rssMB, 0)} MB | ${fixed(f.cpuCores * 1000, 0)} mcores | ${fixed(f.headSeries, 0)} | ${fixed(f.headSeries / f.planes, 0)} | ${fixed(f.ruleGroupS * 1000, 0)} ms | ${fixed(f.serverMs, 0)} ms (${fixed(f.serverMaxMs, 0)}) | ${fixed(f.usableMs, 0)} ms | ${fixed(f.htmlKB, 0)} KB |`,
  );
  return [header, `|${'---|'.repeat(10)}`, ...rows].join('\n');
}

function perPlaneTable(all: Figures[]): string {
  const rss = perPlane(all, (f) => f.rssMB);
  const cpu = perPlane(all, (f) => f.cpuCores * 1000);
  const series = perPlane(all, (f) => f.headSeries);
  const rows = all
    .slice(1)
    .map(
      (f, i) =>
        `| ${f.fleet} | ${fixed(rss[i]!, 2)} MB | ${fixed(cpu[i]!, 2)} mcores | ${fixed(series[i]!, 0)} | ${fixed(f.simulatorCores * 1000, 0)} mcores |`,
    );
  return [
    '| simulated planes | RSS per plane | CPU per plane | head series per plane | simulator CPU (not Prometheus) |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** A 2 x 2 grid of small line charts (one per figure) against the number of planes, as SVG. */
function chartSvg(all: Figures[]): string {
  const panels: Array<{ title: string; value: (f: Figures) => number; goal?: number }> = [
    { title: 'Prometheus RSS (MB)', value: (f) => f.rssMB },
    { title: 'Prometheus CPU (millicores)', value: (f) => f.cpuCores * 1000 },
    { title: 'Overview server time, median (ms)', value: (f) => f.serverMs, goal: GOAL.serverMs },
    { title: 'Overview usable in Chromium (ms)', value: (f) => f.usableMs, goal: GOAL.usableMs },
  ];
  const W = 360;
  const H = 220;
  const pad = { left: 52, right: 16, top: 30, bottom: 36 };
  const maxX = Math.max(...all.map((f) => f.fleet), 1);
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const parts = panels.map((p, k) => {
    const ox = (k % 2) * W;
    const oy = Math.floor(k / 2) * H;
    const values = all.map(p.value).filter(Number.isFinite);
    const maxY = Math.max(...values, p.goal ?? 0, 1) * 1.15;
    const x = (n: number) => ox + pad.left + (n / maxX) * (W - pad.left - pad.right);
    const y = (v: number) => oy + H - pad.bottom - (v / maxY) * (H - pad.top - pad.bottom);
    const points = all.filter((f) => Number.isFinite(p.value(f)));
    const path = points
      .map((f, i) => `${i ? 'L' : 'M'}${x(f.fleet).toFixed(1)},${y(p.value(f)).toFixed(1)}`)
      .join(' ');
    const ticks = all
      .map(
        (f) =>
          `<text x="${x(f.fleet).toFixed(1)}" y="${oy + H - pad.bottom + 16}" text-anchor="middle">${f.fleet}</text>`,
      )
      .join('');
    const dots = points
      .map(
        (f) =>
          `<circle cx="${x(f.fleet).toFixed(1)}" cy="${y(p.value(f)).toFixed(1)}" r="3"/><text x="${x(f.fleet).toFixed(1)}" y="${(y(p.value(f)) - 7).toFixed(1)}" text-anchor="middle">${fixed(p.value(f), 0)}</text>`,
      )
      .join('');
    const goal =
      p.goal === undefined
        ? ''
        : `<line x1="${x(0)}" x2="${x(maxX)}" y1="${y(p.goal)}" y2="${y(p.goal)}" class="goal"/><text x="${x(maxX)}" y="${y(p.goal) - 4}" text-anchor="end" class="goal-label">goal ${p.goal} ms</text>`;
    return `<g><text x="${ox + pad.left}" y="${oy + 18}" class="title">${esc(p.title)}</text>
<line x1="${x(0)}" x2="${x(maxX)}" y1="${y(0)}" y2="${y(0)}" class="axis"/><line x1="${x(0)}" x2="${x(0)}" y1="${y(0)}" y2="${oy + pad.top}" class="axis"/>
${ticks}<text x="${x(maxX)}" y="${oy + H - 6}" text-anchor="end" class="unit">simulated planes</text>${goal}
<path d="${path}" class="line"/>${dots}</g>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${2 * W} ${2 * H}" width="${2 * W}" height="${2 * H}" font-family="system-ui, sans-serif" font-size="11">
<style>.title{font-weight:600;font-size:12px}.axis{stroke:#868e96}.line{fill:none;stroke:#1c7ed6;stroke-width:2}circle{fill:#1c7ed6}.goal{stroke:#e03131;stroke-dasharray:4 3}.goal-label{fill:#e03131}.unit{fill:#868e96}</style>
<rect width="100%" height="100%" fill="#fff"/>
${parts.join('\n')}
</svg>
`;
}

function machine(): string {
  const model = cpus()[0]?.model.trim() ?? 'unknown CPU';
  let prometheusVersion = '';
  try {
    prometheusVersion = readFileSync(join(REPO, 'config/versions.env'), 'utf8').match(
      /^PROMETHEUS_RELEASE=(.+)$/m,
    )![1]!;
  } catch {
    // not said then
  }
  return `${cpus().length} shared cores (${model}), Node ${process.versions.node}${prometheusVersion ? `, Prometheus ${prometheusVersion}` : ''}`;
}

function section(all: Figures[], started: { at: string; load: string }): string {
  const last = all.at(-1)!;
  const base = all[0]!;
  const rss = perPlane(all, (f) => f.rssMB).at(-1)!;
  const cpu = perPlane(all, (f) => f.cpuCores).at(-1)!;
  const series = perPlane(all, (f) => f.headSeries).at(-1)!;
  const met = (ok: boolean) => (ok ? 'met' : '**not met**');
  const sizing = (planes: number) =>
    `${fixed(base.rssMB + rss * planes, 0)} MB and ${fixed((base.cpuCores + cpu * planes) * 1000, 0)} mcores`;
  const slowest = perPlane(all, (f) => f.ruleGroupS).at(-1)!;
  // A smaller fleet that took longer to become usable shows the noise better than words.
  const dip = all.findIndex((f, i) => i > 0 && f.usableMs < all[i - 1]!.usableMs);
  const noise =
    dip === -1
      ? ''
      : ` (${fixed(all[dip - 1]!.usableMs, 0)} ms until usable at ${all[dip - 1]!.fleet} planes against ${fixed(all[dip]!.usableMs, 0)} ms at ${all[dip]!.fleet} is that noise, not a cost)`;
  return `## Fleet: \`npm run bench:fleet\`

What a fleet costs the control plane, and whether the overview keeps up. The platform ran the
stack's three real planes plus N simulated ones (\`startPlatform({ fleet: N })\`, default
intervals: scrape and rule evaluation every ${base.scrapeInterval}, dashboard on) for ${SETTLE_S} s
per size before measuring. Prometheus's CPU is over the last ${CPU_WINDOW_S} s of that, its RSS at
the end (\`/proc/<pid>/stat\` and \`status\`); head series and the slowest rule group's last
evaluation come from Prometheus itself. The overview's server time is the median of ${RUNS} GETs
of \`/\` after a warm-up (each checks that every plane is in the page); "usable" is navigation
start until the table is rendered and hydrated in Chromium, the median of ${LOADS} loads in fresh
browser contexts. Measured ${started.at} on ${machine()}, load average ${started.load} at the
start. Prometheus, Thanos, Alertmanager, the simulator, the APIs, the dashboard and Chromium all
share the 2 cores: the timings include that contention, and the machine is shared with other
work, so single figures move by tens of percent between runs${noise}.

${table(all)}

Per plane (the value at N minus the baseline, divided by N):

${perPlaneTable(all)}

**Goals.** At ${last.fleet} simulated planes (${last.planes} in all) the overview answered in
${fixed(last.serverMs, 0)} ms on the server (goal <= ${GOAL.serverMs} ms: ${met(last.serverMs <= GOAL.serverMs)}) and was usable after ${fixed(last.usableMs, 0)} ms
(goal <= ${GOAL.usableMs} ms: ${met(last.usableMs <= GOAL.usableMs)}). It runs the same ten queries at every size, each
aggregated \`by (data_plane)\`, so what grows is the answers and the table: the page's HTML
(rows plus their data for hydration) is about ${fixed((last.htmlKB - base.htmlKB) / last.fleet, 1)} KB per plane.

**Sizing a control plane.** Each data plane adds about ${fixed(rss, 1)} MB of Prometheus RSS,
${fixed(cpu * 1000, 1)} millicores of Prometheus CPU at a ${base.scrapeInterval} scrape interval, and ${fixed(series, 0)} head
series (a simulated plane exposes what a real API does, every route and status; the baseline's
${fixed(base.headSeries / base.planes, 0)} series per plane also count the real planes' collectors and the control plane's
own). From the baseline (${fixed(base.rssMB, 0)} MB, ${fixed(base.cpuCores * 1000, 0)} mcores), 100 planes need about
${sizing(100)} and 300 planes about ${sizing(300)} for Prometheus alone, in
the head block (retention adds disk; Thanos, Alertmanager and the dashboard come on top). The
slowest rule group took ${fixed(last.ruleGroupS * 1000, 0)} ms at ${last.fleet} planes (about ${fixed(slowest * 1000, 1)} ms per plane) against
a ${base.scrapeInterval} interval, and the RuleGroupSlow alert fires past 80 % of it: on 2 shared
cores that is the first limit to watch as a fleet grows.

![Prometheus RSS and CPU, and the overview's server time and time until usable, against the number of simulated planes](images/bench-fleet.svg)
`;
}

/** Replaces the "Fleet" section of docs/benchmarks.md (or appends it), leaving the rest alone. */
function writeSection(text: string) {
  const file = join(REPO, 'docs/benchmarks.md');
  const doc = readFileSync(file, 'utf8');
  const start = doc.search(/^## Fleet\b/m);
  let next = -1;
  if (start !== -1) {
    const rest = doc.slice(start + 1).search(/^## /m);
    next = rest === -1 ? -1 : start + 1 + rest;
  }
  const updated =
    start === -1
      ? `${doc.trimEnd()}\n\n${text}`
      : `${doc.slice(0, start)}${text}${next === -1 ? '' : `\n${doc.slice(next)}`}`;
  writeFileSync(file, updated);
}

// ---- run ----

const started: { at: string; load: string } = {
  at: new Date().toISOString().slice(0, 10),
  load: loadavg()
    .map((l) => l.toFixed(1))
    .join(' / '),
};
log(`bench:fleet on ${machine()}, load ${started.load}; sizes ${SIZES.join(', ')}`);
if (!process.env.BENCH_FIGURES && !existsSync(join(REPO, 'apps/dashboard/build/index.js'))) {
  console.error('build the dashboard first: npm run build -w @outpost/dashboard');
  process.exit(2);
}
/**
 * The build the platform's dashboard serves. It is the repository's shared build folder: a
 * rebuild while a size runs leaves the running server pointing at files that are gone (pages no
 * longer hydrate), so that size is measured again.
 */
const buildVersion = () => {
  try {
    return readFileSync(join(REPO, 'apps/dashboard/build/client/_app/version.json'), 'utf8');
  } catch {
    return '';
  }
};
// BENCH_FIGURES=<file>: re-render the report from a run's saved figures, measuring nothing.
const SAVED = join(REPO, '.run', 'bench-fleet.json');
let all: Figures[] = [];
if (process.env.BENCH_FIGURES) {
  const saved = JSON.parse(readFileSync(process.env.BENCH_FIGURES, 'utf8')) as {
    started: typeof started;
    figures: Figures[];
  };
  Object.assign(started, saved.started);
  all = saved.figures;
} else {
  for (const fleet of SIZES) {
    for (let attempt = 1; ; attempt += 1) {
      const version = buildVersion();
      let figures: Figures | undefined;
      try {
        figures = await measure(fleet);
      } catch (err) {
        if (buildVersion() === version) throw err;
      }
      if (figures && buildVersion() === version) {
        all.push(figures);
        break;
      }
      if (attempt === 3) {
        console.error(
          'the dashboard was rebuilt during every attempt: run the bench when nobody builds',
        );
        process.exit(1);
      }
      log(`fleet ${fleet}: the dashboard was rebuilt meanwhile; measuring this size again`);
    }
  }

  mkdirSync(dirname(SAVED), { recursive: true });
  writeFileSync(SAVED, JSON.stringify({ started, figures: all }, null, 2));
  log(`figures saved to ${SAVED} (BENCH_FIGURES=${SAVED} renders the report again)`);
}

process.stdout.write(`\nbench:fleet (${machine()})\n\n${table(all)}\n\n${perPlaneTable(all)}\n`);
if (WRITE && all.length > 1) {
  writeSection(section(all, started));
  writeFileSync(join(REPO, 'docs/images/bench-fleet.svg'), chartSvg(all));
  log('wrote the Fleet section of docs/benchmarks.md and docs/images/bench-fleet.svg');
}
