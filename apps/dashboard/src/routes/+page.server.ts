import { fleetTable, STATUS_FILTERS } from '#lib/fleet.ts';
import { customers, environments, stackOutputs } from '#lib/server/config.ts';
import { withPrometheus } from '#lib/server/context.ts';
import { fleetRows, queryFleet, type FleetNumbers } from '#lib/server/fleet.ts';
import { MAX_SEARCH, parseOverview } from '#lib/server/params.ts';
import type { PageServerLoad } from './$types';

export const load = (async ({ url }) => {
  const outputs = stackOutputs();
  const { overview, notes } = parseOverview(url.searchParams, outputs);
  const [alertmanagerUp, result] = await Promise.all([
    outputs.alertmanagerUrl
      ? fetch(`${outputs.alertmanagerUrl}/-/ready`, { signal: AbortSignal.timeout(2000) }).then(
          (r) => r.ok,
          () => false,
        )
      : null,
    withPrometheus(async (p) => ({ numbers: await queryFleet(p) }), {
      numbers: null as FleetNumbers | null,
    }),
  ]);
  const rows = fleetRows(outputs, result.numbers);
  return {
    prometheusUp: result.unreachable === null,
    alertmanagerUp,
    firing: result.numbers?.firing ?? null,
    unreachable: result.unreachable,
    // No plane has served a request yet (and Prometheus answered): suggest the load generator.
    noTraffic: result.unreachable === null && rows.every((r) => r.rate === null),
    overview,
    notes,
    table: fleetTable(rows, overview),
    options: {
      customers: customers(outputs),
      environments: environments(outputs),
      statuses: STATUS_FILTERS,
      maxSearch: MAX_SEARCH,
    },
  };
}) satisfies PageServerLoad;
