// Time on every chart, label and table: one 24-hour format in the browser's time zone, whose
// name the pages show (`zoneLabel`). Tick instants are chosen here too, at round local times
// (every 5 min on the hour, every 6 h from midnight), so charts need no date library.

/** How instants are written: axis ticks by range, full instants in tooltips and labels. */
export type TimePattern = 'HH:mm' | 'MMM d HH:mm' | 'MMM d HH:mm:ss';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Tick labels: hours and minutes within a day, the date too from a day on. */
export function tickPattern(spanMs: number): TimePattern {
  return spanMs >= DAY ? 'MMM d HH:mm' : 'HH:mm';
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(key, f);
  }
  return f;
}

/** An instant (ms) in one of the patterns; the browser's time zone unless one is given. */
export function formatTime(
  ms: number,
  pattern: TimePattern = 'MMM d HH:mm:ss',
  timeZone?: string,
): string {
  const p: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) p[part.type] = part.value;
  const hm = `${p.hour}:${p.minute}`;
  if (pattern === 'HH:mm') return hm;
  if (pattern === 'MMM d HH:mm') return `${p.month} ${p.day} ${hm}`;
  return `${p.month} ${p.day} ${hm}:${p.second}`;
}

/** A range for people: `Nov 25 10:00:00 – 11:00:00` (the date once when it is the same day). */
export function formatRange(startMs: number, endMs: number, timeZone?: string): string {
  const a = formatTime(startMs, 'MMM d HH:mm:ss', timeZone);
  const b = formatTime(endMs, 'MMM d HH:mm:ss', timeZone);
  const [dayA, dayB] = [a.slice(0, a.lastIndexOf(' ')), b.slice(0, b.lastIndexOf(' '))];
  return `${a} – ${dayA === dayB ? b.slice(b.lastIndexOf(' ') + 1) : b}`;
}

/** The time zone's name for people: `UTC`, or `Europe/Berlin (UTC+1)`. */
export function zoneLabel(timeZone?: string, at = Date.now()): string {
  const zone = timeZone ?? new Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone === 'UTC' || zone === 'Etc/UTC' || zone === 'Etc/GMT') return 'UTC';
  const offset =
    new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  return `${zone} (${offset === 'GMT' ? 'UTC' : offset.replace('GMT', 'UTC')})`;
}

/** The offset of a time zone from UTC at an instant, ms (the browser's zone by default). */
export function zoneOffsetMs(ms: number, timeZone?: string): number {
  if (timeZone === undefined) return -new Date(ms).getTimezoneOffset() * MINUTE;
  const p: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) p[part.type] = part.value;
  const month = 'JanFebMarAprMayJunJulAugSepOctNovDec'.indexOf(p.month!) / 3;
  const local = Date.UTC(Number(p.year), month, Number(p.day), Number(p.hour), Number(p.minute));
  return Math.round((local - Math.floor(ms / MINUTE) * MINUTE) / MINUTE) * MINUTE;
}

const STEPS = [
  SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
];

/**
 * At most `maxTicks` tick instants between `startMs` and `endMs`, a round step apart and on
 * round local times (the offset of the zone at the start; a DST change inside the range
 * shifts later ticks by its hour).
 */
export function timeTicks(
  startMs: number,
  endMs: number,
  maxTicks: number,
  timeZone?: string,
): number[] {
  if (!(endMs > startMs) || maxTicks < 1) return [];
  const span = endMs - startMs;
  const step =
    STEPS.find((s) => span / s <= maxTicks - 1) ?? Math.ceil(span / maxTicks / DAY) * DAY;
  const offset = zoneOffsetMs(startMs, timeZone);
  const ticks: number[] = [];
  for (let t = Math.ceil((startMs + offset) / step) * step - offset; t <= endMs; t += step) {
    ticks.push(t);
  }
  return ticks.slice(0, maxTicks);
}

/** An instant (ms) as a `datetime-local` input's value, in the browser's time zone. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
