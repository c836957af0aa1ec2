import { describe, expect, it } from 'vitest';
import { byLabel, scalar, toChartSeries } from './shape.ts';
import { change, colorFor, formatValue } from './charts/format.ts';

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

  it('formats values with units and computes the change against the previous period', () => {
    expect(formatValue(0.1234, 's')).toBe('123 ms');
    expect(formatValue(2.5, 's')).toBe('2.50 s');
    expect(formatValue(0.052, 'ratio')).toBe('5.2 %');
    expect(formatValue(null, 'req/s')).toBe('–');
    expect(change(12, 10)).toBeCloseTo(0.2);
    expect(change(1, 0)).toBeNull();
  });

  it('gives each environment one stable colour', () => {
    expect(colorFor('prod')).toBe(colorFor('prod'));
    expect(colorFor('prod')).not.toBe(colorFor('dev'));
    expect(colorFor('customer-x-eu')).toMatch(/^#[0-9a-f]{6}$/);
  });
});
