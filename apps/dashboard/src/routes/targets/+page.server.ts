import { withPrometheus } from '#lib/server/context.ts';
import type { Target } from '#lib/server/prometheus.ts';
import type { PageServerLoad } from './$types';

// Scrape targets and their health: what Prometheus's own targets page shows (the Prometheus
// the platform builds has no web UI), read through the query endpoint.

export const load = (async () =>
  withPrometheus(
    async (p) => {
      const targets = await p.targets();
      const byJob = new Map<string, Target[]>();
      for (const t of targets)
        byJob.set(t.labels.job ?? '', [...(byJob.get(t.labels.job ?? '') ?? []), t]);
      return {
        jobs: [...byJob.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([job, list]) => ({
            job,
            up: list.filter((t) => t.health === 'up').length,
            targets: list.map((t) => ({
              url: t.scrapeUrl,
              health: t.health,
              lastScrape: t.lastScrape,
              durationMs: Math.round(t.lastScrapeDuration * 1000),
              error: t.lastError,
              plane: t.labels.data_plane ?? null,
            })),
          })),
      };
    },
    { jobs: [] },
  )) satisfies PageServerLoad;
