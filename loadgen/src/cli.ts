#!/usr/bin/env node
import { startControlServer } from './control/server.ts';
import { KEY_HELP, KEY_SPIKE_SECONDS, listenToKeys } from './control/keys.ts';
import { formatSeconds } from './duration.ts';
import { FaultPlan, type FaultBody } from './faults.ts';
import { UsageError } from './errors.ts';
import { combine, DEFAULT_SETTINGS, HELP, parseCommandLine, type Settings } from './options.ts';
import { LiveWriter } from './report/live.ts';
import { summaryText } from './report/summary.ts';
import { Run, type RunResult } from './run.ts';
import { faultTimes, listScenarios, loadScenario } from './scenario.ts';
import { buildCurve, DEFAULT_SPIKE_X } from './schedule/patterns.ts';
import { Schedule } from './schedule/schedule.ts';
import { probeTargets, resolveTargets, TargetError } from './targets.ts';
import { evaluateThresholds, type ThresholdResult } from './thresholds.ts';

// The command: flags -> settings -> targets (probed) -> run -> summary, JSON, exit code.
// Exit codes: 0 all thresholds hold, 99 one failed (k6's convention), 2 usage error (the
// user's to fix: the message says what), 1 no target answered at the start or an unexpected
// error (a bug: its stack trace is printed), 130 interrupted (after printing the summary).

export const EXIT = {
  ok: 0,
  noTarget: 1,
  unexpected: 1,
  usage: 2,
  thresholds: 99,
  interrupted: 130,
} as const;

export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
}

/** Runs the command and answers its exit code; it does not throw (see `exitForError`). */
export async function main(argv: string[], io: Io): Promise<number> {
  try {
    return await runCommand(argv, io);
  } catch (err) {
    return exitForError(err, io.stderr);
  }
}

/**
 * A usage error (bad flag, scenario or outputs file, no targets, impossible pattern shape,
 * faults without a plane or token) is reported as the user's to fix: exit 2 with the message.
 * Anything else is a bug: exit 1 with the stack trace, never passed off as a usage error.
 */
export function exitForError(err: unknown, stderr: NodeJS.WritableStream): number {
  if (err instanceof UsageError) {
    // Where the targets come from is not a flag's spelling: no pointer to --help then.
    const hint = err instanceof TargetError ? '' : '\nRun with --help for the flags.';
    stderr.write(`loadgen: ${err.message}${hint}\n`);
    return EXIT.usage;
  }
  const trace = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
  stderr.write(
    `loadgen: unexpected error, a bug in the load generator (please report it with this trace):\n${trace}\n`,
  );
  return EXIT.unexpected;
}

