// The duration grammar of stack config, stack outputs and PromQL ranges: an integer and one
// unit, as Prometheus writes it (`500ms`, `10s`, `5m`, `1h`, `28d`, `1w`, `1y`).

export const DURATION_PATTERN = /^(\d+)(ms|s|m|h|d|w|y)$/;
export const DURATION_HINT =
  'must be a duration such as 10s, 5m, 1h or 28d (units: ms, s, m, h, d, w, y)';

const UNIT_SECONDS: Record<string, number> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
  y: 31_536_000,
};

/** Seconds in a Prometheus duration; undefined when the text is not one. */
export function durationSeconds(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_SECONDS[match[2]!]!;
}

/** Seconds in a Prometheus duration; throws with the accepted form when it is not one. */
export function toSeconds(text: string): number {
  const seconds = durationSeconds(text);
  if (seconds === undefined)
    throw new Error(`bad duration ${JSON.stringify(text)}: ${DURATION_HINT}`);
  return seconds;
}

/** Seconds as a Prometheus duration in the largest whole unit (`90` -> `90s`, `120` -> `2m`). */
export function formatDuration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${Math.round(seconds)}s`;
}
