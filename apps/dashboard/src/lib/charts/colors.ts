// One colour per series, the same on every page: a series is coloured by its name (an
// environment, a payment outcome, or explore's varying labels), well-known environments by a
// fixed colour and everything else by a hash of the name into a fixed palette.

const FIXED: Record<string, string> = {
  prod: '#d6336c',
  dev: '#1c7ed6',
  qa: '#2f9e44',
  staging: '#f08c00',
  approved: '#0ca678',
  declined: '#e8590c',
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
  const fixed = FIXED[name];
  if (fixed) return fixed;
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length]!;
}

/** Translucent fills of the annotation bands, by what they mark. */
export const BAND_COLORS = {
  fault: 'rgba(224, 49, 49, 0.14)',
  alert: 'rgba(240, 140, 0, 0.16)',
} as const;

/**
 * Names for a set of series identified by label sets: only the labels whose values differ
 * between the series, so `sum by (environment) (...)` gives `prod` and `dev`, the same names
 * (and colours) as the metrics page, and a single series keeps its full label set.
 */
export function seriesNames(metrics: Array<Record<string, string>>): string[] {
  const keys = [...new Set(metrics.flatMap((m) => Object.keys(m)))].sort();
  const varying =
    metrics.length > 1 ? keys.filter((k) => new Set(metrics.map((m) => m[k])).size > 1) : keys;
  return metrics.map((m) => {
    if (varying.length === 1) return m[varying[0]!] ?? '';
    const parts = varying.filter((k) => m[k] !== undefined).map((k) => `${k}="${m[k]}"`);
    return parts.length > 0 ? `{${parts.join(', ')}}` : '{}';
  });
}
