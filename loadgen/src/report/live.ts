import { formatSeconds } from '../duration.ts';
import type { RunStatus } from './status.ts';
import { num } from './table.ts';

// The live line on stderr: elapsed, target vs achieved rate, in flight, the last interval's
// corrected p50/p95/p99, and counts by status (errors and drops included) since the start.

export function liveLine(s: RunStatus): string {
  const statuses = Object.entries(s.statuses)
    .map(([k, v]) => `${k}:${v}`)
    .join(' ');
  const state = s.state === 'paused' ? ' PAUSED' : s.state === 'draining' ? ' draining' : '';
  const factor = s.factor !== 1 && s.state !== 'paused' ? ` (x${num(s.factor, 2)})` : '';
  return (
    `[${formatSeconds(s.elapsedS).padStart(6)}/${formatSeconds(s.durationS)}]${state} ` +
    `target ${num(s.targetRate)}/s${factor} achieved ${num(s.achievedRate)}/s in-flight ${s.inFlight} | ` +
    `p50 ${num(s.window.p50, 2)}ms p95 ${num(s.window.p95, 2)}ms p99 ${num(s.window.p99, 2)}ms | ` +
    `${statuses || 'no responses yet'}${s.dropped ? '' : ' dropped:0'}`
  );
}

/** Writes live lines: rewritten in place on a terminal, one per interval otherwise. */
export class LiveWriter {
  readonly #out: NodeJS.WriteStream;
  readonly #tty: boolean;
  #open = false;

  constructor(out: NodeJS.WriteStream) {
    this.#out = out;
    this.#tty = Boolean(out.isTTY);
  }

  update(status: RunStatus): void {
    const line = liveLine(status);
    if (this.#tty) {
      const width = this.#out.columns || 200;
      this.#out.write(`\r\x1b[K${line.slice(0, width - 1)}`);
      this.#open = true;
    } else {
      this.#out.write(`${line}\n`);
    }
  }

  /** Prints a note on its own line without breaking the live line. */
  note(text: string): void {
    this.end();
    this.#out.write(`${text}\n`);
  }

  end(): void {
    if (this.#open) this.#out.write('\n');
    this.#open = false;
  }
}
