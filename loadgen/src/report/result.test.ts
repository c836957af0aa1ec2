import { describe, expect, it } from 'vitest';
import { decodeHistogram } from '../record/histogram.ts';
import { IntervalRecorders } from '../record/intervals.ts';
import { Recorder } from '../record/recorder.ts';
import { assembleResult, type RunRecord } from './result.ts';

function record(overrides: Partial<RunRecord> = {}): RunRecord {
  const total = new Recorder();
  for (let i = 0; i < 100; i++) total.schedule();
  for (let i = 0; i < 90; i++) total.response('browse', 200, false, 0, 0, 2);
  return {
    reason: 'done',
    startedAt: '2026-01-01T00:00:00.000Z',
    abandoned: 0,
    startMs: 1000,
    // Scheduled for 10 s, the last response 0.5 s after the stop, assembled 1 s after it.
    stoppedAtMs: 11_000,
    lastCompletionMs: 11_500,
    nowMs: 12_000,
    total,
    targets: [],
    generator: { cpu: { user: 1_500_000, system: 500_000 }, loopDelay: { p99: 1.234, max: 7.891 } },
    ...overrides,
  };
}

describe('result assembly', () => {
  it('rates: target over the scheduled time, achieved until the last response', () => {
    const result = assembleResult(record());
    expect(result.scheduledForS).toBe(10);
    expect(result.drainedForS).toBe(0.5);
    expect(result.targetRate).toBe(10); // 100 scheduled in 10 s
    expect(result.achievedRate).toBe(8.6); // 90 completed in 10.5 s
  });

  it('a run whose last response came before the stop drained for 0 s', () => {
    const result = assembleResult(record({ lastCompletionMs: 9000 }));
    expect(result.drainedForS).toBe(0);
    expect(result.achievedRate).toBe(9); // 90 in the 10 s until the stop
  });

  it("the generator's CPU as a share of one core over the whole run; loop delay rounded", () => {
    const result = assembleResult(record());
    expect(result.generatorCpu).toEqual({ userS: 1.5, systemS: 0.5, percentOfOneCore: 18.2 });
    expect(result.generatorLoopDelay).toEqual({ p99: 1.23, max: 7.89 });
  });

  it('per target: totals, labels when known, where the product ids came from; histograms encoded', () => {
    const recorders = new IntervalRecorders(2);
    recorders.open(0).schedule();
    recorders.open(0).response('order', 201, false, 0, 1, 3);
    recorders.open(1).schedule();
    recorders.open(1).drop('browse');
    recorders.fold();
    const result = assembleResult(
      record({
        total: recorders.total,
        targets: [
          {
            target: { name: 'a', url: 'http://a', environment: 'prod', customer: 'acme' },
            productIds: 'from-api',
            total: recorders.target(0),
          },
          {
            target: { name: 'b', url: 'http://b' },
            productIds: 'fallback',
            total: recorders.target(1),
          },
        ],
      }),
    );
    expect(
      result.targets.map(({ stats, ...rest }) => ({ ...rest, completed: stats.completed })),
    ).toEqual([
      {
        name: 'a',
        url: 'http://a',
        environment: 'prod',
        customer: 'acme',
        productIds: 'from-api',
        completed: 1,
      },
      { name: 'b', url: 'http://b', productIds: 'fallback', completed: 0 },
    ]);
    expect(result.total).toMatchObject({ scheduled: 2, completed: 1, dropped: 1 });
    expect(decodeHistogram(result.histograms.corrected).totalCount).toBe(1);
  });
});

describe('interval recorders', () => {
  it('a fold makes the open interval live, adds it to the totals and opens an empty one', () => {
    const recorders = new IntervalRecorders(2);
    recorders.open(0).schedule();
    recorders.open(1).schedule();
    recorders.fold();
    expect(recorders.live.scheduled).toBe(2);
    recorders.open(1).schedule();
    recorders.fold();
    expect(recorders.live.scheduled).toBe(1);
    expect(recorders.total.scheduled).toBe(3);
    expect([recorders.target(0).scheduled, recorders.target(1).scheduled]).toEqual([1, 2]);
    expect(recorders.open(1).scheduled).toBe(0);
  });
});
