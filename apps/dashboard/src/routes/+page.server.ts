import { stackOutputs } from '#lib/server/config.ts';
import { LANDING } from '#lib/server/catalog.ts';
import { withPrometheus } from '#lib/server/context.ts';
import { byLabel } from '#lib/shape.ts';
import type { PageServerLoad } from './$types';

type Numbers = Record<keyof typeof LANDING, Record<string, number>>;

export const load = (async () => {
  const outputs = stackOutputs();
  const alertmanagerUp = outputs.alertmanagerUrl
    ? await fetch(`${outputs.alertmanagerUrl}/-/ready`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.ok,
        () => false,
      )
    : null;
  const result = await withPrometheus(
    async (p) => {
      const keys = Object.keys(LANDING) as Array<keyof typeof LANDING>;
      const samples = await Promise.all(keys.map((k) => p.query(LANDING[k])));
      const numbers = Object.fromEntries(
        keys.map((k, i) => [k, byLabel(samples[i]!, 'data_plane')]),
      ) as Numbers;
      const alerts = await p.alerts();
      return {
        numbers,
        firing: alerts.filter((a) => a.state === 'firing' && a.labels.alertname !== 'Watchdog')
          .length,
      };
    },
    { numbers: null as Numbers | null, firing: null as number | null },
  );
  const planes = outputs.dataPlanes.map((dp) => {
    const n = result.numbers;
    const push = dp.mode === 'push';
    // A push plane has no scrape target: up while its samples arrive, down when they stop.
    const up = push ? (n ? (n.pushUp[dp.id] ?? 0) : undefined) : n?.up[dp.id];
    return {
      id: dp.id,
      name: dp.name,
      customer: dp.customer,
      environment: dp.environment,
      push,
      status: up === 1 ? 'UP' : up === 0 ? 'DOWN' : 'UNKNOWN',
      scrapeAge: (push ? n?.pushAge[dp.id] : n?.scrapeAge[dp.id]) ?? null,
      rate: n?.rate[dp.id] ?? null,
      p95: n?.p95[dp.id] ?? null,
      errors: n?.errors[dp.id] ?? null,
      cpu: n?.cpu[dp.id] ?? null,
      memory: n?.memory[dp.id] ?? null,
      loopDelay: n?.loopDelay[dp.id] ?? null,
    };
  });
  return {
    prometheusUp: result.unreachable === null,
    alertmanagerUp,
    firing: result.firing,
    unreachable: result.unreachable,
    customers: [...new Set(planes.map((p) => p.customer))],
    planes,
  };
}) satisfies PageServerLoad;
