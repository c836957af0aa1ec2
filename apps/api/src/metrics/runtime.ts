import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Meter } from '@opentelemetry/api';
import { ATTR, SPECS } from './instruments.ts';

/**
 * Runtime metrics for each data plane's resource use: CPU time by mode, resident memory and
 * the event-loop delay p99 since the previous collection. Observed only when a reader
 * collects, so they cost nothing between exports. Returns a function that stops the monitor.
 */
export function registerRuntimeMetrics(meter: Meter): () => void {
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();

  const cpu = meter.createObservableCounter(SPECS.processCpuTime.name, {
    unit: SPECS.processCpuTime.unit,
    description: SPECS.processCpuTime.description,
  });
  const memory = meter.createObservableGauge(SPECS.processMemoryUsage.name, {
    unit: SPECS.processMemoryUsage.unit,
    description: SPECS.processMemoryUsage.description,
  });
  const delay = meter.createObservableGauge(SPECS.eventLoopDelayP99.name, {
    unit: SPECS.eventLoopDelayP99.unit,
    description: SPECS.eventLoopDelayP99.description,
  });

  cpu.addCallback((result) => {
    const usage = process.cpuUsage();
    result.observe(usage.user / 1e6, { [ATTR.cpuMode]: 'user' });
    result.observe(usage.system / 1e6, { [ATTR.cpuMode]: 'system' });
  });
  memory.addCallback((result) => result.observe(process.memoryUsage.rss()));
  delay.addCallback((result) => {
    // The histogram is in nanoseconds; reset so each export reports its own interval.
    const p99 = loopDelay.count > 0 ? loopDelay.percentile(99) / 1e9 : 0;
    loopDelay.reset();
    result.observe(p99);
  });

  return () => loopDelay.disable();
}
