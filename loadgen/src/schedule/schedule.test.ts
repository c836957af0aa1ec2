import { describe, expect, it } from 'vitest';
import { RateCurve } from './curve.ts';
import { buildCurve } from './patterns.ts';
import { Schedule } from './schedule.ts';

/** Every intended start time of a schedule, seconds. */
function times(schedule: Schedule): number[] {
  const out: number[] = [];
  for (let k = 0; ; k++) {
    const t = schedule.timeOf(k);
    if (t === Infinity) return out;
    out.push(t);
  }
}

describe('steady', () => {
  it('100 req/s for 10 s is exactly 1000 sends, 10 ms apart, the first at 0', () => {
    const all = times(new Schedule(buildCurve('steady', 100, 10)));
    expect(all).toHaveLength(1000);
    expect(all[0]).toBe(0);
    for (let i = 1; i < all.length; i++) {
      expect((all[i] as number) - (all[i - 1] as number)).toBeCloseTo(0.01, 9);
    }
    expect(all.at(-1)).toBeCloseTo(9.99, 9);
  });

  it('a fractional total rounds up: 3 req/s for 1.5 s is 5 sends (4.5 due)', () => {
    expect(times(new Schedule(buildCurve('steady', 3, 1.5)))).toHaveLength(5);
  });

  it('soak is steady with the same arithmetic', () => {
    expect(times(new Schedule(buildCurve('soak', 2, 100)))).toHaveLength(200);
  });
});

describe('spike', () => {
  it('base 10 req/s, x5 from 2 s for 2 s over 6 s: 10*4 + 50*2 = 140 sends', () => {
    const all = times(
      new Schedule(buildCurve('spike', 10, 6, { spikeAt: 2, spikeFor: 2, spikeX: 5 })),
    );
    expect(all).toHaveLength(140);
    const during = all.filter((t) => t >= 2 && t < 4);
    expect(during).toHaveLength(100);
    expect((during[1] as number) - (during[0] as number)).toBeCloseTo(0.02, 9);
    expect(all.filter((t) => t < 2)).toHaveLength(20);
  });

  it('defaults: a third of the duration in, a third long, five times the rate', () => {
    const curve = buildCurve('spike', 10, 30);
    expect(curve.rateAt(9.9)).toBe(10);
    expect(curve.rateAt(10)).toBe(50);
    expect(curve.rateAt(19.9)).toBe(50);
    expect(curve.rateAt(20)).toBe(10);
  });

  it('rejects a spike that ends after the run', () => {
    expect(() => buildCurve('spike', 10, 10, { spikeAt: 8, spikeFor: 5 })).toThrow(/--spike-at/);
  });
});

describe('ramp', () => {
  it('0 -> 100 -> 0 req/s over 20 s is a triangle of 1000 sends', () => {
    const curve = buildCurve('ramp', 100, 20);
    expect(curve.rateAt(5)).toBeCloseTo(50, 9);
    expect(curve.rateAt(10)).toBeCloseTo(100, 9);
    expect(curve.rateAt(15)).toBeCloseTo(50, 9);
    const all = times(new Schedule(curve));
    expect(all).toHaveLength(1000);
    // Spacing shrinks towards the peak and grows after it: the rate follows the curve.
    const firstHalf = all.filter((t) => t < 5).length;
    const secondQuarter = all.filter((t) => t >= 5 && t < 10).length;
    expect(firstHalf).toBe(125); // integral of 0..50 over 5 s
    expect(secondQuarter).toBe(375);
  });

  it('the n-th send is where the integral reaches n (inverse of a quadratic)', () => {
    const curve = buildCurve('ramp', 100, 20, { rampFrom: 20, rampPeakAt: 10 });
    const schedule = new Schedule(curve);
    for (const k of [1, 10, 200, 700, 1100]) {
      expect(curve.integral(schedule.timeOf(k))).toBeCloseTo(k, 6);
    }
  });
});

describe('live rate changes', () => {
  it('doubling at 5 s keeps earlier sends and halves the spacing after', () => {
    const schedule = new Schedule(buildCurve('steady', 10, 10));
    schedule.setFactor(2, 5);
    const all = times(schedule);
    expect(all).toHaveLength(50 + 100);
    expect(all[49]).toBeCloseTo(4.9, 9);
    expect(all[50]).toBeCloseTo(5, 9);
    expect(all[51]).toBeCloseTo(5.05, 9);
    expect(schedule.rateAt(6)).toBe(20);
  });

  it('setRate sets the current rate, pausing (factor 0) stops sends until resumed', () => {
    const schedule = new Schedule(buildCurve('steady', 10, 10));
    schedule.setFactor(0, 2.05); // 20.5 sends due by then: send 20 (at 2.0 s) keeps its time
    expect(schedule.timeOf(20)).toBeCloseTo(2, 9);
    expect(schedule.timeOf(21)).toBe(Infinity);
    schedule.setRate(40, 4); // the half send still owed comes 0.5/40 s after resuming
    expect(schedule.timeOf(21)).toBeCloseTo(4.0125, 9);
    expect(schedule.timeOf(22)).toBeCloseTo(4.0375, 9);
    expect(times(schedule)).toHaveLength(21 + 240);
  });

  it('forgetting old regimes does not change future times', () => {
    const schedule = new Schedule(buildCurve('steady', 10, 10));
    schedule.setFactor(2, 1);
    schedule.setFactor(3, 2);
    const before = schedule.timeOf(100);
    schedule.forgetBefore(60);
    expect(schedule.timeOf(100)).toBe(before);
  });

  it('refuses to scale a rate of zero', () => {
    const schedule = new Schedule(buildCurve('ramp', 10, 10));
    expect(() => schedule.setRate(5, 0)).toThrow(/rate is 0/);
  });
});

describe('RateCurve', () => {
  it('rejects gaps', () => {
    expect(() => new RateCurve([{ start: 1, end: 2, from: 1, to: 1 }])).toThrow(/contiguous/);
  });
});