async function runCommand(argv: string[], io: Io): Promise<number> {
  const err = (line: string): void => void io.stderr.write(`${line}\n`);
  let settings: Settings;
  let title: string;
  let faults: { env: string; atS: number; fault: FaultBody }[] = [];
  const command = parseCommandLine(argv);
  if (command.kind === 'help') {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  if (command.kind === 'list-scenarios') {
    for (const s of await listScenarios())
      io.stdout.write(`${s.name.padEnd(22)} ${s.description}\n`);
    return EXIT.ok;
  }
  if (command.kind === 'scenario') {
    const loaded = await loadScenario(command.name, DEFAULT_SETTINGS);
    settings = combine(loaded.settings, undefined, command.flags);
    faults = faultTimes(loaded.faults, settings);
    title = `scenario ${command.name}`;
  } else {
    settings = combine(DEFAULT_SETTINGS, command.pattern, command.flags);
    title = settings.pattern;
  }

  const live = new LiveWriter(io.stderr);
  const schedule = new Schedule(
    buildCurve(settings.pattern, settings.rate, settings.duration, settings.params),
  );
  let targets = await resolveTargets(settings.source, settings.filters, (line) => live.note(line));
  const plan = new FaultPlan(faults, targets, (line) => live.note(line));

  const probes = await probeTargets(targets);
  const down = probes.filter((p) => !p.ok);
  for (const p of down) {
    const where =
      p.target.name === p.target.url ? p.target.url : `${p.target.name} (${p.target.url})`;
    err(`loadgen: ${where} does not answer: ${p.reason}`);
  }
  if (down.length === probes.length) {
    err(`loadgen: no target answers; nothing to load. Is the platform running (npm start)?`);
    return EXIT.noTarget;
  }
  if (down.length)
    err(`loadgen: going on with the ${probes.length - down.length} target(s) that answer`);
  targets = probes.filter((p) => p.ok).map((p) => p.target);

  const tty = Boolean(io.stderr.isTTY);
  const run = new Run({
    schedule,
    targets,
    mix: settings.mix,
    invalidShare: settings.invalidShare,
    seed: settings.seed,
    connections: settings.connections,
    maxInFlight: settings.maxInFlight,
    timeoutMs: settings.timeoutMs,
    spikeX: settings.params.spikeX ?? DEFAULT_SPIKE_X,
    spikeForS: KEY_SPIKE_SECONDS,
    intervalMs: settings.intervalMs ?? (tty ? 1000 : 10_000),
    ...(settings.quiet ? {} : { onInterval: (s) => live.update(s) }),
    log: (line) => live.note(line),
  });
  await run.prepare();

  const control =
    settings.controlPort === undefined
      ? undefined
      : await startControlServer(run, settings.controlPort);
  if (control) err(`control: http://127.0.0.1:${control.port}/status  (PUT /rate {"rate": N})`);
  const stopKeys =
    settings.keys && io.stdin.isTTY
      ? listenToKeys(io.stdin, {
          adjust: (m) => run.adjustRate(m),
          spike: () => run.spike(),
          togglePause: () => run.togglePause(),
          quit: () => run.stop('quit'),
          interrupt: () => run.stop('interrupted'),
        })
      : undefined;
  if (stopKeys) err(KEY_HELP);
  let interrupts = 0;
  const onSigint = (): void => {
    // A second Ctrl-C means "now": skip the drain, the summary and the fault clean-up.
    if (++interrupts > 1) process.exit(EXIT.interrupted);
    run.stop('interrupted');
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);

  err(
    `${title}: ${settings.pattern} at ${settings.rate} req/s for ${formatSeconds(settings.duration)} ` +
      `on ${targets.map((t) => t.name).join(', ')}`,
  );
  plan.start();
  let result: RunResult;
  try {
    result = await run.start();
  } finally {
    live.end();
    stopKeys?.();
    await control?.close();
    await plan.clear();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }

  const checks = evaluateThresholds(settings.thresholds, result);
  const summary = summaryText(result, { title, thresholds: checks });
  const code = exitCode(result, checks);
  if (settings.json) {
    io.stderr.write(summary);
    io.stdout.write(
      `${JSON.stringify(jsonResult(title, settings, result, checks, code), null, 2)}\n`,
    );
  } else {
    io.stdout.write(summary);
  }
  return code;
}

export function exitCode(result: RunResult, checks: ThresholdResult[]): number {
  if (result.reason === 'interrupted') return EXIT.interrupted;
  return checks.every((c) => c.ok) ? EXIT.ok : EXIT.thresholds;
}

function jsonResult(
  title: string,
  s: Settings,
  result: RunResult,
  thresholds: ThresholdResult[],
  exitCode: number,
) {
  return {
    title,
    settings: {
      source: s.source,
      filters: s.filters,
      pattern: s.pattern,
      rate: s.rate,
      durationS: s.duration,
      params: s.params,
      mix: s.mix,
      invalidShare: s.invalidShare,
      seed: s.seed,
      connections: s.connections,
      maxInFlight: s.maxInFlight,
      timeoutMs: s.timeoutMs,
    },
    ...result,
    thresholds,
    exitCode,
  };
}

if (import.meta.main) {
  const code = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
  });
  process.exitCode = code;
  // Everything is closed by now; this only guards against a stray handle keeping us alive.
  setTimeout(() => process.exit(code), 2000).unref();
}
