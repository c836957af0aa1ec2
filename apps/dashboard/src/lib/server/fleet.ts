import type { StackOutputs } from '@outpost/outputs';
import type { PlaneRow, Status } from '../fleet.ts';
import { byLabel } from '../shape.ts';
import { OVERVIEW } from './catalog.ts';
import type { Prometheus, Sample } from './prometheus.ts';

// The overview's data: OVERVIEW's fixed set of queries (each `by (data_plane)`), run in
// parallel, joined with the stack's planes into one row per plane. The number of queries does
// not grow with the fleet; only their answers do (a sample per plane).

/** Every OVERVIEW query's answer, keyed by data plane; null when Prometheus was not asked. */
export type FleetNumbers = Record<
  Exclude<keyof typeof OVERVIEW, 'alerts'>,
  Record<string, number>
> & {
  /** Firing alerts per plane: name and how many. */
  alerts: Record<string, Record<string, number>>;
  /** Firing alerts of the whole stack, the Watchdog left out. */
  firing: number;
};

/** Runs the overview's queries. */
export async function queryFleet(p: Prometheus): Promise<FleetNumbers> {
  const keys = Object.keys(OVERVIEW) as Array<keyof typeof OVERVIEW>;
  const answers = await Promise.all(keys.map((k) => p.query(OVERVIEW[k])));
  const by = Object.fromEntries(keys.map((k, i) => [k, answers[i]!])) as Record<
    keyof typeof OVERVIEW,
    Sample[]
  >;
  const alerts: FleetNumbers['alerts'] = {};
  let firing = 0;
  for (const s of by.alerts) {
    const name = s.metric.alertname ?? '';
    const count = Number.isFinite(s.value) ? Math.round(s.value) : 0;
    if (name !== 'Watchdog') firing += count;
    const plane = s.metric.data_plane;
    if (plane) (alerts[plane] ??= {})[name] = count;
  }
  const numbers = Object.fromEntries(
    keys.filter((k) => k !== 'alerts').map((k) => [k, byLabel(by[k], 'data_plane')]),
  ) as Omit<FleetNumbers, 'alerts' | 'firing'>;
  return { ...numbers, alerts, firing };
}

/**
 * One row per plane of the stack. A pull plane is UP while its target answers and its API
 * reports (the DataPlaneDown alert's rule), a push plane while its samples arrive; UNKNOWN
 * when Prometheus has nothing to say (not asked, or no `up` series yet).
 */
export function fleetRows(outputs: StackOutputs, n: FleetNumbers | null): PlaneRow[] {
  return outputs.dataPlanes.map((dp) => {
    const push = dp.mode === 'push';
    let status: Status = 'UNKNOWN';
    if (n) {
      if (push) status = n.pushUp[dp.id] === 1 ? 'UP' : 'DOWN';
      else if (n.up[dp.id] === 0) status = 'DOWN';
      else if (n.up[dp.id] === 1) status = n.memory[dp.id] === undefined ? 'DOWN' : 'UP';
    }
    const alerts = n?.alerts[dp.id] ?? {};
    return {
      id: dp.id,
      customer: dp.customer,
      environment: dp.environment,
      push,
      simulated: dp.simulated === true,
      status,
      age: (push ? n?.pushAge[dp.id] : n?.scrapeAge[dp.id]) ?? null,
      alerts: Object.values(alerts).reduce((a, b) => a + b, 0),
      alertNames: Object.keys(alerts).sort(),
      rate: n?.rate[dp.id] ?? null,
      errors: n?.errors[dp.id] ?? null,
      p95: n?.p95[dp.id] ?? null,
      cpu: n?.cpu[dp.id] ?? null,
      memory: n?.memory[dp.id] ?? null,
    };
  });
}
