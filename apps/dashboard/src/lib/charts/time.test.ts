import { describe, expect, it } from 'vitest';
import {
  formatRange,
  formatTime,
  tickPattern,
  timeTicks,
  zoneLabel,
  zoneOffsetMs,
} from './time.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const at = (iso: string) => Date.parse(iso);

describe('time', () => {
  it('chooses HH:mm within a day and the date from a day on', () => {
    expect(tickPattern(HOUR)).toBe('HH:mm');
    expect(tickPattern(6 * HOUR)).toBe('HH:mm');
    expect(tickPattern(24 * HOUR)).toBe('MMM d HH:mm');
  });

  it('formats instants in one 24-hour format, in a given zone', () => {
    const t = at('2026-11-25T09:05:07Z');
    expect(formatTime(t, 'HH:mm', 'UTC')).toBe('09:05');
    expect(formatTime(t, 'MMM d HH:mm', 'UTC')).toBe('Nov 25 09:05');
    expect(formatTime(t, 'MMM d HH:mm:ss', 'UTC')).toBe('Nov 25 09:05:07');
    expect(formatTime(at('2026-11-25T00:30:00Z'), 'HH:mm', 'UTC')).toBe('00:30');
    expect(formatTime(t, 'HH:mm', 'Europe/Berlin')).toBe('10:05');
    expect(formatTime(t, 'HH:mm', 'Asia/Kolkata')).toBe('14:35');
  });

  it('writes a range with the date once when both ends are on the same day', () => {
    expect(formatRange(at('2026-11-25T09:00:00Z'), at('2026-11-25T10:00:00Z'), 'UTC')).toBe(
      'Nov 25 09:00:00 – 10:00:00',
    );
    expect(formatRange(at('2026-11-24T10:00:00Z'), at('2026-11-25T10:00:00Z'), 'UTC')).toBe(
      'Nov 24 10:00:00 – Nov 25 10:00:00',
    );
  });

  it('names the zone with its offset', () => {
    expect(zoneLabel('UTC')).toBe('UTC');
    expect(zoneLabel('Europe/Berlin', at('2026-11-25T00:00:00Z'))).toBe('Europe/Berlin (UTC+1)');
    expect(zoneLabel('Asia/Kolkata', at('2026-11-25T00:00:00Z'))).toBe('Asia/Kolkata (UTC+5:30)');
    expect(zoneOffsetMs(at('2026-07-01T00:00:00Z'), 'Europe/Berlin')).toBe(2 * HOUR);
    expect(zoneOffsetMs(at('2026-12-31T23:30:00Z'), 'Asia/Kolkata')).toBe(5.5 * HOUR);
  });

  it('puts at most maxTicks ticks on round local times', () => {
    const start = at('2026-11-25T09:03:20Z');
    const ticks = timeTicks(start, start + HOUR, 8, 'UTC');
    expect(ticks.length).toBeLessThanOrEqual(8);
    expect(ticks.map((t) => formatTime(t, 'HH:mm', 'UTC'))).toEqual([
      '09:10',
      '09:20',
      '09:30',
      '09:40',
      '09:50',
      '10:00',
    ]);
    const day = timeTicks(start, start + 24 * HOUR, 8, 'UTC');
    expect(day.length).toBeLessThanOrEqual(8);
    expect(day.every((t) => t % (3 * HOUR) === 0)).toBe(true);
  });

  it('aligns ticks to the local hour in a half-hour zone', () => {
    const start = at('2026-11-25T09:00:00Z');
    const ticks = timeTicks(start, start + 6 * HOUR, 8, 'Asia/Kolkata');
    expect(ticks.map((t) => formatTime(t, 'HH:mm', 'Asia/Kolkata'))).toEqual([
      '15:00',
      '16:00',
      '17:00',
      '18:00',
      '19:00',
      '20:00',
    ]);
  });

  it('gives no ticks for an empty range', () => {
    expect(timeTicks(10, 10, 8)).toEqual([]);
  });
});
