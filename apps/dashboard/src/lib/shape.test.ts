import { describe, expect, it } from 'vitest';
import { byLabel, scalar, toChartSeries } from './shape.ts';

describe('data shaping', () => {
  it('names chart series by a label, drops NaN points and empty series, sorts by name', () => {
    const series = toChartSeries(
      [
        {
          metric: { environment: 'qa' },
          points: [
            [1, 2],
            [2, Number.NaN],
          ],
        },
        { metric: { environment: 'dev' }, points: [[1, 1]] },
        { metric: { environment: 'prod' }, points: [[1, Number.NaN]] },
      ],
      'environment',
    );
    expect(series).toEqual([
      { name: 'dev', points: [[1, 1]] },
      { name: 'qa', points: [[1, 2]] },
    ]);
  });

  it('on a grid, every step gets a point: null where the series was idle or NaN', () => {
    const series = toChartSeries(
      [
        {
          metric: { environment: 'prod' },
          points: [
            [100, 1],
            [110, Number.NaN],
            [130, 3],
          ],
        },
      ],
      'environment',
      'all',
      { start: 100, end: 140, step: 10 },
    );
    expect(series).toEqual([
      {
        name: 'prod',
        points: [
          [100, 1],
          [110, null],
          [120, null],
          [130, 3],
          [140, null],
        ],
      },
    ]);
  });

  it('keys instant samples by label and reads scalars', () => {
    expect(
      byLabel(
        [
          { metric: { data_plane: 'a' }, value: 1 },
          { metric: { data_plane: 'b' }, value: Number.NaN },
        ],
        'data_plane',
      ),
    ).toEqual({ a: 1 });
    expect(scalar([])).toBeNull();
    expect(scalar([{ metric: {}, value: 0.5 }])).toBe(0.5);
  });
});
