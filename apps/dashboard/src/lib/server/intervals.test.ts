import { describe, expect, it } from 'vitest';
import { toIntervals } from './intervals.ts';

const range = { start: 100, end: 200, step: 10 };

describe('toIntervals', () => {
  it('turns runs of consecutive steps into [start, end] intervals', () => {
    const { intervals, truncated } = toIntervals(
      [
        {
          metric: { environment: 'prod', app_fault_kind: 'error' },
          points: [
            [110, 1],
            [120, 1],
            [130, 1],
            [160, 1],
            [170, 1],
          ],
        },
      ],
      range,
    );
    expect(truncated).toBe(false);
    expect(intervals).toEqual([
      {
        start: 110,
        end: 130,
        open: false,
        labels: { environment: 'prod', app_fault_kind: 'error' },
      },
      {
        start: 160,
        end: 170,
        open: false,
        labels: { environment: 'prod', app_fault_kind: 'error' },
      },
    ]);
  });

  it('marks an interval that lasts to the end of the range as open, and ignores 0 and NaN', () => {
    const { intervals } = toIntervals(
      [
        {
          metric: { alertname: 'HighErrorRatio' },
          points: [
            [180, 0],
            [190, 1],
            [200, 1],
          ],
        },
        { metric: { alertname: 'Other' }, points: [[150, Number.NaN]] },
      ],
      range,
    );
    expect(intervals).toEqual([
      { start: 190, end: 200, open: true, labels: { alertname: 'HighErrorRatio' } },
    ]);
  });

  it('keeps a one-step interval, and tolerates jitter under half a step', () => {
    const { intervals } = toIntervals(
      [
        {
          metric: {},
          points: [
            [100, 1],
            [114, 1],
            [140, 1],
          ],
        },
      ],
      range,
    );
    expect(intervals.map((i) => [i.start, i.end])).toEqual([
      [100, 114],
      [140, 140],
    ]);
  });

  it('keeps the most recent intervals when there are more than the limit', () => {
    const series = Array.from({ length: 5 }, (_, i) => ({
      metric: { n: String(i) },
      points: [[100 + i * 20, 1]] as Array<[number, number]>,
    }));
    const { intervals, truncated } = toIntervals(series, range, 2);
    expect(truncated).toBe(true);
    expect(intervals.map((i) => i.start)).toEqual([160, 180]);
  });
});
