import type { StackConfig } from '../config.ts';
import { buildPlan } from '../plan/index.ts';
import { portFree } from './checks.ts';

/**
 * A port offset at which every port of the config is free, so tests can run beside a running
 * platform and beside each other.
 */
export async function findPortOffset(config: StackConfig): Promise<number> {
  const plan = buildPlan(config, { stack: 'ports', platform: 'process' });
  const ports = plan.workloads.flatMap((w) =>
    w.containers.flatMap((c) => c.ports.map((p) => p.port)),
  );
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const room = Math.floor((65_000 - Math.max(...ports)) / 100);
    const offset = 100 * (10 + Math.floor(Math.random() * (room - 10)));
    const free = await Promise.all(ports.map((p) => portFree(p + offset)));
    if (free.every(Boolean)) return offset;
  }
  throw new Error('no free port block found');
}

/** Shortens every interval and `for:` so an integration test sees rules and alerts in seconds. */
export function fastIntervals(config: StackConfig): StackConfig {
  const cp = config.controlPlane!;
  return {
    ...config,
    controlPlane: {
      ...cp,
      scrapeInterval: '1s',
      evaluationInterval: '1s',
      // Push planes' samples arrive every 2-3 s (export + batch): 10 s holds several.
      rateWindow: '10s',
      alerting: { ...cp.alerting, dataPlaneDownFor: '1m', groupWait: '1s', groupInterval: '1s' },
    },
  };
}

export async function promQuery(
  baseUrl: string,
  query: string,
): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const res = await fetch(`${baseUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await res.json()) as {
    data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
  };
  return body.data.result;
}

/** Polls `check` until it returns a truthy value or the timeout passes. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/**
 * Steady traffic on every plane (browse, search, order) every `intervalMs` until the returned
 * function is called: rates need increases between scrapes. Returns the stop function.
 */
export function startTraffic(apiUrls: string[], intervalMs = 200): () => void {
  const timer = setInterval(() => {
    for (const url of apiUrls) {
      void fetch(`${url}/api/products/p-002`).catch(() => {});
      void fetch(`${url}/api/search?q=tent`).catch(() => {});
      void fetch(`${url}/api/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ product_id: 'p-001', quantity: 1 }),
      }).catch(() => {});
    }
  }, intervalMs);
  return () => clearInterval(timer);
}
