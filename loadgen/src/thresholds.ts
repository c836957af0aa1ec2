import type { RunResult } from './report/result.ts';

// Declarative pass/fail criteria that set the exit code, for CI: `p95<300ms`, `errors<1%`,
// `dropped==0`, `achieved>=99%`. Latency thresholds use the corrected figures.

export const LATENCY_METRICS = ['p50', 'p90', 'p95', 'p99', 'p99.9', 'mean', 'max'] as const;
export const COUNT_METRICS = ['errors', 'dropped', 'achieved'] as const;
const OPERATORS = ['<=', '>=', '==', '<', '>'] as const;
type Operator = (typeof OPERATORS)[number];
type Metric = (typeof LATENCY_METRICS)[number] | (typeof COUNT_METRICS)[number];

export interface Threshold {
  expression: string;
  metric: Metric;
  operator: Operator;
  /** Milliseconds for latency; a ratio 0..1 when `percent`; else a count (or req/s for achieved). */
  value: number;
  percent: boolean;
}

export interface ThresholdResult {
  expression: string;
  ok: boolean;
  /** The measured value in the threshold's own terms (ms, %, count, req/s). */
  actual: string;
}

const LATENCY_UNITS: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: 1000 };

export const THRESHOLD_HELP =
  `metrics: ${[...LATENCY_METRICS, ...COUNT_METRICS].join(', ')}; operators: ${OPERATORS.join(' ')}; ` +
  `latency units us, ms (default), s; errors/dropped take a % of sends or a count; achieved a % of the target rate or req/s ` +
  `(e.g. 'p95<300ms', 'errors<1%', 'dropped==0', 'achieved>=99%')`;

/** Parses one threshold; throws an Error that shows the accepted forms. */
export function parseThreshold(text: string): Threshold {
  const match = /^\s*([a-z0-9.]+)\s*(<=|>=|==|<|>)\s*([0-9]*\.?[0-9]+)\s*(%|us|µs|ms|s)?\s*$/.exec(
    text,
  );
  if (!match) throw new Error(`cannot read '${text}'; ${THRESHOLD_HELP}`);
  const [, name = '', op = '', number = '', unit] = match;
  const value = Number(number);
  if ((LATENCY_METRICS as readonly string[]).includes(name)) {
    if (unit === '%') throw new Error(`'${text}': ${name} is a latency; use us, ms or s`);
    return {
      expression: text.trim(),
      metric: name as Metric,
      operator: op as Operator,
      value: value * (LATENCY_UNITS[unit ?? 'ms'] ?? 1),
      percent: false,
    };
  }
  if ((COUNT_METRICS as readonly string[]).includes(name)) {
    if (unit !== undefined && unit !== '%')
      throw new Error(`'${text}': ${name} takes a % or a plain number, not ${unit}`);
    return {
      expression: text.trim(),
      metric: name as Metric,
      operator: op as Operator,
      value: unit === '%' ? value / 100 : value,
      percent: unit === '%',
    };
  }
  throw new Error(`unknown metric '${name}' in '${text}'; ${THRESHOLD_HELP}`);
}

export function evaluateThresholds(thresholds: Threshold[], result: RunResult): ThresholdResult[] {
  return thresholds.map((t) => {
    const { measured, shown } = measure(t, result);
    return { expression: t.expression, ok: compare(measured, t.operator, t.value), actual: shown };
  });
}

function measure(t: Threshold, result: RunResult): { measured: number; shown: string } {
  const total = result.total;
  const latency = total.latency.corrected;
  const pct = (ratio: number): string => `${(ratio * 100).toFixed(2)}%`;
  switch (t.metric) {
    case 'errors': {
      const ratio = total.completed === 0 ? 0 : total.errors / total.completed;
      return t.percent
        ? { measured: ratio, shown: pct(ratio) }
        : { measured: total.errors, shown: String(total.errors) };
    }
    case 'dropped': {
      const ratio = total.scheduled === 0 ? 0 : total.dropped / total.scheduled;
      return t.percent
        ? { measured: ratio, shown: pct(ratio) }
        : { measured: total.dropped, shown: String(total.dropped) };
    }
    case 'achieved': {
      const ratio = result.targetRate === 0 ? 1 : result.achievedRate / result.targetRate;
      return t.percent
        ? { measured: ratio, shown: pct(ratio) }
        : { measured: result.achievedRate, shown: `${result.achievedRate} req/s` };
    }
    case 'p99.9':
      return { measured: latency.p999, shown: `${latency.p999}ms` };
    default:
      return { measured: latency[t.metric], shown: `${latency[t.metric]}ms` };
  }
}

function compare(a: number, op: Operator, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '==':
      return a === b;
  }
}
