import { fail } from '@sveltejs/kit';
import {
  alertmanager,
  AlertmanagerRejected,
  AlertmanagerUnreachable,
  type Silence,
} from '#lib/server/alertmanager.ts';
import { groupAlerts, type Grouped } from '#lib/alert-groups.ts';
import { withPrometheus } from '#lib/server/context.ts';
import {
  LIMITS,
  matchersFromLabels,
  OPERATORS,
  parseSilenceForm,
  parseSilenceId,
  type SilenceValues,
} from '#lib/server/silence.ts';
import type { Actions, PageServerLoad } from './$types';

interface Alert {
  name: string;
  state: string;
  since: string;
  labels: Record<string, string>;
  /** The silence form's matchers for this alert. */
  matchers: ReturnType<typeof matchersFromLabels>;
  summary: string;
  runbook: string | null;
}

export const load = (async ({ locals }) => {
  const prom = await withPrometheus(
    async (p) => {
      const alerts = (await p.alerts())
        .map((a): Alert => ({
          name: a.labels.alertname ?? '',
          state: a.state,
          since: a.activeAt,
          labels: a.labels,
          matchers: matchersFromLabels(a.labels),
          summary: a.annotations.summary ?? '',
          runbook: a.annotations.runbook_url ?? null,
        }))
        .sort((a, b) =>
          a.state === b.state ? a.name.localeCompare(b.name) : a.state === 'firing' ? -1 : 1,
        );
      // By customer and environment: a fleet's alerts read per customer, not as one list.
      return { total: alerts.length, groups: groupAlerts(alerts) };
    },
    { total: 0, groups: [] as Grouped<Alert>[] },
  );
  const am = alertmanager();
  let silences: Silence[] = [];
  let alertmanagerError: string | null = null;
  let delivers = true;
  if (am) {
    try {
      [silences, delivers] = await Promise.all([am.silences(), am.delivers()]);
    } catch (err) {
      if (!(err instanceof AlertmanagerUnreachable || err instanceof AlertmanagerRejected))
        throw err;
      alertmanagerError = err.message;
    }
  }
  return {
    ...prom,
    silences,
    alertmanagerError,
    delivers,
    hasAlertmanager: am !== null,
    user: locals.user,
    operators: OPERATORS,
    limits: LIMITS,
  };
}) satisfies PageServerLoad;

/** Alertmanager's problems as a form failure the page shows next to the form. */
function unavailable(err: unknown, action: 'create' | 'expire', values?: SilenceValues) {
  if (err instanceof AlertmanagerUnreachable || err instanceof AlertmanagerRejected)
    return fail(err instanceof AlertmanagerUnreachable ? 503 : 400, {
      action,
      problem: err.message,
      values,
    });
  throw err;
}

export const actions = {
  /** Creates a silence from the validated form (matchers, duration, comment, creator). */
  create: async ({ request }) => {
    const am = alertmanager();
    if (!am)
      return fail(404, { action: 'create' as const, problem: 'this stack has no Alertmanager' });
    const parsed = parseSilenceForm(await request.formData());
    if (!parsed.ok)
      return fail(400, { action: 'create' as const, errors: parsed.errors, values: parsed.values });
    try {
      return { action: 'create' as const, created: await am.createSilence(parsed.silence) };
    } catch (err) {
      return unavailable(err, 'create', parsed.values);
    }
  },
  /** Expires a silence by id. */
  expire: async ({ request }) => {
    const am = alertmanager();
    if (!am)
      return fail(404, { action: 'expire' as const, problem: 'this stack has no Alertmanager' });
    const id = parseSilenceId(await request.formData());
    if (!id) return fail(400, { action: 'expire' as const, problem: 'not a silence id' });
    try {
      await am.expireSilence(id);
      return { action: 'expire' as const, expired: id };
    } catch (err) {
      return unavailable(err, 'expire');
    }
  },
} satisfies Actions;
