import type { ControlPlaneConfig, ReceiverConfig } from '../config.ts';
import { toYaml } from './template.ts';

/** Where a receiver finds a secret (a Secret volume in containers): `<dir>/<secret name>`. */
export type SecretPath = (secretName: string) => string;

export interface AlertmanagerSpec {
  stack: string;
  alerting: ControlPlaneConfig['alerting'];
  /** Process mode's local alert receiver (`http://.../alerts`), if any. */
  localWebhook: string | null;
  secretPath: SecretPath;
}

/** The receiver every alert goes to, and the one pages go to besides (PagerDuty). */
export const RECEIVERS = { notify: 'outpost', page: 'outpost-page' } as const;

/**
 * alertmanager.yml: alerts grouped by customer and environment (one notification per incident
 * of an environment, not one per rule); the Watchdog repeats every 5 minutes so a silent pipeline
 * is noticed; pages also go to PagerDuty; a plane that is down or silent inhibits its other
 * alerts. Secrets (webhook URLs, keys, passwords) are read from files, never written here.
 */
export function renderAlertmanagerConfig(spec: AlertmanagerSpec): string {
  const a = spec.alerting;
  const notify = integrations(
    a.receivers.filter((r) => !('pagerduty' in r)),
    spec,
    spec.localWebhook,
  );
  const pages = integrations(
    a.receivers.filter((r) => 'pagerduty' in r),
    spec,
    null,
  );
  const doc = {
    route: {
      receiver: RECEIVERS.notify,
      group_by: ['alertname', 'customer', 'environment'],
      group_wait: a.groupWait,
      group_interval: a.groupInterval,
      repeat_interval: a.repeatInterval,
      routes: [
        {
          matchers: ['alertname="Watchdog"'],
          receiver: RECEIVERS.notify,
          repeat_interval: '5m',
          group_wait: '0s',
        },
        ...(Object.keys(pages).length > 0
          ? [{ matchers: ['severity="page"'], receiver: RECEIVERS.page, continue: true }]
          : []),
      ],
    },
    receivers: [
      { name: RECEIVERS.notify, ...notify },
      ...(Object.keys(pages).length > 0 ? [{ name: RECEIVERS.page, ...pages }] : []),
    ],
    // A plane that is down, or whose collector is, makes its other alerts noise.
    inhibit_rules: [
      {
        source_matchers: ['alertname=~"DataPlaneDown|CollectorDown|DataPlaneSilent"'],
        target_matchers: [
          'alertname=~"HighErrorRatio|HighLatencyP95|SLO.*|Collector(Refusing|Dropping)Data"',
        ],
        equal: ['data_plane'],
      },
      {
        source_matchers: ['alertname="CollectorDown"'],
        target_matchers: ['alertname="DataPlaneDown"'],
        equal: ['data_plane'],
      },
    ],
  };
  return toYaml(doc, `Alertmanager for stack ${spec.stack}`);
}

/** True when alerts reach somewhere: a receiver with at least one integration. */
export function hasIntegration(spec: Pick<AlertmanagerSpec, 'alerting' | 'localWebhook'>): boolean {
  return spec.localWebhook !== null || spec.alerting.receivers.length > 0;
}

function integrations(
  receivers: ReceiverConfig[],
  spec: AlertmanagerSpec,
  localWebhook: string | null,
) {
  const out: Record<string, unknown[]> = {};
  const add = (kind: string, item: unknown) => (out[kind] ??= []).push(item);
  if (localWebhook)
    add('webhook_configs', { url: localWebhook, send_resolved: true, max_alerts: 100 });
  for (const r of receivers) {
    if ('webhook' in r) add('webhook_configs', { url: r.webhook.url, send_resolved: true });
    if ('slack' in r)
      add('slack_configs', {
        channel: r.slack.channel,
        api_url_file: spec.secretPath(r.slack.apiUrlSecret),
        send_resolved: true,
        title:
          '{{ .CommonLabels.alertname }} on {{ .CommonLabels.customer }}/{{ .CommonLabels.environment }}',
        text: '{{ range .Alerts }}{{ .Annotations.summary }}\n{{ end }}',
      });
    if ('email' in r)
      add('email_configs', {
        to: r.email.to,
        from: r.email.from,
        smarthost: r.email.smarthost,
        ...(r.email.username ? { auth_username: r.email.username } : {}),
        ...(r.email.passwordSecret
          ? { auth_password_file: spec.secretPath(r.email.passwordSecret) }
          : {}),
        send_resolved: true,
      });
    if ('pagerduty' in r)
      add('pagerduty_configs', {
        routing_key_file: spec.secretPath(r.pagerduty.routingKeySecret),
        send_resolved: true,
      });
  }
  return out;
}
