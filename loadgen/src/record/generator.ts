import { monitorEventLoopDelay } from 'node:perf_hooks';

// The generator's own health while it runs: the CPU the process used, and how late its event
// loop woke up. A late loop means sends went out late because the generator was busy or
// starved of CPU, which the corrected latency then counts against the target.

/** Sampling interval of the event-loop delay monitor, milliseconds. */
const LOOP_RESOLUTION_MS = 10;

export interface GeneratorUsage {
  /** CPU since `start()`, microseconds (all threads). */
  cpu: NodeJS.CpuUsage;
  /** Event-loop delay between `start()` and `stop()`, milliseconds. */
  loopDelay: { p99: number; max: number };
}

export class GeneratorMonitor {
  readonly #loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  #cpuAtStart: NodeJS.CpuUsage | undefined;

  start(): void {
    this.#cpuAtStart = process.cpuUsage();
    this.#loopDelay.enable();
  }

  /** Stops sampling the loop delay; the CPU figure keeps counting until `usage()`. */
  stop(): void {
    this.#loopDelay.disable();
  }

  usage(): GeneratorUsage {
    // The histogram holds whole timer intervals (resolution included): keep only the delay.
    const delay = (ns: number): number => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);
    return {
      cpu: process.cpuUsage(this.#cpuAtStart),
      loopDelay: { p99: delay(this.#loopDelay.percentile(99)), max: delay(this.#loopDelay.max) },
    };
  }
}
