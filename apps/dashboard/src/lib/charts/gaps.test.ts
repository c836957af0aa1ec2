import { describe, expect, it } from 'vitest';
import { fillGaps, gridOf, nearestIndex } from './gaps.ts';

describe('gaps', () => {
  it('puts null at every step a range query returned no point for', () => {
    expect(
      fillGaps(
        [
          [10, 1],
          [40, 4],
        ],
        10,
        50,
        10,
      ),
    ).toEqual([
      [10, 1],
      [20, null],
      [30, null],
      [40, 4],
      [50, null],
    ]);
  });

  it('treats NaN as a gap and ignores points off the range', () => {
    expect(
      fillGaps(
        [
          [0, 9],
          [10, Number.NaN],
          [20, 2],
          [99, 9],
        ],
        10,
        20,
        10,
      ),
    ).toEqual([
      [10, null],
      [20, 2],
    ]);
  });

  it('keeps fractional grids exact to the millisecond', () => {
    expect(fillGaps([], 1.1, 1.3, 0.1).map(([t]) => t)).toEqual([1.1, 1.2, 1.3]);
  });

  it('refuses a bad grid', () => {
    expect(() => fillGaps([], 10, 20, 0)).toThrow(RangeError);
  });

  it('finds the grid of series whose start is unknown', () => {
    expect(
      gridOf([
        {
          points: [
            [20, 1],
            [30, 1],
          ],
        },
        { points: [[10, 1]] },
      ]),
    ).toEqual({ start: 10, end: 30 });
    expect(gridOf([])).toBeNull();
  });

  it('finds the nearest point by x', () => {
    const points = [{ x: 0 }, { x: 10 }, { x: 20 }];
    expect(nearestIndex(points, -5)).toBe(0);
    expect(nearestIndex(points, 4)).toBe(0);
    expect(nearestIndex(points, 6)).toBe(1);
    expect(nearestIndex(points, 20)).toBe(2);
    expect(nearestIndex(points, 99)).toBe(2);
    expect(nearestIndex([], 1)).toBe(-1);
  });
});
