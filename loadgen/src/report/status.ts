import type { Recorder } from '../record/recorder.ts';
import type { Schedule } from '../schedule/schedule.ts';
import { round } from './result.ts';

// The run's progress while it goes on: what the live line prints, GET /status answers and
// `onInterval` receives.

export type RunState = 'starting' | 'running' | 'paused' | 'draining' | 'done';

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

export interface StatusInput {
  state: RunState;
  /** Seconds since the start, at most the schedule's duration. */
  elapsedS: number;
  schedule: Schedule;
  intervalMs: number;
  inFlight: number;
  /** The last folded interval, and every folded interval. */
  live: Recorder;
  total: Recorder;
}

export function runStatus(s: StatusInput): RunStatus {
  const live = s.live.snapshot();
  const ended = s.state === 'draining' || s.state === 'done';
  return {
    state: s.state,
    elapsedS: round(s.elapsedS, 3),
    durationS: s.schedule.duration,
    targetRate: round(
      ended ? 0 : s.schedule.rateAt(Math.min(s.elapsedS, s.schedule.duration - 1e-6)),
      2,
    ),
    factor: round(s.state === 'paused' ? 0 : s.schedule.factor, 4),
    achievedRate: round(live.completed / (s.intervalMs / 1000), 1),
    inFlight: s.inFlight,
    scheduled: s.total.scheduled,
    dropped: s.total.dropped,
    completed: s.total.completed,
    errors: s.total.errors,
    statuses: Object.fromEntries(s.total.statuses),
    window: {
      p50: live.latency.corrected.p50,
      p95: live.latency.corrected.p95,
      p99: live.latency.corrected.p99,
      count: live.latency.corrected.count,
    },
  };
}
