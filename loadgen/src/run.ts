import { seededRandom } from './random.ts';
import { Lane } from './issue/lane.ts';
import { RequestFactory, type MixWeights } from './issue/routes.ts';
import { GeneratorMonitor } from './record/generator.ts';
import { IntervalRecorders } from './record/intervals.ts';
import { failureName } from './record/recorder.ts';
import { assembleResult, type RunResult, type StopReason } from './report/result.ts';
import { runStatus, type RunState, type RunStatus } from './report/status.ts';
import type { Schedule } from './schedule/schedule.ts';
import type { Target } from './targets.ts';

// The run: walks the schedule, issues each send at its intended time through the target's
// lane, and records the outcome. Timers wake the loop at the next intended start (at most
// 1 ms resolution); everything due by then goes out in one batch, and latency is measured
// from each send's own intended time, so timer jitter shows up in the corrected figures
// instead of being hidden. Rate changes (keys, control endpoint) re-plan from the next send.
// What a route sends is issue/'s business, how outcomes count record/'s, and the result's
// shape report/'s: this file only keeps the clock and the run's state.

export type { RunResult, StopReason, TargetResult } from './report/result.ts';
export type { RunState, RunStatus } from './report/status.ts';

export interface RunConfig {
  schedule: Schedule;
  targets: Target[];
  mix: MixWeights;
  /** Share of sends with an invalid body, 0..1. */
  invalidShare: number;
  seed: number;
  /** Keep-alive connections per target. */
  connections: number;
  /** Sends allowed in flight at once (all targets); beyond it a due send is dropped. */
  maxInFlight: number;
  /** Per-request timeout for headers and body, milliseconds. */
  timeoutMs: number;
  /** The spike key: multiply the rate by `spikeX` for `spikeForS` seconds. */
  spikeX: number;
  spikeForS: number;
  /** Live interval, milliseconds; `onInterval` receives a status each time. */
  intervalMs: number;
  onInterval?: (status: RunStatus) => void;
  /** Notes for the user (stderr). */
  log: (line: string) => void;
}

/** How long an interrupted run waits for requests in flight, milliseconds. */
const INTERRUPT_GRACE_MS = 1000;
/** How early a send may go out: one timer tick. */
const EARLY_S = 0.001;

export class Run {
  readonly #config: RunConfig;
  readonly #schedule: Schedule;
  readonly #factory: RequestFactory;
  readonly #lanes: Lane[];
  readonly #record: IntervalRecorders;
  readonly #generator = new GeneratorMonitor();
  #state: RunState = 'starting';
  #t0 = 0;
  #k = 0;
  #nextAt = 0;
  #inFlight = 0;
  #timer: NodeJS.Timeout | undefined;
  #intervalTimer: NodeJS.Timeout | undefined;
  #graceTimer: NodeJS.Timeout | undefined;
  #spikeTimer: NodeJS.Timeout | undefined;
  #pausedFactor = 1;
  #lastIntervalAt = 0;
  #lastCompletionMs = 0;
  #stoppedAtMs = 0;
  #reason: StopReason = 'done';
  #abandoned = 0;
  #finished: (() => void) | undefined;

