import { stackOutputs } from './config.ts';
import { Prometheus, PrometheusUnreachable } from './prometheus.ts';

/** The query endpoint of this stack (Thanos Query when enabled, else Prometheus). */
export function prometheus(): Prometheus {
  const outputs = stackOutputs();
  const url = outputs.queryUrl ?? outputs.prometheusUrl;
  if (!url)
    throw new Error(
      `stack ${outputs.stack} has no queryUrl: point the dashboard at a stack with a control plane`,
    );
  return new Prometheus(url);
}

/**
 * Runs a page's loads; when Prometheus cannot be reached the page still renders, with the
 * reason for the banner and empty data.
 */
export async function withPrometheus<T>(
  load: (p: Prometheus) => Promise<T>,
  empty: T,
): Promise<T & { unreachable: string | null }> {
  try {
    return { ...(await load(prometheus())), unreachable: null };
  } catch (err) {
    if (err instanceof PrometheusUnreachable) return { ...empty, unreachable: err.message };
    throw err;
  }
}
