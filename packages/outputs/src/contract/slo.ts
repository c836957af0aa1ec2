import { durationSeconds } from './duration.ts';
import { BY_PLANE } from './labels.ts';
import { leMatcher, METRICS } from './metrics.ts';

// Service-level indicators and the multiwindow, multi-burn-rate alerts (the Google SRE
// workbook's recipe), shared by the rules the control plane records and the dashboard's SLO page.

/** The windows of the default burn-rate recording rules. */
export const SLO_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;

/** A burn-rate alert: fires when the bad ratio exceeds `factor` x the budget over both windows. */
export interface BurnRate {
  severity: 'page' | 'ticket';
  /** The long window, e.g. `1h`. */
  long: string;
  /** The short window confirming it, e.g. `5m`: the alert resolves within it once fixed. */
  short: string;
  factor: number;
}

/**
 * Page when the budget burns 14.4x too fast over 1 h (confirmed over 5 m) or 6x over 6 h (30 m);
 * ticket at 3x over 1 d (2 h) or 1x over 3 d (6 h). A stack may set its own
 * (`controlPlane.slos.burnRates`): the stack outputs carry the ones in force.
 */
export const BURN_RATES: readonly BurnRate[] = [
  { severity: 'page', long: '1h', short: '5m', factor: 14.4 },
  { severity: 'page', long: '6h', short: '30m', factor: 6 },
  { severity: 'ticket', long: '1d', short: '2h', factor: 3 },
  { severity: 'ticket', long: '3d', short: '6h', factor: 1 },
];

/** The windows the recording rules must cover for these burn rates, shortest first. */
export function burnWindows(rates: readonly BurnRate[]): string[] {
  const seconds = (w: string) => durationSeconds(w) ?? 0;
  return [...new Set(rates.flatMap((r) => [r.long, r.short]))].sort(
    (a, b) => seconds(a) - seconds(b),
  );
}

export type SloKind = 'availability' | 'latency';

/** The recorded bad-event ratio of an SLO over a window, per data plane. */
export function sloRatioRecord(kind: SloKind, window: string): string {
  return kind === 'availability'
    ? `data_plane:slo_availability_error_ratio:rate${window}`
    : `data_plane:slo_latency_slow_ratio:rate${window}`;
}

const COUNT = `${METRICS.requestDuration.prometheus}_count`;
const BUCKET = `${METRICS.requestDuration.prometheus}_bucket`;

/**
 * The bad-event ratio of an SLO over `window`, per plane: 5xx share (availability) or share of
 * requests slower than the threshold (latency). `fn` is `rate` for recording rules and
 * `increase` for a whole compliance window; `selector` narrows the series (`{environment="x"}`).
 */
export function sloBadRatio(
  kind: SloKind,
  window: string,
  options: {
    thresholdSeconds?: number;
    fn?: 'rate' | 'increase';
    selector?: string;
    by?: string;
  } = {},
): string {
  const fn = options.fn ?? 'rate';
  const by = options.by ?? BY_PLANE;
  const sel = (extra: string) => {
    const inner = [options.selector?.replace(/^\{|\}$/g, ''), extra].filter(Boolean).join(',');
    return inner ? `{${inner}}` : '';
  };
  const total = `sum by (${by}) (${fn}(${COUNT}${sel('')}[${window}]))`;
  if (kind === 'availability') {
    const errors = `sum by (${by}) (${fn}(${COUNT}${sel('http_response_status_code=~"5.."')}[${window}]))`;
    // `or ... * 0` keeps the ratio at 0 (not absent) while a plane serves no errors.
    return `(${errors} or ${total} * 0) / ${total}`;
  }
  if (options.thresholdSeconds === undefined)
    throw new Error('a latency SLO needs thresholdSeconds');
  const good = `sum by (${by}) (${fn}(${BUCKET}${sel(leMatcher(options.thresholdSeconds))}[${window}]))`;
  return `1 - ${good} / ${total}`;
}
