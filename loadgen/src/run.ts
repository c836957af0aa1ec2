import { monitorEventLoopDelay } from 'node:perf_hooks';
import { seededRandom, type Random } from './random.ts';
import { TargetClient } from './issue/client.ts';
import {
  FALLBACK_PRODUCT_IDS,
  orderFromResponse,
  productIdsFromResponse,
  RequestFactory,
  type MixWeights,
  type OrderRef,
} from './issue/routes.ts';
import { failureName, Recorder, type RecorderSnapshot } from './record/recorder.ts';
import { encodeHistogram } from './record/histogram.ts';
import type { Schedule } from './schedule/schedule.ts';
import type { Target } from './targets.ts';

// The run: walks the schedule, issues each send at its intended time through the target's
// pool, and records the outcome. Timers wake the loop at the next intended start (at most
// 1 ms resolution); everything due by then goes out in one batch, and latency is measured
// from each send's own intended time, so timer jitter shows up in the corrected figures
// instead of being hidden. Rate changes (keys, control endpoint) re-plan from the next send.

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

export type RunState = 'starting' | 'running' | 'paused' | 'draining' | 'done';
export type StopReason = 'done' | 'quit' | 'interrupted';

export interface RunStatus {
  state: RunState;
  elapsedS: number;
  durationS: number;
  targetRate: number;
  /** Rate multiplier set live (1 = the pattern as planned, 0 = paused). */
  factor: number;
  /** Completions per second over the last interval. */
  achievedRate: number;
  inFlight: number;
  /** Counts since the start. */
  scheduled: number;
  dropped: number;
  completed: number;
  errors: number;
  statuses: Record<string, number>;
  /** Latency over the last interval (corrected), milliseconds. */
  window: { p50: number; p95: number; p99: number; count: number };
}

export interface TargetResult {
  name: string;
  url: string;
  environment?: string;
  customer?: string;
  productIds: 'from-api' | 'fallback';
  stats: RecorderSnapshot;
}

export interface RunResult {
  reason: StopReason;
  startedAt: string;
  /** Seconds the schedule ran (until the end or the stop). */
  scheduledForS: number;
  /** Seconds until the last response after that. */
  drainedForS: number;
  /** Sends still in flight when an interrupted run stopped waiting (not counted). */
  abandoned: number;
  targetRate: number;
  achievedRate: number;
  total: RecorderSnapshot;
  targets: TargetResult[];
  /** CPU the generator process used during the run (all threads), and as a share of one core. */
  generatorCpu: { userS: number; systemS: number; percentOfOneCore: number };
  /**
   * The generator's own event-loop delay, milliseconds: when it is high, sends went out
   * late because the generator was busy (or starved of CPU), not because the target was slow.
   */
  generatorLoopDelay: { p99: number; max: number };
  /** HdrHistogram compressed base64, microseconds, to merge runs later. */
  histograms: { corrected: string; uncorrected: string };
}

interface Lane {
  target: Target;
  client: TargetClient;
  productIds: readonly string[];
  fromApi: boolean;
  orders: OrderRef[];
  window: Recorder;
  total: Recorder;
}

const MAX_ORDERS_KEPT = 1000;
/** How long an interrupted run waits for requests in flight, milliseconds. */
const INTERRUPT_GRACE_MS = 1000;
/** Connections opened per target before the run; the pool opens more as needed. */
const PRECONNECT = 16;
/** Sampling interval of the generator's event-loop delay monitor, milliseconds. */
const LOOP_RESOLUTION_MS = 10;
/** How early a send may go out: one timer tick. */
const EARLY_S = 0.001;

