// Durations on the command line and in scenario files: `90s`, `5m`, `1h`, `250ms`, or plain
// seconds (`30`, `2.5`), as the original PoC's `-d SECONDS` took them.

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** Parses a duration into seconds; returns undefined when the text is not one. */
export function parseDurationSeconds(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) return undefined;
  const value = Number(match[1]) * (UNIT_SECONDS[match[2] ?? 's'] ?? 1);
  return Number.isFinite(value) ? value : undefined;
}

/** Seconds as a short human text: `750ms`, `42s`, `5m`, `1h30m`. */
export function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  if (seconds < 60) return `${+seconds.toFixed(1)}s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return [h ? `${h}h` : '', m ? `${m}m` : '', s ? `${s}s` : ''].join('') || '0s';
}