  constructor(config: RunConfig) {
    this.#config = config;
    this.#schedule = config.schedule;
    const random = seededRandom(config.seed);
    this.#factory = new RequestFactory(config.mix, config.invalidShare, random);
    this.#lanes = config.targets.map(
      (target) =>
        new Lane(target, { connections: config.connections, timeoutMs: config.timeoutMs, random }),
    );
    this.#record = new IntervalRecorders(this.#lanes.length);
  }

  /**
   * Opens each target's connections and learns its product ids from GET /api/products
   * (falling back to p-001..p-020).
   */
  async prepare(): Promise<void> {
    await Promise.all(this.#lanes.map((lane) => lane.prepare(this.#config.log)));
  }

  /** Runs the schedule to its end (or a stop) and resolves with the result. */
  async start(): Promise<RunResult> {
    const startedAt = new Date().toISOString();
    this.#generator.start();
    this.#t0 = performance.now();
    this.#lastIntervalAt = this.#t0;
    this.#state = 'running';
    this.#nextAt = this.#schedule.timeOf(0);
    const finished = new Promise<void>((resolve) => (this.#finished = resolve));
    this.#intervalTimer = setInterval(() => this.#interval(), this.#config.intervalMs);
    this.#tick();
    await finished;
    return assembleResult({
      reason: this.#reason,
      startedAt,
      abandoned: this.#abandoned,
      startMs: this.#t0,
      stoppedAtMs: this.#stoppedAtMs,
      lastCompletionMs: this.#lastCompletionMs,
      nowMs: performance.now(),
      total: this.#record.total,
      targets: this.#lanes.map((lane, i) => ({
        target: lane.target,
        productIds: lane.productIds,
        total: this.#record.target(i),
      })),
      generator: this.#generator.usage(),
    });
  }

  /** Stops scheduling; `quit` lets in-flight sends finish, `interrupted` waits at most 1 s. */
  stop(reason: Exclude<StopReason, 'done'>): void {
    if (this.#state === 'done' || this.#state === 'starting') return;
    if (this.#state === 'draining') {
      // Ctrl-C while the last responses are awaited: wait at most 1 s more.
      if (reason === 'interrupted' && this.#reason !== 'interrupted') {
        this.#reason = reason;
        clearTimeout(this.#graceTimer);
        this.#graceTimer = setTimeout(() => this.#finish(), INTERRUPT_GRACE_MS);
      }
      return;
    }
    this.#reason = reason;
    this.#endSchedule();
  }

  /** Multiplies the current rate (the up/down keys: 1.1 and 0.9). */
  adjustRate(multiplier: number): void {
    if (this.#state === 'paused') this.#pausedFactor *= multiplier;
    else this.#setFactor(this.#schedule.factor * multiplier);
  }

  /** Sets the current target rate, req/s (PUT /rate). Throws when the pattern's rate is 0 now. */
  setRate(rate: number): void {
    if (this.#state !== 'running' && this.#state !== 'paused')
      throw new Error(`the run is ${this.#state}`);
    this.#schedule.setRate(rate, this.#elapsed());
    this.#state = 'running';
    this.#replan();
  }

  /** The spike key: the rate times `spikeX` for `spikeForS` seconds, then back. */
  spike(): void {
    if (this.#state !== 'running' || this.#spikeTimer) return;
    const x = this.#config.spikeX;
    this.#setFactor(this.#schedule.factor * x);
    this.#spikeTimer = setTimeout(() => {
      this.#spikeTimer = undefined;
      if (this.#state === 'running') this.#setFactor(this.#schedule.factor / x);
      else if (this.#state === 'paused') this.#pausedFactor /= x;
    }, this.#config.spikeForS * 1000);
  }

  togglePause(): void {
    if (this.#state === 'running') {
      this.#pausedFactor = this.#schedule.factor;
      this.#setFactor(0);
      this.#state = 'paused';
    } else if (this.#state === 'paused') {
      this.#state = 'running';
      this.#setFactor(this.#pausedFactor);
    }
  }

  status(): RunStatus {
    return runStatus({
      state: this.#state,
      elapsedS: this.#elapsed(),
      schedule: this.#schedule,
      intervalMs: this.#config.intervalMs,
      inFlight: this.#inFlight,
      live: this.#record.live,
      total: this.#record.total,
    });
  }

  #elapsed(): number {
    if (this.#state === 'starting') return 0;
    const end = this.#stoppedAtMs || performance.now();
    return Math.min((end - this.#t0) / 1000, this.#schedule.duration);
  }

  #setFactor(factor: number): void {
    // Keys and the control endpoint may still fire while the run drains: nothing to change.
    if (this.#state !== 'running' && this.#state !== 'paused') return;
    this.#schedule.setFactor(factor, this.#elapsed());
    this.#replan();
  }

  #replan(): void {
    this.#schedule.forgetBefore(this.#k);
    this.#nextAt = this.#schedule.timeOf(this.#k);
    clearTimeout(this.#timer);
    this.#tick();
  }

  #tick = (): void => {
    this.#timer = undefined;
    if (this.#state !== 'running' && this.#state !== 'paused') return;
    const t = (performance.now() - this.#t0) / 1000;
    while (this.#nextAt <= t + EARLY_S) {
      this.#issue(this.#t0 + this.#nextAt * 1000);
      this.#k++;
      this.#nextAt = this.#schedule.timeOf(this.#k);
    }
    if (t >= this.#schedule.duration) {
      this.#endSchedule();
      return;
    }
    const wakeAt = Math.min(this.#nextAt, this.#schedule.duration);
    const waitMs = this.#t0 + wakeAt * 1000 - performance.now();
    // Node timers have 1 ms resolution, so sends due within the next millisecond go out in
    // this batch, and a timer that fires late makes its sends late: their corrected latency
    // counts that lateness (and an early send counts from when it went out).
    this.#timer = setTimeout(this.#tick, Math.min(1000, Math.max(1, Math.floor(waitMs))));
  };

  #issue(intendedMs: number): void {
    const i = this.#k % this.#lanes.length;
    const lane = this.#lanes[i] as Lane;
    const record = this.#record.open(i);
    const request = lane.next(this.#factory);
    record.schedule();
    if (this.#inFlight >= this.#config.maxInFlight) {
      record.drop(request.route);
      lane.unsent(request);
      return;
    }
    this.#inFlight++;
    let sentMs = intendedMs;
    lane.send(request, {
      sent: (ms) => {
        sentMs = ms;
      },
      response: (status, body) => {
        const end = performance.now();
        if (this.#settle(end)) return;
        record.response(request.route, status, request.invalid, intendedMs, sentMs, end);
        lane.received(request, status, body);
        this.#checkDrained();
      },
      failure: (err) => {
        if (this.#settle(performance.now())) return;
        record.failure(request.route, failureName(err));
        this.#checkDrained();
      },
    });
  }

  /** Bookkeeping for a finished send; true when the run no longer counts it. */
  #settle(endMs: number): boolean {
    this.#inFlight--;
    if (this.#state === 'done') return true;
    this.#lastCompletionMs = endMs;
    return false;
  }

  #endSchedule(): void {
    if (this.#state === 'draining' || this.#state === 'done') return;
    clearTimeout(this.#timer);
    clearTimeout(this.#spikeTimer);
    this.#stoppedAtMs = performance.now();
    this.#state = 'draining';
    const graceMs =
      this.#reason === 'interrupted' ? INTERRUPT_GRACE_MS : this.#config.timeoutMs + 1000;
    this.#graceTimer = setTimeout(() => this.#finish(), graceMs);
    this.#checkDrained();
  }

  #checkDrained(): void {
    if (this.#state === 'draining' && this.#inFlight === 0) this.#finish();
  }

  #finish(): void {
    if (this.#state === 'done') return;
    clearTimeout(this.#graceTimer);
    clearInterval(this.#intervalTimer);
    this.#abandoned = this.#inFlight;
    this.#generator.stop();
    this.#interval(false);
    this.#state = 'done';
    void Promise.all(this.#lanes.map((l) => l.destroy())).then(() => this.#finished?.());
  }

  /** Folds the interval into the totals and reports it live. */
  #interval(report = true): void {
    this.#record.fold();
    const now = performance.now();
    const seconds = (now - this.#lastIntervalAt) / 1000;
    this.#lastIntervalAt = now;
    if (report && seconds > 0) this.#config.onInterval?.(this.status());
  }
}
