import { stackOutputs } from '#lib/server/config.ts';
import { withPrometheus } from '#lib/server/context.ts';
import type { PageServerLoad } from './$types';

interface Silence {
  id: string;
  status: { state: string };
  matchers: Array<{ name: string; value: string; isRegex: boolean; isEqual?: boolean }>;
  createdBy: string;
  comment: string;
  endsAt: string;
}

export const load = (async () => {
  const outputs = stackOutputs();
  const prom = await withPrometheus(
    async (p) => ({
      alerts: (await p.alerts())
        .map((a) => ({
          name: a.labels.alertname ?? '',
          state: a.state,
          since: a.activeAt,
          labels: a.labels,
          summary: a.annotations.summary ?? '',
          runbook: a.annotations.runbook_url ?? null,
        }))
        .sort((a, b) =>
          a.state === b.state ? a.name.localeCompare(b.name) : a.state === 'firing' ? -1 : 1,
        ),
    }),
    {
      alerts: [] as Array<{
        name: string;
        state: string;
        since: string;
        labels: Record<string, string>;
        summary: string;
        runbook: string | null;
      }>,
    },
  );
  let silences: Silence[] = [];
  let alertmanagerError: string | null = null;
  if (outputs.alertmanagerUrl) {
    try {
      const res = await fetch(`${outputs.alertmanagerUrl}/api/v2/silences`, {
        signal: AbortSignal.timeout(3000),
      });
      silences = ((await res.json()) as Silence[]).filter((s) => s.status.state !== 'expired');
    } catch (err) {
      alertmanagerError = `cannot reach Alertmanager at ${outputs.alertmanagerUrl}: ${(err as Error).message}`;
    }
  }
  return { ...prom, silences, alertmanagerError, alertmanagerUrl: outputs.alertmanagerUrl };
}) satisfies PageServerLoad;
