import { encodeHistogram } from '../record/histogram.ts';
import type { GeneratorUsage } from '../record/generator.ts';
import type { Recorder, RecorderSnapshot } from '../record/recorder.ts';
import type { Target } from '../targets.ts';

// The run's result, assembled once at the end from what the run measured: counts and
// histograms, the clock readings that give the rates, and the generator's own health. The
// summary, the JSON output and the thresholds all read this one object.

export type StopReason = 'done' | 'quit' | 'interrupted';

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

/** What the run hands over at its end; times are performance.now() milliseconds. */
export interface RunRecord {
  reason: StopReason;
  startedAt: string;
  abandoned: number;
  /** When the schedule started, when it stopped, and when the last response came. */
  startMs: number;
  stoppedAtMs: number;
  lastCompletionMs: number;
  /** When the result is assembled (the generator's CPU share is over start..now). */
  nowMs: number;
  total: Recorder;
  targets: { target: Target; productIds: TargetResult['productIds']; total: Recorder }[];
  generator: GeneratorUsage;
}

export function assembleResult(run: RunRecord): RunResult {
  const scheduledForS = (run.stoppedAtMs - run.startMs) / 1000;
  // A run stopped before any response still drained for 0 s, not a negative time.
  const lastMs = Math.max(run.lastCompletionMs, run.stoppedAtMs);
  const total = run.total.snapshot();
  const { cpu, loopDelay } = run.generator;
  const wallS = (run.nowMs - run.startMs) / 1000;
  return {
    reason: run.reason,
    startedAt: run.startedAt,
    scheduledForS: round(scheduledForS, 3),
    drainedForS: round((lastMs - run.stoppedAtMs) / 1000, 3),
    abandoned: run.abandoned,
    targetRate: round(total.scheduled / scheduledForS, 1),
    achievedRate: round(total.completed / ((lastMs - run.startMs) / 1000), 1),
    total,
    targets: run.targets.map(({ target, productIds, total: stats }) => ({
      name: target.name,
      url: target.url,
      ...(target.environment ? { environment: target.environment } : {}),
      ...(target.customer ? { customer: target.customer } : {}),
      productIds,
      stats: stats.snapshot(),
    })),
    generatorCpu: {
      userS: round(cpu.user / 1e6, 3),
      systemS: round(cpu.system / 1e6, 3),
      percentOfOneCore: round(((cpu.user + cpu.system) / 1e6 / wallS) * 100, 1),
    },
    generatorLoopDelay: { p99: round(loopDelay.p99, 2), max: round(loopDelay.max, 2) },
    histograms: {
      corrected: encodeHistogram(run.total.corrected),
      uncorrected: encodeHistogram(run.total.uncorrected),
    },
  };
}

/** `x` rounded to `digits` decimals. */
export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
