import type { StackOutputs } from '@outpost/outputs';
import {
  CREDENTIALS,
  httpProbe,
  publish,
  RESOURCES,
  secretEnv,
  NODE_RUNTIME_ENV,
} from './common.ts';
import type { ControlContext } from './context.ts';
import type { Credential, Workload } from './types.ts';

/** The user the dashboard's login accepts (its password is a generated secret). */
export const DASHBOARD_USER = 'admin';

/**
 * The dashboard: its view of the stack outputs (in-network URLs, no admin tokens) and, when
 * `controlPlane.dashboard.auth` is on, a login whose password and session secret are secrets.
 */
export function planDashboard(
  ctx: ControlContext,
  view: StackOutputs,
): { workloads: Workload[]; credentials: Credential[] } {
  const { ctl, cp, platform, bind } = ctx;
  const auth = cp.dashboard.auth;
  const credentials: Credential[] = auth
    ? [
        { id: CREDENTIALS.dashboardPassword(ctx.stack), kind: 'token' },
        { id: CREDENTIALS.dashboardSession(ctx.stack), kind: 'token' },
      ]
    : [];
  const d = ctl.dashboard;
  const workload: Workload = {
    name: `${ctx.stack}-dashboard`,
    namespace: ctx.namespace,
    app: 'dashboard',
    kind: 'deployment',
    replicas: platform === 'kubernetes' ? 2 : 1,
    volumes: [],
    containers: [
      {
        name: 'dashboard',
        program: 'dashboard',
        args: [],
        env: {
          HOST: bind,
          PORT: String(d.port),
          DASHBOARD_CONFIG: JSON.stringify(view),
          ...NODE_RUNTIME_ENV,
          ...(auth
            ? {
                DASHBOARD_AUTH_USER: DASHBOARD_USER,
                DASHBOARD_AUTH_PASSWORD: secretEnv(CREDENTIALS.dashboardPassword(ctx.stack)),
                DASHBOARD_SESSION_SECRET: secretEnv(CREDENTIALS.dashboardSession(ctx.stack)),
              }
            : {}),
        },
        files: [],
        mounts: [],
        ports: [{ name: 'http', port: d.port, serves: 'http', ...publish(d.hostPort, platform) }],
        readiness: httpProbe('/healthz', d.port, 5),
        liveness: httpProbe('/healthz', d.port, 10),
        resources: RESOURCES.node,
      },
    ],
  };
  return { workloads: [workload], credentials };
}
