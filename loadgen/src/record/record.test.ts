import { describe, expect, it } from 'vitest';
import { decodeHistogram, encodeHistogram, summarize } from './histogram.ts';
import { correctedMicros, lateMicros, msToMicros, uncorrectedMicros } from './latency.ts';
import { classify, failureName, Recorder } from './recorder.ts';

describe('latency arithmetic (milliseconds in, microseconds out)', () => {
  it('corrected latency runs from the intended start, uncorrected from the send', () => {
    // Intended at 1000 ms, went out at 1250 ms (queued behind a stall), answered at 1252.5 ms.
    expect(correctedMicros(1000, 1250, 1252.5)).toBe(252_500);
    expect(uncorrectedMicros(1250, 1252.5)).toBe(2_500);
    expect(lateMicros(1000, 1250)).toBe(250_000);
  });

  it('a send that went out early (timer resolution) counts from the send, never below uncorrected', () => {
    expect(correctedMicros(1000, 999.4, 1002)).toBe(2_600);
    expect(uncorrectedMicros(999.4, 1002)).toBe(2_600);
  });

  it('rounds to whole microseconds and never records below 1 µs', () => {
    expect(msToMicros(0.0004)).toBe(1);
    expect(msToMicros(0.0016)).toBe(2);
    expect(msToMicros(1.2345)).toBe(1235);
    expect(lateMicros(10, 9)).toBe(0);
  });
});

describe('Recorder', () => {
  it('classifies: 5xx errors, 4xx expected only for invalid sends, 2xx for invalid is an error', () => {
    expect(classify(200, false)).toBe('ok');
    expect(classify(503, false)).toBe('error');
    expect(classify(400, false)).toBe('error');
    expect(classify(400, true)).toBe('expected-rejection');
    expect(classify(201, true)).toBe('error');
    expect(failureName({ code: 'UND_ERR_HEADERS_TIMEOUT' })).toBe('timeout');
    expect(failureName({ code: 'ECONNREFUSED' })).toBe('ECONNREFUSED');
    expect(failureName(new Error('x'))).toBe('network-error');
  });

  it('merges counts and histograms exactly', () => {
    const a = new Recorder();
    const b = new Recorder();
    for (let i = 1; i <= 99; i++) a.response('browse', 200, false, 0, 0, 1); // 1 ms
    b.response('order', 500, false, 0, 900, 1000); // 1 s corrected, 100 ms uncorrected
    b.failure('order', 'ECONNRESET');
    b.drop('pay');
    const total = new Recorder();
    total.merge(a);
    total.merge(b);
    const s = total.snapshot();
    expect(s.completed).toBe(101);
    expect(s.errors).toBe(2);
    expect(s.dropped).toBe(1);
    expect(s.statuses).toEqual({ '200': 99, '500': 1, ECONNRESET: 1, dropped: 1 });
    expect(s.routes.order).toEqual({ count: 2, errors: 2 });
    expect(s.latency.corrected.count).toBe(100);
    expect(s.latency.corrected.p50).toBe(1);
    expect(s.latency.corrected.max).toBeCloseTo(1000, 0);
    expect(s.latency.uncorrected.max).toBeCloseTo(100, 0);
  });

  it('histograms survive encoding (results from several runs can be merged)', () => {
    const r = new Recorder();
    for (let i = 1; i <= 1000; i++) r.response('browse', 200, false, 0, 0, i / 10);
    const back = decodeHistogram(encodeHistogram(r.corrected));
    const { max, ...rest } = summarize(back);
    const { max: originalMax, ...originalRest } = summarize(r.corrected);
    expect(rest).toEqual(originalRest);
    // The decoded max is its bucket's top: equal within the 3 significant digits kept.
    expect(Math.abs(max - originalMax) / originalMax).toBeLessThan(0.001);
    expect(summarize(back).p99).toBeCloseTo(99, 0);
  });
});
