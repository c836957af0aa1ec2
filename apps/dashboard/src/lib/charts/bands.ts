import { BAND_COLORS } from './colors.ts';
import type { OverlayBand } from './overlay.ts';
import { formatRange } from './time.ts';

/** A shaded band on the charts it explains: an injected fault or a firing alert. */
export interface Band {
  kind: 'fault' | 'alert';
  /** Unix seconds of the first and last step it was active at. */
  start: number;
  end: number;
  /** Still active at the end of the range. */
  open: boolean;
  /** `error fault`, `latency fault`, or the alert's name. */
  title: string;
  environment: string;
  /** Ids of the metrics charts it is drawn on (lib/server/catalog.ts metricsCharts). */
  charts: string[];
}

/** The bands drawn on one chart. */
export function bandsFor(chartId: string, bands: readonly Band[]): Band[] {
  return bands.filter((b) => b.charts.includes(chartId));
}

/** What the overlay plugin fills: ms and a colour by kind. */
export function toOverlayBands(bands: readonly Band[]): OverlayBand[] {
  return bands.map((b) => ({
    start: b.start * 1000,
    end: b.end * 1000,
    color: BAND_COLORS[b.kind],
  }));
}

/** A band for people: `error fault · prod · Nov 25 10:02:00 – 10:05:00 (still active)`. */
export function bandLabel(b: Band, timeZone?: string): string {
  const where = b.environment ? ` · ${b.environment}` : '';
  const range = formatRange(b.start * 1000, b.end * 1000, timeZone);
  return `${b.title}${where} · ${range}${b.open ? ' (still active)' : ''}`;
}
