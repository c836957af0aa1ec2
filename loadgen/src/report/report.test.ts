import { describe, expect, it } from 'vitest';
import { Recorder } from '../record/recorder.ts';
import type { RunResult, RunStatus } from '../run.ts';
import { liveLine } from './live.ts';
import { summaryText } from './summary.ts';

describe('live line', () => {
  it('shows elapsed, target vs achieved, in flight, percentiles and statuses', () => {
    const status: RunStatus = {
      state: 'running',
      elapsedS: 12.3,
      durationS: 60,
      targetRate: 550,
      factor: 1.1,
      achievedRate: 548,
      inFlight: 3,
      scheduled: 6000,
      dropped: 0,
      completed: 5990,
      errors: 12,
      statuses: { '200': 5978, '503': 12 },
      window: { p50: 1.234, p95: 3.4, p99: 8.1, count: 548 },
    };
    expect(liveLine(status)).toBe(
      '[ 12.3s/1m] target 550/s (x1.1) achieved 548/s in-flight 3 | p50 1.23ms p95 3.4ms p99 8.1ms | 200:5978 503:12 dropped:0',
    );
    expect(liveLine({ ...status, state: 'paused', factor: 0 })).toMatch(
      /^\[ 12.3s\/1m\] PAUSED target/,
    );
  });
});

describe('summary', () => {
  it('has the counts, both latency rows, routes and threshold verdicts', () => {
    const r = new Recorder();
    r.schedule();
    r.response('browse', 200, false, 0, 0, 2);
    r.schedule();
    r.drop('order');
    const result: RunResult = {
      reason: 'interrupted',
      startedAt: '',
      scheduledForS: 3,
      drainedForS: 0,
      abandoned: 0,
      targetRate: 0.7,
      achievedRate: 0.3,
      total: r.snapshot(),
      targets: [],
      generatorCpu: { userS: 0.1, systemS: 0, percentOfOneCore: 3.3 },
      generatorLoopDelay: { p99: 1, max: 2 },
      histograms: { corrected: '', uncorrected: '' },
    };
    const text = summaryText(result, {
      title: 'steady',
      thresholds: [{ expression: 'p95<300ms', ok: true, actual: '2ms' }],
    });
    expect(text).toMatch(/^steady: interrupted \(Ctrl-C\) after 3s/);
    expect(text).toMatch(/scheduled 2\s+dropped 1 \(50%\)/);
    expect(text).toMatch(/corrected\s+2\s+2/);
    expect(text).toMatch(/uncorrected\s+2/);
    expect(text).toMatch(/generator: CPU 3.3% of one core/);
    expect(text).toMatch(/ok {3}p95<300ms\s+2ms/);
  });
});