export class Run {
  readonly #config: RunConfig;
  readonly #schedule: Schedule;
  readonly #random: Random;
  readonly #factory: RequestFactory;
  readonly #lanes: Lane[];
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
  #totals = new Recorder();
  #live = new Recorder();
  #finished: (() => void) | undefined;
  #cpuAtStart: NodeJS.CpuUsage | undefined;
  readonly #loopDelay: ReturnType<typeof monitorEventLoopDelay> = monitorEventLoopDelay({
    resolution: 10,
  });

  constructor(config: RunConfig) {
    this.#config = config;
    this.#schedule = config.schedule;
    this.#random = seededRandom(config.seed);
    this.#factory = new RequestFactory(config.mix, config.invalidShare, this.#random);
    this.#lanes = config.targets.map((target) => ({
      target,
      client: new TargetClient(target.url, {
        connections: config.connections,
        timeoutMs: config.timeoutMs,
      }),
      productIds: FALLBACK_PRODUCT_IDS,
      fromApi: false,
      orders: [],
      window: new Recorder(),
      total: new Recorder(),
    }));
  }

  /**
   * Opens each target's connections and learns its product ids from GET /api/products
   * (falling back to p-001..p-020).
   */
  async prepare(): Promise<void> {
    await Promise.all(
      this.#lanes.map(async (lane) => {
        try {
          await lane.client.preconnect(Math.min(this.#config.connections, PRECONNECT));
        } catch (err) {
          this.#config.log(
            `${lane.target.name}: could not open connections ahead (${(err as Error).message})`,
          );
        }
        try {
          const { status, text } = await lane.client.getText('/api/products');
          const ids = status === 200 ? productIdsFromResponse(text) : [];
          if (ids.length > 0) {
            lane.productIds = ids;
            lane.fromApi = true;
            return;
          }
          this.#config.log(
            `${lane.target.name}: GET /api/products gave ${status} without ids; using p-001..p-020`,
          );
        } catch (err) {
          this.#config.log(
            `${lane.target.name}: GET /api/products failed (${(err as Error).message}); using p-001..p-020`,
          );
        }
      }),
    );
  }

  /** Runs the schedule to its end (or a stop) and resolves with the result. */
  async start(): Promise<RunResult> {
    const startedAt = new Date().toISOString();
    this.#cpuAtStart = process.cpuUsage();
    this.#loopDelay.enable();
    this.#t0 = performance.now();
    this.#lastIntervalAt = this.#t0;
    this.#state = 'running';
    this.#nextAt = this.#schedule.timeOf(0);
    const finished = new Promise<void>((resolve) => (this.#finished = resolve));
    this.#intervalTimer = setInterval(() => this.#interval(), this.#config.intervalMs);
    this.#tick();
    await finished;
    return this.#result(startedAt);
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
    const t = this.#elapsed();
    const live = this.#live.snapshot();
    return {
      state: this.#state,
      elapsedS: round(t, 3),
      durationS: this.#schedule.duration,
      targetRate: round(
        this.#state === 'draining' || this.#state === 'done'
          ? 0
          : this.#schedule.rateAt(Math.min(t, this.#schedule.duration - 1e-6)),
        2,
      ),
      factor: round(this.#state === 'paused' ? 0 : this.#schedule.factor, 4),
      achievedRate: round(live.completed / (this.#config.intervalMs / 1000), 1),
      inFlight: this.#inFlight,
      scheduled: this.#totals.scheduled,
      dropped: this.#totals.dropped,
      completed: this.#totals.completed,
      errors: this.#totals.errors,
      statuses: Object.fromEntries(this.#totals.statuses),
      window: {
        p50: live.latency.corrected.p50,
        p95: live.latency.corrected.p95,
        p99: live.latency.corrected.p99,
        count: live.latency.corrected.count,
      },
    };
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
    const lane = this.#lanes[this.#k % this.#lanes.length] as Lane;
    const request = this.#factory.next(lane.productIds, lane.orders);
    lane.window.schedule();
    if (this.#inFlight >= this.#config.maxInFlight) {
      lane.window.drop(request.route);
      if (request.order) lane.orders.push(request.order);
      return;
    }
    this.#inFlight++;
    let sentMs = intendedMs;
    const wantBody = request.route === 'order' && !request.invalid;
    lane.client.send(request, wantBody, {
      sent: (ms) => {
        sentMs = ms;
      },
      response: (status, body) => {
        const end = performance.now();
        if (this.#settle(end)) return;
        lane.window.response(request.route, status, request.invalid, intendedMs, sentMs, end);
        if (wantBody && status >= 200 && status < 300 && body !== undefined) {
          const order = orderFromResponse(body, this.#random);
          if (order) {
            lane.orders.push(order);
            if (lane.orders.length > MAX_ORDERS_KEPT) lane.orders.shift();
          }
        }
        this.#checkDrained();
      },
      failure: (err) => {
        if (this.#settle(performance.now())) return;
        lane.window.failure(request.route, failureName(err));
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
    this.#loopDelay.disable();
    this.#interval(false);
    this.#state = 'done';
    void Promise.all(this.#lanes.map((l) => l.client.destroy())).then(() => this.#finished?.());
  }

  /** Folds each target's interval into its totals and reports the interval live. */
  #interval(report = true): void {
    this.#live.reset();
    for (const lane of this.#lanes) {
      this.#live.merge(lane.window);
      lane.total.merge(lane.window);
      lane.window.reset();
    }
    this.#totals.merge(this.#live);
    const now = performance.now();
    const seconds = (now - this.#lastIntervalAt) / 1000;
    this.#lastIntervalAt = now;
    if (report && seconds > 0) this.#config.onInterval?.(this.status());
  }

  #result(startedAt: string): RunResult {
    const scheduledForS = (this.#stoppedAtMs - this.#t0) / 1000;
    const lastMs = Math.max(this.#lastCompletionMs, this.#stoppedAtMs);
    const total = this.#totals.snapshot();
    const cpu = process.cpuUsage(this.#cpuAtStart);
    const wallS = (performance.now() - this.#t0) / 1000;
    return {
      reason: this.#reason,
      startedAt,
      scheduledForS: round(scheduledForS, 3),
      drainedForS: round((lastMs - this.#stoppedAtMs) / 1000, 3),
      abandoned: this.#abandoned,
      targetRate: round(total.scheduled / scheduledForS, 1),
      achievedRate: round(total.completed / ((lastMs - this.#t0) / 1000), 1),
      total,
      targets: this.#lanes.map((lane) => ({
        name: lane.target.name,
        url: lane.target.url,
        ...(lane.target.environment ? { environment: lane.target.environment } : {}),
        ...(lane.target.customer ? { customer: lane.target.customer } : {}),
        productIds: lane.fromApi ? 'from-api' : 'fallback',
        stats: lane.total.snapshot(),
      })),
      generatorCpu: {
        userS: round(cpu.user / 1e6, 3),
        systemS: round(cpu.system / 1e6, 3),
        percentOfOneCore: round(((cpu.user + cpu.system) / 1e6 / wallS) * 100, 1),
      },
      // The histogram holds whole timer intervals (resolution included): keep only the delay.
      generatorLoopDelay: {
        p99: round(Math.max(0, this.#loopDelay.percentile(99) / 1e6 - LOOP_RESOLUTION_MS), 2),
        max: round(Math.max(0, this.#loopDelay.max / 1e6 - LOOP_RESOLUTION_MS), 2),
      },
      histograms: {
        corrected: encodeHistogram(this.#totals.corrected),
        uncorrected: encodeHistogram(this.#totals.uncorrected),
      },
    };
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
