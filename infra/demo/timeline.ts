import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StackConfig } from '../config.ts';
import { readStackConfigFile } from '../config.ts';
import { startPlatform, type RunningPlatform } from '../process/platform.ts';
import { fastIntervals, findPortOffset, promQuery } from '../process/test-support.ts';

// The demo of docs/demo-script.md, run against the real platform and timed: normal traffic,
// then `production-incident`, then the recovery, watching which alerts fire on which plane and
// what the alert receiver gets. `npm run demo:timeline` prints the figures the script quotes
// (the stack as shipped, real time); the demo test runs it compressed (short intervals, short
// `for:` and burn windows, a shorter scenario) and asserts the same story.

const ROOT = join(import.meta.dirname, '..', '..');
const LOADGEN = join(ROOT, 'loadgen', 'src', 'cli.ts');

/** The alerts the incident must fire, on prod only, and clear afterwards. */
export const INCIDENT_ALERTS = [
  'HighErrorRatio',
  'HighLatencyP95',
  'SLOAvailabilityBurnRateHigh',
  'SLOLatencyBurnRateHigh',
];

export interface DemoOptions {
  /** Short intervals and windows so the story takes a couple of minutes (tests). */
  compressed: boolean;
  /** A line per step (what is happening, which alert changed). */
  log?: (line: string) => void;
}

export interface AlertTimes {
  /** Seconds from the fault injection (negative: before it). */
  firing?: number;
  resolved?: number;
  /** When the receiver got the firing and the resolved notice. */
  notified?: number;
  notifiedResolved?: number;
}

export interface Timeline {
  /** Alerts firing under normal traffic before the incident (expected: Watchdog only). */
  beforeIncident: string[];
  /** `alertname data_plane` -> times; only what fired during the incident window. */
  alerts: Record<string, AlertTimes>;
  /** Seconds from the injection to the faults being cleared. */
  cleared: number;
  /** Exit codes of qa-load-test: on a healthy stack and with a fault injected on qa. */
  qaLoadTest: { healthy: number; faulted: number };
}

/** Timings of the compressed run (scenario flags and stack overrides). */
const COMPRESSED = {
  warmup: 25,
  incident: ['--spike-at', '10s', '--spike-for', '50s', '-d', '70s'],
  qa: ['-d', '20s', '-r', '60'],
};
const REAL = { warmup: 180, incident: [] as string[], qa: ['-d', '60s'] };

/** Stack overrides of the compressed run: the same rules, on a faster clock. */
export function compress(config: StackConfig): StackConfig {
  const fast = fastIntervals(config);
  const cp = fast.controlPlane!;
  return {
    ...fast,
    controlPlane: {
      ...cp,
      alerting: { ...cp.alerting, symptomFor: '5s', groupInterval: '3s' },
      slos: {
        ...cp.slos,
        pageFor: '5s',
        burnRates: [
          { severity: 'page', long: '60s', short: '10s', factor: 14.4 },
          { severity: 'page', long: '2m', short: '20s', factor: 6 },
          { severity: 'ticket', long: '6h', short: '30m', factor: 3 },
          { severity: 'ticket', long: '1d', short: '2h', factor: 1 },
        ],
      },
    },
  };
}

