import * as hdr from 'hdr-histogram-js';

// HDR histograms of microseconds: 3 significant digits from 1 µs to an hour, so a
// percentile is within 0.1 % whatever the spread; histograms add exactly, so per-target
// and per-interval recordings merge into totals without losing precision.

export type Histogram = hdr.Histogram;

const HOUR_MICROS = 3_600_000_000;

export function newHistogram(): Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HOUR_MICROS,
    numberOfSignificantValueDigits: 3,
    bitBucketSize: 32,
    autoResize: false,
    useWebAssembly: false,
  });
}

/** Records a value, clamping what is beyond the histogram's range to its top. */
export function recordMicros(h: Histogram, us: number): void {
  h.recordValue(Math.min(HOUR_MICROS, Math.max(1, us)));
}

export interface LatencySummary {
  /** All in milliseconds. */
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  count: number;
}

export const PERCENTILES = { p50: 50, p90: 90, p95: 95, p99: 99, p999: 99.9 } as const;

export function summarize(h: Histogram): LatencySummary {
  const ms = (us: number): number => Math.round(us) / 1000;
  // A percentile is its bucket's highest equivalent value; cap it at the exact max.
  const at = (p: number): number => ms(Math.min(h.getValueAtPercentile(p), h.maxValue));
  if (h.totalCount === 0) {
    return { min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, count: 0 };
  }
  return {
    min: ms(h.minNonZeroValue),
    mean: ms(h.mean),
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    p999: at(99.9),
    max: ms(h.maxValue),
    count: h.totalCount,
  };
}

/** The histogram in HdrHistogram's compressed base64 form, for merging runs later. */
export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(text: string): Histogram {
  return hdr.decodeFromCompressedBase64(text, 32, false);
}
