import { UsageError } from '../errors.ts';
import { RateCurve } from './curve.ts';

// The load patterns. Each one turns a rate, a duration and its own parameters into a rate
// curve; the parameters and their defaults are documented in docs/loadgen.md.

export const PATTERNS = ['steady', 'spike', 'ramp', 'soak'] as const;
export type PatternName = (typeof PATTERNS)[number];

export interface PatternParams {
  /** spike: when the spike starts, seconds (default: a third of the duration). */
  spikeAt?: number;
  /** spike: how long it lasts, seconds (default: a third of the duration, at most 30 s). */
  spikeFor?: number;
  /** spike: the multiple of the base rate during the spike (default 5). */
  spikeX?: number;
  /** ramp: the rate at the start and at the end, req/s (default 0). */
  rampFrom?: number;
  /** ramp: when the peak (`--rate`) is reached, seconds (default: half the duration). */
  rampPeakAt?: number;
}

/** Default duration per pattern, seconds: a soak is long by definition. */
export const DEFAULT_DURATION: Record<PatternName, number> = {
  steady: 60,
  spike: 60,
  ramp: 60,
  soak: 30 * 60,
};

export const DEFAULT_SPIKE_X = 5;

/**
 * The highest rate a run accepts, req/s, from `--rate` and from the control endpoint's
 * PUT /rate alike: ten times what one core holds (docs/loadgen.md, Benchmark), so a typo or a
 * stray request cannot ask for a rate that would only flood the target with drops.
 */
export const MAX_RATE = 100_000;

/** When the spike starts and how long it lasts, seconds, with the defaults applied. */
export function spikeWindow(
  duration: number,
  params: PatternParams,
): { at: number; length: number } {
  return {
    at: params.spikeAt ?? duration / 3,
    length: params.spikeFor ?? Math.min(30, duration / 3),
  };
}

/** Builds the curve; throws a UsageError naming the flags when the combination is impossible. */
export function buildCurve(
  pattern: PatternName,
  rate: number,
  duration: number,
  params: PatternParams = {},
): RateCurve {
  switch (pattern) {
    case 'steady':
    case 'soak':
      return new RateCurve([{ start: 0, end: duration, from: rate, to: rate }]);
    case 'spike': {
      const { at, length } = spikeWindow(duration, params);
      const peak = rate * (params.spikeX ?? DEFAULT_SPIKE_X);
      if (at + length > duration) {
        throw new UsageError(
          `--spike-at (${at}s) + --spike-for (${length}s) must end within --duration (${duration}s)`,
        );
      }
      const parts = [
        { start: 0, end: at, from: rate, to: rate },
        { start: at, end: at + length, from: peak, to: peak },
        { start: at + length, end: duration, from: rate, to: rate },
      ];
      return new RateCurve(parts.filter((p) => p.end > p.start));
    }
    case 'ramp': {
      const from = params.rampFrom ?? 0;
      const peakAt = params.rampPeakAt ?? duration / 2;
      if (!(peakAt > 0 && peakAt <= duration)) {
        throw new UsageError(
          `--ramp-peak-at (${peakAt}s) must be within --duration (${duration}s)`,
        );
      }
      const parts = [
        { start: 0, end: peakAt, from, to: rate },
        { start: peakAt, end: duration, from: rate, to: from },
      ];
      return new RateCurve(parts.filter((p) => p.end > p.start));
    }
  }
}
