import { describe, expect, it } from 'vitest';
import { cardText, change, formatValue, guessUnit, significant } from './format.ts';

describe('formatValue', () => {
  it('keeps three significant digits and drops float noise', () => {
    expect(significant(6.679999999999998)).toBe('6.68');
    expect(significant(0.1)).toBe('0.1');
    expect(significant(12.345)).toBe('12.3');
    expect(significant(999.7)).toBe('1k');
    expect(significant(123_456)).toBe('123k');
    expect(significant(2_500_000)).toBe('2.5M');
    expect(significant(0)).toBe('0');
    expect(significant(-0.01234)).toBe('-0.0123');
  });

  it('writes seconds as µs, ms or s', () => {
    expect(formatValue(0.1234, 's')).toBe('123 ms');
    expect(formatValue(0.0052, 's')).toBe('5.2 ms');
    expect(formatValue(0.0000421, 's')).toBe('42.1 µs');
    expect(formatValue(2.5, 's')).toBe('2.5 s');
    expect(formatValue(0, 's')).toBe('0 s');
  });

  it('writes ratios and CPU as % without repeating the unit', () => {
    expect(formatValue(0.052, 'ratio')).toBe('5.2 %');
    expect(formatValue(0.0001234, 'ratio')).toBe('0.0123 %');
    expect(formatValue(1, 'ratio')).toBe('100 %');
    expect(formatValue(0.016, 'cores')).toBe('1.6 %');
  });

  it('writes rates, bytes and counts with their units', () => {
    expect(formatValue(6.679999999999998, 'req/s')).toBe('6.68 req/s');
    expect(formatValue(1234.5, 'req/s')).toBe('1.23k req/s');
    expect(formatValue(3, 'ops/s')).toBe('3 /s');
    expect(formatValue(123 * 1024 * 1024, 'bytes')).toBe('123 MiB');
    expect(formatValue(512, 'bytes')).toBe('512 B');
    expect(formatValue(6.679999999999998, 'count')).toBe('6.68');
    expect(formatValue(null, 'req/s')).toBe('–');
    expect(formatValue(Number.NaN, 's')).toBe('–');
  });

  it('summary cards say "no traffic" when the range had no requests', () => {
    expect(cardText(null, 's', true)).toBe('no traffic');
    expect(cardText(0, 'req/s', true)).toBe('no traffic');
    expect(cardText(0, 'count', true)).toBe('0');
    expect(cardText(null, 's', false)).toBe('–');
    expect(cardText(0.2, 's', false)).toBe('200 ms');
  });

  it('computes the change against the previous period', () => {
    expect(change(12, 10)).toBeCloseTo(0.2);
    expect(change(1, 0)).toBeNull();
    expect(change(null, 1)).toBeNull();
  });
});

describe('guessUnit', () => {
  it.each([
    ['sum by (environment) (data_plane:http_server_requests:rate1m)', 'req/s'],
    ['sum(rate(http_server_request_duration_seconds_count[1m]))', 'req/s'],
    ['environment:http_server_request_duration_seconds:p95_rate1m', 's'],
    [
      'histogram_quantile(0.9, sum by (le) (rate(http_server_request_duration_seconds_bucket[5m])))',
      's',
    ],
    ['data_plane:http_server_error_ratio:rate1m', 'ratio'],
    ['max(process_memory_usage_bytes)', 'bytes'],
    ['sum(rate(app_orders_created_total[1m]))', 'ops/s'],
    ['up', 'count'],
  ])('%s -> %s', (expr, unit) => {
    expect(guessUnit(expr)).toBe(unit);
  });
});
