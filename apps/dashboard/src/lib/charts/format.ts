/** Units the catalogue attaches to queries. */
export type Unit = 'req/s' | 's' | 'ratio' | 'count' | 'ops/s' | 'bytes' | 'cores';

/** A value for people: latency in ms or s, ratios in %, rates with /s. */
export function formatValue(value: number | null | undefined, unit: Unit): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  switch (unit) {
    case 's':
      return value < 1
        ? `${(value * 1000).toFixed(value < 0.01 ? 1 : 0)} ms`
        : `${value.toFixed(2)} s`;
    case 'ratio':
      return `${(value * 100).toFixed(value < 0.01 ? 2 : 1)} %`;
    case 'req/s':
    case 'ops/s':
      return `${value < 10 ? value.toFixed(2) : value.toFixed(0)} /s`;
    case 'bytes':
      return `${(value / 1024 / 1024).toFixed(0)} MB`;
    case 'cores':
      return `${(value * 100).toFixed(1)} % CPU`;
    case 'count':
      return value.toFixed(value < 10 ? 1 : 0);
  }
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

const FIXED: Record<string, string> = {
  prod: '#d6336c',
  dev: '#1c7ed6',
  qa: '#2f9e44',
  staging: '#f08c00',
};
const PALETTE = [
  '#7048e8',
  '#0ca678',
  '#e8590c',
  '#1098ad',
  '#ae3ec9',
  '#5c940d',
  '#c2255c',
  '#3b5bdb',
];

/** A stable colour per series name: the same environment has the same colour on every chart. */
export function colorFor(name: string): string {
  if (FIXED[name]) return FIXED[name];
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length]!;
}
