import { spawn, type ChildProcess } from 'node:child_process';
import { BoundedLog } from './log-file.ts';

export interface ChildSpec {
  /** Short name used in logs and the console, e.g. `prometheus`, `acme-prod-api`. */
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  logFile: string;
}

export type SupervisorEvent =
  | { type: 'started'; name: string; pid: number }
  | {
      type: 'exited';
      name: string;
      code: number | null;
      signal: string | null;
      restartInMs: number;
    }
  | { type: 'stopped'; name: string };

/** util-linux's setpriv (Debian's `util-linux` package, on every machine). */
const SETPRIV = '/usr/bin/setpriv';
const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;
/** A child that ran this long without dying gets its backoff reset. */
const STABLE_MS = 60_000;

/**
 * Runs one child process and keeps it running: a child that dies is reported and started
 * again after an exponential backoff; stop() ends it for good (SIGTERM, then SIGKILL).
 * Binaries are spawned directly (no shell), so `pid` is the real process.
 */
export class Supervised {
  readonly spec: ChildSpec;
  #child: ChildProcess | null = null;
  #log: BoundedLog;
  #stopping = false;
  #backoff = MIN_BACKOFF_MS;
  #startedAt = 0;
  #restartTimer: NodeJS.Timeout | null = null;
  readonly #onEvent: (event: SupervisorEvent) => void;
  restarts = 0;

  constructor(spec: ChildSpec, onEvent: (event: SupervisorEvent) => void) {
    this.spec = spec;
    this.#log = new BoundedLog(spec.logFile);
    this.#onEvent = onEvent;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Whether the child is alive now (false while it waits to be restarted). */
  get running(): boolean {
    const c = this.#child;
    return c !== null && c.exitCode === null && c.signalCode === null;
  }

  start(): void {
    const { command, args, env, cwd } = this.spec;
    // A child outlives a supervisor killed with SIGKILL unless the kernel tells it: setpriv
    // sets the parent-death signal and execs the program (same pid), so every child dies
    // with its supervisor however it exits.
    const child = spawn(SETPRIV, ['--pdeathsig', 'KILL', '--', command, ...args], {
      env: { ...process.env, ...env },
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    this.#startedAt = Date.now();
    child.stdout!.on('data', (d: Buffer) => this.#log.write(d));
    child.stderr!.on('data', (d: Buffer) => this.#log.write(d));
    child.on('error', (err) => this.#log.write(`[supervisor] ${this.spec.name}: ${err.message}\n`));
    child.on('exit', (code, signal) => this.#exited(child, code, signal));
    if (child.pid) this.#onEvent({ type: 'started', name: this.spec.name, pid: child.pid });
  }

  async stop(timeoutMs = 10_000): Promise<void> {
    this.#stopping = true;
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    const child = this.#child;
    if (child && child.exitCode === null && child.signalCode === null) {
      // 'close': the process exited and its output was read to the end.
      const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
      child.kill('SIGCONT'); // a paused child cannot handle SIGTERM
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    }
    await this.#log.close();
    this.#onEvent({ type: 'stopped', name: this.spec.name });
  }

  #exited(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.#child || this.#stopping) return;
    if (Date.now() - this.#startedAt > STABLE_MS) this.#backoff = MIN_BACKOFF_MS;
    const delay = this.#backoff;
    this.#backoff = Math.min(this.#backoff * 2, MAX_BACKOFF_MS);
    this.#log.write(
      `[supervisor] ${this.spec.name} exited (code ${code}, signal ${signal}); restarting in ${delay} ms\n`,
    );
    this.#onEvent({ type: 'exited', name: this.spec.name, code, signal, restartInMs: delay });
    this.#restartTimer = setTimeout(() => {
      this.restarts += 1;
      this.start();
    }, delay);
  }
}
