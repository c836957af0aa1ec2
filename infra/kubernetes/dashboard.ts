import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { StackOutputs } from '@outpost/outputs';
import { CONTAINER_PORTS } from '../topology.ts';
import { CONTAINER_SECURITY, httpProbe, labels, POD_SECURITY } from './common.ts';

export interface DashboardContext {
  /** Metadata (name, namespace, labels) of the control plane for an app. */
  meta: (app: string) => { name: string; namespace: string; labels: Record<string, string> };
  /** Creates the app's Service in the control plane's namespace. */
  service: (app: string, ports: Array<{ name: string; port: number }>) => unknown;
  /** Options of every child: parent and namespace dependency. */
  opts: pulumi.CustomResourceOptions;
  image: pulumi.Input<string>;
  /** The stack outputs, handed over as DASHBOARD_CONFIG through a Secret (it holds tokens). */
  outputs: pulumi.Input<StackOutputs>;
  auth?: { user: string; password: pulumi.Input<string>; sessionSecret: pulumi.Input<string> };
}

/**
 * The dashboard's part of the control plane: its Secret (outputs and login), Deployment with
 * probes on /healthz, Service and PodDisruptionBudget. Children of the ControlPlane component.
 */
export function createDashboard(name: string, ctx: DashboardContext): void {
  const dashSecret = new k8s.core.v1.Secret(
    `${name}-dashboard-secrets`,
    {
      metadata: ctx.meta('dashboard'),
      stringData: {
        config: pulumi.output(ctx.outputs).apply((o) => JSON.stringify(o)),
        ...(ctx.auth
          ? {
              password: ctx.auth.password,
              sessionSecret: ctx.auth.sessionSecret,
            }
          : {}),
      },
    },
    ctx.opts,
  );
  const fromSecret = (envName: string, key: string) => ({
    name: envName,
    valueFrom: { secretKeyRef: { name: dashSecret.metadata.name, key } },
  });
  new k8s.apps.v1.Deployment(
    `${name}-dashboard`,
    {
      metadata: ctx.meta('dashboard'),
      spec: {
        replicas: 2,
        selector: { matchLabels: labels('dashboard') },
        template: {
          metadata: { labels: labels('dashboard') },
          spec: {
            securityContext: POD_SECURITY,
            containers: [
              {
                name: 'dashboard',
                image: ctx.image,
                env: [
                  { name: 'PORT', value: String(CONTAINER_PORTS.dashboard) },
                  fromSecret('DASHBOARD_CONFIG', 'config'),
                  ...(ctx.auth
                    ? [
                        { name: 'DASHBOARD_AUTH_USER', value: ctx.auth.user },
                        fromSecret('DASHBOARD_AUTH_PASSWORD', 'password'),
                        fromSecret('DASHBOARD_SESSION_SECRET', 'sessionSecret'),
                      ]
                    : []),
                ],
                ports: [{ name: 'http', containerPort: CONTAINER_PORTS.dashboard }],
                readinessProbe: httpProbe('/healthz', CONTAINER_PORTS.dashboard, 5),
                livenessProbe: httpProbe('/healthz', CONTAINER_PORTS.dashboard, 10),
                resources: {
                  requests: { cpu: '50m', memory: '128Mi' },
                  limits: { cpu: '500m', memory: '256Mi' },
                },
                securityContext: CONTAINER_SECURITY,
              },
            ],
          },
        },
      },
    },
    ctx.opts,
  );
  ctx.service('dashboard', [{ name: 'http', port: CONTAINER_PORTS.dashboard }]);
  new k8s.policy.v1.PodDisruptionBudget(
    `${name}-dashboard-pdb`,
    {
      metadata: ctx.meta('dashboard'),
      spec: { minAvailable: 1, selector: { matchLabels: labels('dashboard') } },
    },
    ctx.opts,
  );
}