export async function runDemo(options: DemoOptions): Promise<Timeline> {
  const log = options.log ?? (() => {});
  const t = options.compressed ? COMPRESSED : REAL;
  const config = readStackConfigFile('local', ROOT);
  const platform = await startPlatform({
    stack: 'local',
    portOffset: await findPortOffset(config),
    runDir: mkdtempSync(join(tmpdir(), 'outpost-demo-')),
    ...(options.compressed ? { overrides: compress } : {}),
    dashboard: false,
  });
  const outputs = join(platform.runDir, 'outputs.json');
  const loadgen = (args: string[]) =>
    spawn(process.execPath, [LOADGEN, ...args, '--outputs', outputs, '-q', '--no-keys'], {
      stdio: 'ignore',
    });
  const background: ChildProcess[] = [];
  try {
    log('normal traffic on every environment');
    background.push(loadgen(['scenario', 'normal-operations', '-d', '30m']));
    await sleep(t.warmup * 1000);
    const beforeIncident = await firingAlerts(platform);
    log(`before the incident, firing: ${beforeIncident.join(', ') || 'nothing'}`);

    log('production-incident');
    const incident = loadgen(['scenario', 'production-incident', ...t.incident]);
    const started = Date.now();
    const injectedAt = await waitForFault(platform, started);
    const since = () => (Date.now() - injectedAt) / 1000;
    const alerts: Record<string, AlertTimes> = {};
    const done = new Promise<number>((resolve) => incident.once('exit', () => resolve(since())));
    let cleared: number | null = null;
    void done.then((s) => (cleared = s));
    const deadline = Date.now() + (options.compressed ? 4 : 30) * 60_000;
    while (Date.now() < deadline) {
      await track(platform, alerts, since(), log);
      const settled =
        cleared !== null &&
        Object.values(alerts).length > 0 &&
        Object.values(alerts).every(
          (a) => a.resolved !== undefined && a.notifiedResolved !== undefined,
        );
      if (settled) break;
      await sleep(options.compressed ? 1000 : 5000);
    }

    log('qa-load-test on a healthy stack, then with a fault on qa');
    const healthy = await exitCode(loadgen(['scenario', 'qa-load-test', ...t.qa]));
    const qa = platform.outputs.dataPlanes.find((d) => d.environment === 'qa')!;
    await fault(qa.apiUrl, qa.adminToken!, 'PUT', { errorRate: 0.2 });
    const faulted = await exitCode(loadgen(['scenario', 'qa-load-test', ...t.qa]));
    await fault(qa.apiUrl, qa.adminToken!, 'DELETE');
    return { beforeIncident, alerts, cleared: cleared ?? -1, qaLoadTest: { healthy, faulted } };
  } finally {
    for (const child of background) child.kill('SIGINT');
    await platform.stop();
  }
}

async function firingAlerts(platform: RunningPlatform): Promise<string[]> {
  const result = await promQuery(platform.outputs.queryUrl!, 'ALERTS{alertstate="firing"}');
  return [
    ...new Set(
      result.map((r) => [r.metric.alertname, r.metric.data_plane].filter(Boolean).join(' ')),
    ),
  ].sort();
}

/** When the scenario's fault reached prod's API (the active-faults gauge says so). */
async function waitForFault(platform: RunningPlatform, started: number): Promise<number> {
  const prod = platform.outputs.dataPlanes.find((d) => d.environment === 'prod')!;
  while (Date.now() - started < 10 * 60_000) {
    const body = await fetch(`${prod.apiUrl}/admin/faults`, {
      headers: { authorization: `Bearer ${prod.adminToken}` },
    }).then(
      (r) => (r.ok ? (r.json() as Promise<unknown>) : null),
      () => null,
    );
    if (
      Array.isArray((body as { faults?: unknown[] } | null)?.faults) &&
      (body as { faults: unknown[] }).faults.length > 0
    )
      return Date.now();
    await sleep(250);
  }
  throw new Error('production-incident never injected its fault');
}

/** Records when each alert fired and resolved, and when the receiver heard of it. */
async function track(
  platform: RunningPlatform,
  alerts: Record<string, AlertTimes>,
  now: number,
  log: (line: string) => void,
): Promise<void> {
  const firing = await firingAlerts(platform);
  for (const key of firing) {
    if (key === 'Watchdog') continue;
    const a = (alerts[key] ??= {});
    if (a.firing === undefined) {
      a.firing = now;
      log(`${now.toFixed(0)} s: ${key} firing`);
    }
  }
  for (const [key, a] of Object.entries(alerts)) {
    if (a.firing !== undefined && a.resolved === undefined && !firing.includes(key)) {
      a.resolved = now;
      log(`${now.toFixed(0)} s: ${key} resolved`);
    }
  }
  const received = (await fetch(`${platform.topology.controlPlane!.webhook.url}/alerts`).then((r) =>
    r.json(),
  )) as Array<{
    notification: {
      status: string;
      alerts: Array<{ status: string; labels: Record<string, string> }>;
    };
  }>;
  for (const { notification } of received)
    for (const alert of notification.alerts) {
      const key = [alert.labels.alertname, alert.labels.data_plane].filter(Boolean).join(' ');
      const a = alerts[key];
      if (!a) continue;
      if (alert.status === 'firing' && a.notified === undefined) a.notified = now;
      if (
        alert.status === 'resolved' &&
        a.notifiedResolved === undefined &&
        a.resolved !== undefined
      ) {
        a.notifiedResolved = now;
        log(`${now.toFixed(0)} s: receiver got ${key} resolved`);
      }
    }
}

async function fault(
  apiUrl: string,
  token: string,
  method: 'PUT' | 'DELETE',
  body?: object,
): Promise<void> {
  const res = await fetch(`${apiUrl}/admin/faults`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok)
    throw new Error(`${method} ${apiUrl}/admin/faults answered ${res.status}: ${await res.text()}`);
}

function exitCode(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
