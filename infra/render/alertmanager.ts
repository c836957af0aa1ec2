import type { Topology } from '../topology.ts';
import { toYaml } from './template.ts';

/**
 * alertmanager.yml: alerts grouped per data plane; the Watchdog repeats often so a silent
 * receiver is noticed. In process mode the local webhook receiver records every notification;
 * extra webhooks come from controlPlane.alerting.webhooks.
 */
export function renderAlertmanagerConfig(topology: Topology): string {
  const cp = topology.config.controlPlane;
  const ctl = topology.controlPlane;
  if (!cp || !ctl)
    throw new Error(`stack ${topology.stack} has no control plane to render alertmanager.yml for`);
  const a = cp.alerting;
  const webhooks = [
    ...(topology.platform === 'process'
      ? [{ url: `${ctl.webhook.url}/alerts`, send_resolved: true }]
      : []),
    ...a.webhooks.map((w) => ({ url: w.url, send_resolved: true })),
  ];
  const doc = {
    route: {
      receiver: 'default',
      group_by: ['alertname', 'customer', 'environment', 'data_plane'],
      group_wait: a.groupWait,
      group_interval: a.groupInterval,
      repeat_interval: a.repeatInterval,
      routes: [
        {
          matchers: ['alertname="Watchdog"'],
          receiver: 'default',
          repeat_interval: '5m',
          group_wait: '0s',
        },
      ],
    },
    receivers: [{ name: 'default', ...(webhooks.length > 0 ? { webhook_configs: webhooks } : {}) }],
    // A plane that is down makes its other alerts noise.
    inhibit_rules: [
      {
        source_matchers: ['alertname="DataPlaneDown"'],
        target_matchers: ['alertname=~"HighErrorRatio|HighLatencyP95|SLO.*"'],
        equal: ['data_plane'],
      },
    ],
  };
  return toYaml(doc, `Alertmanager for stack ${topology.stack}`);
}
