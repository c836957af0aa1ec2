import { stackOutputs } from '#lib/server/config.ts';
import { burnWindowsOf, sloQueries } from '#lib/server/catalog.ts';
import { withPrometheus } from '#lib/server/context.ts';
import { byLabel } from '#lib/shape.ts';
import type { PageServerLoad } from './$types';

interface Row {
  dataPlane: string;
  environment: string;
  slo: string;
  objective: number;
  window: string;
  sli: number | null;
  budgetLeft: number | null;
  burn: Record<string, number | null>;
}

export const load = (async () => {
  const outputs = stackOutputs();
  // Every SLO of a stack shares its burn-rate alerts, so one set of columns.
  const windows = outputs.slos[0] ? burnWindowsOf(outputs.slos[0]) : [];
  const result = await withPrometheus(
    async (p) => {
      const rows: Row[] = [];
      for (const slo of outputs.slos) {
        const q = sloQueries(slo);
        const [sli, ...burns] = await Promise.all([
          p.query(q.sli),
          ...windows.map((w) => p.query(q.burn(w))),
        ]);
        const sliBy = byLabel(sli!, 'data_plane');
        const burnBy = burns.map((b) => byLabel(b, 'data_plane'));
        for (const dp of outputs.dataPlanes) {
          const value = sliBy[dp.id] ?? null;
          rows.push({
            dataPlane: dp.id,
            environment: dp.environment,
            slo: slo.name,
            objective: slo.objective,
            window: slo.window,
            sli: value,
            // Share of the budget left: 1 - (bad share / allowed bad share).
            budgetLeft: value === null ? null : 1 - (1 - value) / (1 - slo.objective),
            burn: Object.fromEntries(windows.map((w, i) => [w, burnBy[i]![dp.id] ?? null])),
          });
        }
      }
      // Least budget left first: what needs attention is on top.
      rows.sort((a, b) => (a.budgetLeft ?? Infinity) - (b.budgetLeft ?? Infinity));
      return { rows };
    },
    { rows: [] as Row[] },
  );
  const rates = outputs.slos[0]?.burnRates ?? [];
  return { ...result, slos: outputs.slos, windows, rates };
}) satisfies PageServerLoad;
