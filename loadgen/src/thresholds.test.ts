import { describe, expect, it } from 'vitest';
import { Recorder } from './record/recorder.ts';
import type { RunResult } from './run.ts';
import { evaluateThresholds, parseThreshold } from './thresholds.ts';

function result(): RunResult {
  const r = new Recorder();
  for (let i = 0; i < 98; i++) {
    r.schedule();
    r.response('browse', 200, false, 0, 0, 10); // 10 ms
  }
  r.schedule();
  r.response('order', 503, false, 0, 0, 400);
  r.schedule();
  r.drop('pay');
  return {
    reason: 'done',
    startedAt: '',
    scheduledForS: 1,
    drainedForS: 0,
    abandoned: 0,
    targetRate: 100,
    achievedRate: 99,
    total: r.snapshot(),
    targets: [],
    generatorCpu: { userS: 0, systemS: 0, percentOfOneCore: 0 },
    generatorLoopDelay: { p99: 0, max: 0 },
    histograms: { corrected: '', uncorrected: '' },
  };
}

describe('thresholds', () => {
  it('parses latency with units into milliseconds', () => {
    expect(parseThreshold('p95<300ms').value).toBe(300);
    expect(parseThreshold('p99 <= 1.5s').value).toBe(1500);
    expect(parseThreshold('p50<800us').value).toBe(0.8);
    expect(parseThreshold('max<250').value).toBe(250);
    expect(parseThreshold('errors<1%')).toMatchObject({ value: 0.01, percent: true });
    expect(parseThreshold('dropped==0')).toMatchObject({ value: 0, percent: false });
  });

  it('rejects units that do not fit the metric', () => {
    expect(() => parseThreshold('p95<5%')).toThrow(/latency; use us, ms or s/);
    expect(() => parseThreshold('errors<5ms')).toThrow(/takes a % or a plain number/);
  });

  it('evaluates against a result: latency (corrected), error and drop ratios, achieved rate', () => {
    const checks = evaluateThresholds(
      [
        'p95<300ms',
        'p99<100ms',
        'errors<2%',
        'errors<1%',
        'dropped==0',
        'dropped<=1',
        'achieved>=99%',
        'achieved>99.5',
      ].map(parseThreshold),
      result(),
    );
    expect(checks.map((c) => [c.expression, c.ok, c.actual])).toEqual([
      ['p95<300ms', true, '10.007ms'], // HDR: within 0.1 % (3 digits),
      ['p99<100ms', false, '400ms'],
      ['errors<2%', true, '1.01%'],
      ['errors<1%', false, '1.01%'],
      ['dropped==0', false, '1'],
      ['dropped<=1', true, '1'],
      ['achieved>=99%', true, '99.00%'],
      ['achieved>99.5', false, '99 req/s'],
    ]);
  });
});
