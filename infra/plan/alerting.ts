import { hasIntegration, renderAlertmanagerConfig } from '../render/alertmanager.ts';
import {
  configFile,
  httpProbe,
  publish,
  RESOURCES,
  secretFile,
  NODE_RUNTIME_ENV,
} from './common.ts';
import { alertReceiverScript } from '../images.ts';
import type { ControlContext } from './context.ts';
import { CONFIG_DIR, DATA_DIR, SECRETS_DIR } from './paths.ts';
import type { Credential, Workload } from './types.ts';

/** How often Alertmanager snapshots silences and notification state to disk. */
export const ALERTMANAGER_MAINTENANCE_INTERVAL = '1m';

export interface AlertingParts {
  workloads: Workload[];
  credentials: Credential[];
  /** False when alerts reach no receiver: `pulumi up` and the dashboard say so. */
  delivers: boolean;
}

/**
 * Alertmanager (a gossiping pair when `alertmanagerReplicas` is 2, so a silence survives the
 * loss of one; each snapshots every minute so a crash loses at most a minute) and, in process
 * mode and on Docker, the local alert receiver it notifies.
 */
export function planAlerting(ctx: ControlContext): AlertingParts {
  const { cp, ctl, platform, bind } = ctx;
  const k8s = platform === 'kubernetes';
  const secretNames = [
    ...new Set(
      cp.alerting.receivers.flatMap((r) =>
        'slack' in r
          ? [r.slack.apiUrlSecret]
          : 'pagerduty' in r
            ? [r.pagerduty.routingKeySecret]
            : 'email' in r && r.email.passwordSecret
              ? [r.email.passwordSecret]
              : [],
      ),
    ),
  ];
  const credentials: Credential[] = secretNames.map((id) => ({
    id,
    kind: 'external',
    description: `a secret of an alert receiver (controlPlane.alerting.receivers)`,
  }));
  // One machine (process mode, Docker) has its own receiver to follow alerts end to end.
  const localWebhook = platform === 'kubernetes' ? null : `http://${ctl.webhook.internal}/alerts`;
  const config = renderAlertmanagerConfig({
    stack: ctx.stack,
    alerting: cp.alerting,
    localWebhook,
    secretPath: (name) => `${SECRETS_DIR}/${name}`,
  });
  const replicas = k8s ? ctl.alertmanager.slice(0, 1) : ctl.alertmanager;
  const pair = cp.alertmanagerReplicas > 1;
  const workloads = replicas.map((r): Workload => {
    const { http: am, cluster } = r;
    // On Kubernetes every pod of the StatefulSet peers with all (its own address included).
    const peers = (k8s ? ctl.alertmanager : ctl.alertmanager.filter((o) => o !== r)).map(
      (o) => o.cluster.internal,
    );
    return {
      name: r.name,
      namespace: ctx.namespace,
      app: 'alertmanager',
      kind: 'statefulset',
      replicas: k8s ? cp.alertmanagerReplicas : 1,
      serviceName: k8s ? `${ctx.stack}-alertmanager` : r.name,
      volumes: [{ name: 'data', kind: 'data', size: '1Gi' }],
      containers: [
        {
          name: 'alertmanager',
          program: 'alertmanager',
          args: [
            `--config.file=${CONFIG_DIR}/alertmanager.yml`,
            `--storage.path=${DATA_DIR}`,
            `--web.listen-address=${bind}:${am.port}`,
            `--data.maintenance-interval=${ALERTMANAGER_MAINTENANCE_INTERVAL}`,
            ...(pair
              ? [
                  `--cluster.listen-address=${bind}:${cluster.port}`,
                  `--cluster.advertise-address=${k8s ? `$(POD_IP):${cluster.port}` : cluster.internal}`,
                  ...peers.map((p) => `--cluster.peer=${p}`),
                ]
              : ['--cluster.listen-address=']),
          ],
          env: k8s && pair ? { POD_IP: { pod: 'ip' } } : {},
          files: [
            configFile('alertmanager.yml', config),
            ...secretNames.map((name) => secretFile(name, name, 'value')),
          ],
          mounts: [{ volume: 'data', path: DATA_DIR }],
          ports: [
            { name: 'http', port: am.port, serves: 'metrics', ...publish(am.hostPort, platform) },
            ...(pair ? [{ name: 'cluster', port: cluster.port, serves: 'gossip' as const }] : []),
          ],
          readiness: httpProbe('/-/ready', am.port),
          liveness: httpProbe('/-/healthy', am.port, 20),
          resources: RESOURCES.small,
        },
      ],
    };
  });
  if (localWebhook) {
    workloads.push({
      name: `${ctx.stack}-alert-receiver`,
      namespace: ctx.namespace,
      app: 'alert-receiver',
      kind: 'deployment',
      replicas: 1,
      volumes: [{ name: 'data', kind: 'data', size: '100Mi' }],
      containers: [
        {
          name: 'alert-receiver',
          program: 'alert-receiver',
          args: [`${CONFIG_DIR}/alert-receiver.mjs`],
          env: {
            HOST: bind,
            PORT: String(ctl.webhook.port),
            ALERT_RECEIVER_FILE: `${DATA_DIR}/alerts.jsonl`,
            ...NODE_RUNTIME_ENV,
          },
          files: [configFile('alert-receiver.mjs', alertReceiverScript())],
          mounts: [{ volume: 'data', path: DATA_DIR }],
          ports: [
            {
              name: 'http',
              port: ctl.webhook.port,
              serves: 'http',
              ...publish(ctl.webhook.hostPort, platform),
            },
          ],
          readiness: httpProbe('/healthz', ctl.webhook.port, 5),
          liveness: httpProbe('/healthz', ctl.webhook.port, 10),
          resources: RESOURCES.tiny,
        },
      ],
    });
  }
  return {
    workloads,
    credentials,
    delivers: hasIntegration({ alerting: cp.alerting, localWebhook }),
  };
}
