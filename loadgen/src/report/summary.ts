import { formatSeconds } from '../duration.ts';
import type { LatencySummary } from '../record/histogram.ts';
import type { RunResult } from './result.ts';
import type { ThresholdResult } from '../thresholds.ts';
import { num, table } from './table.ts';

export interface SummaryContext {
  title: string;
  thresholds: ThresholdResult[];
}

/** The end-of-run summary as plain text. */
export function summaryText(result: RunResult, context: SummaryContext): string {
  const t = result.total;
  const pct = (n: number, of: number): string => (of === 0 ? '0%' : `${num((100 * n) / of, 2)}%`);
  const out: string[] = [];
  const stopped = {
    done: 'ran to the end',
    quit: 'quit early',
    interrupted: 'interrupted (Ctrl-C)',
  }[result.reason];
  out.push(`${context.title}: ${stopped} after ${formatSeconds(result.scheduledForS)}`);
  out.push('');
  out.push(
    table([
      [
        'sends',
        `scheduled ${t.scheduled}`,
        `dropped ${t.dropped} (${pct(t.dropped, t.scheduled)})`,
        `completed ${t.completed}`,
        `abandoned ${result.abandoned}`,
      ],
      [
        'rate',
        `target ${num(result.targetRate)}/s`,
        `achieved ${num(result.achievedRate)}/s`,
        '',
        '',
      ],
      [
        'outcomes',
        `errors ${t.errors} (${pct(t.errors, t.completed)})`,
        `expected 4xx ${t.expectedRejections}`,
        '',
        '',
      ],
    ]),
  );
  const statuses = Object.entries(t.statuses)
    .map(([k, v]) => `${k}: ${v}`)
    .join('  ');
  out.push(`  statuses  ${statuses || '(none)'}`);
  out.push('');
  const row = (name: string, l: LatencySummary): string[] => [
    name,
    ...[l.min, l.p50, l.p90, l.p95, l.p99, l.p999, l.max, l.mean].map((x) => num(x, 2)),
  ];
  out.push(
    table([
      ['latency (ms)', 'min', 'p50', 'p90', 'p95', 'p99', 'p99.9', 'max', 'mean'],
      row('corrected', t.latency.corrected),
      row('uncorrected', t.latency.uncorrected),
    ]),
  );
  out.push(
    '  (corrected: from the intended start; uncorrected: from the moment the request was sent)',
  );
  const cpu = result.generatorCpu;
  const loop = result.generatorLoopDelay;
  out.push(
    `  generator: CPU ${num(cpu.percentOfOneCore)}% of one core, event-loop delay p99 ${num(loop.p99, 2)}ms max ${num(loop.max, 2)}ms`,
  );
  out.push('');
  out.push(
    table([
      ['route', 'sends', 'errors'],
      ...Object.entries(t.routes)
        .sort(([, a], [, b]) => b.count - a.count)
        .map(([r, c]) => [r, c.count, c.errors]),
    ]),
  );
  if (result.targets.length > 1 || result.targets[0]?.environment) {
    out.push('');
    out.push(
      table([
        ['target', 'env', 'sends', 'errors', 'p99 ms'],
        ...result.targets.map((x) => [
          x.name,
          x.environment ?? '-',
          x.stats.completed + x.stats.dropped,
          x.stats.errors,
          num(x.stats.latency.corrected.p99, 2),
        ]),
      ]),
    );
  }
  if (context.thresholds.length) {
    out.push('');
    out.push('  thresholds');
    out.push(
      table(
        context.thresholds.map((r) => [`${r.ok ? 'ok  ' : 'FAIL'} ${r.expression}`, r.actual]),
        '    ',
      ),
    );
  }
  return out.join('\n') + '\n';
}
