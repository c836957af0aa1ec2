/** Units the catalogue attaches to queries (and explore guesses or lets people pick). */
export type Unit = 'req/s' | 's' | 'ratio' | 'count' | 'ops/s' | 'bytes' | 'cores';
export const UNITS: readonly Unit[] = ['req/s', 'ops/s', 's', 'ratio', 'cores', 'bytes', 'count'];

/**
 * `x` with `digits` significant digits and no trailing zeros (`6.679999999999998` -> `6.68`),
 * with k, M and G above a thousand so a value never grows wider than a few characters.
 */
export function significant(x: number, digits = 3): string {
  if (x === 0 || !Number.isFinite(x)) return x === 0 ? '0' : String(x);
  const rounded = Number(x.toPrecision(digits));
  const abs = Math.abs(rounded);
  for (const [size, suffix] of [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ] as const) {
    if (abs >= size) return `${significant(rounded / size, digits)}${suffix}`;
  }
  return String(rounded);
}

/**
 * A value for people, with its unit, three significant digits: seconds as µs, ms or s, ratios
 * and CPU as %, rates as req/s or /s, bytes in KiB, MiB, GiB.
 */
export function formatValue(value: number | null | undefined, unit: Unit): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  switch (unit) {
    case 's': {
      const abs = Math.abs(value);
      if (abs === 0) return '0 s';
      if (abs < 1e-3) return `${significant(value * 1e6)} µs`;
      if (abs < 1) return `${significant(value * 1e3)} ms`;
      return `${significant(value)} s`;
    }
    case 'ratio':
    case 'cores':
      // CPU is a share of one core; the label next to the value says "CPU", the value says %.
      return `${significant(value * 100)} %`;
    case 'req/s':
      return `${significant(value)} req/s`;
    case 'ops/s':
      return `${significant(value)} /s`;
    case 'bytes': {
      const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
      let v = value;
      let i = 0;
      while (Math.abs(v) >= 1024 && i < units.length - 1) {
        v /= 1024;
        i += 1;
      }
      return `${significant(v)} ${units[i]}`;
    }
    case 'count':
      return significant(value);
  }
}

/**
 * A summary card's text: the value with its unit, or "no traffic" when the range had no
 * requests (a latency or error ratio of nothing is not a number, and 0 req/s is no traffic).
 */
export function cardText(value: number | null, unit: Unit, noTraffic: boolean): string {
  if (noTraffic && (value === null || unit === 'req/s' || unit === 's' || unit === 'ratio'))
    return 'no traffic';
  return formatValue(value, unit);
}

/** Relative change from `previous` to `current`, or null when there is no previous value. */
export function change(current: number | null, previous: number | null): number | null {
  if (
    current === null ||
    previous === null ||
    !Number.isFinite(current) ||
    !Number.isFinite(previous) ||
    previous === 0
  ) {
    return null;
  }
  return (current - previous) / Math.abs(previous);
}

/**
 * The unit of an arbitrary PromQL expression, guessed from its metric names and functions
 * (explore shows it, and lets people pick another).
 */
export function guessUnit(expr: string): Unit {
  const q = expr.toLowerCase();
  const rate = /\b(i?rate|deriv)\s*\(|:rate\d/.test(q);
  if (/histogram_quantile|:p\d\d|_seconds(?!_(count|total|bucket))\b|_seconds:|delay/.test(q))
    return 's';
  if (/_ratio\b|utilization|\bslo_/.test(q)) return 'ratio';
  if (/_bytes\b|_bytes:/.test(q)) return 'bytes';
  if (rate) return /http_server|request/.test(q) ? 'req/s' : 'ops/s';
  return 'count';
}
