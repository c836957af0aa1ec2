import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { StackCredentials } from './credentials.ts';
import { DockerPlatform } from './docker/platform.ts';
import {
  federatedCredentialIds,
  federatedPlanes,
  readFederations,
  type Federation,
} from './federation.ts';
import { KubernetesPlatform } from './kubernetes/platform.ts';
import { CREDENTIALS } from './plan/common.ts';
import { buildPlan } from './plan/index.ts';
import { checkWiring } from './plan/wiring.ts';
import { readPulumiStackConfig } from './pulumi-config.ts';

// Composes only: stack config -> plan -> credentials -> the platform's components -> outputs.

const stack = pulumi.getStack();
const repoRoot = new URL('..', import.meta.url).pathname;
const { config, supplied } = readPulumiStackConfig();
const target = config.platform === 'kubernetes' ? 'kubernetes' : 'docker';
const watched = await readFederations(stack, config.scrapeStacks);
const plan = buildPlan(config, { stack, platform: target, foreign: watched.planes });

const problems = checkWiring([plan]);
if (problems.length > 0) throw new Error(`stack ${stack} is miswired:\n  ${problems.join('\n  ')}`);
if (
  plan.topology.controlPlane &&
  !plan.workloads.some((w) => w.app === 'alert-receiver') &&
  config.controlPlane?.alerting.receivers.length === 0
)
  pulumi.log.warn(
    `stack ${stack}: no alert receiver is configured, so alerts reach nobody. Add one to controlPlane.alerting.receivers (docs/configuration.md).`,
  );

const credentials = new StackCredentials(`${stack}-credentials`, {
  credentials: plan.credentials,
  supplied,
  imported: watched.imported,
});

if (target === 'docker') {
  new DockerPlatform(stack, { plan, credentials: credentials.values, repoRoot });
} else {
  // Rendering YAML (outpost:renderYamlTo) needs no cluster: the engine run in the tests uses it.
  const provider = config.renderYamlTo
    ? new k8s.Provider(`${stack}-render`, { renderYamlToDirectory: config.renderYamlTo })
    : undefined;
  new KubernetesPlatform(
    stack,
    {
      plan,
      credentials: credentials.values,
      ...(config.registry ? { registry: config.registry } : {}),
    },
    provider ? { providers: { kubernetes: provider } } : {},
  );
}

// The stack outputs (@outpost/outputs schema); the admin tokens make the plane list secret.
const adminTokens = pulumi
  .all(
    Object.fromEntries(
      plan.topology.dataPlanes.map((dp) => [
        dp.id,
        credentials.get({ credential: CREDENTIALS.adminToken(dp.name), key: 'value' }),
      ]),
    ),
  )
  .apply((tokens) => plan.outputs(tokens));
const outputs = plan.outputs({});
export { stack };
export const platform = outputs.platform;
export const dashboardUrl = outputs.dashboardUrl;
export const queryUrl = outputs.queryUrl;
export const prometheusUrl = outputs.prometheusUrl;
export const alertmanagerUrl = outputs.alertmanagerUrl;
export const dataPlanes = pulumi.secret(adminTokens.apply((o) => o.dataPlanes));
export const scrapeInterval = outputs.scrapeInterval;
export const slos = outputs.slos;

/** Where push planes of other stacks send, and the CA that signed the gateway (control planes). */
export const pushGateway = plan.topology.controlPlane
  ? {
      url: `https://${plan.topology.controlPlane.gateway.host}`,
      caCert: credentials.get({ credential: CREDENTIALS.ca(stack), key: 'crt' }),
    }
  : null;

/** What a control plane watching this stack needs (a secret: it holds tokens). */
export const federation = pulumi.secret(
  pulumi
    .all(
      Object.fromEntries(
        federatedCredentialIds(plan).map((id) => {
          const [credential, key] = id.endsWith('.crt')
            ? [id.slice(0, -4), 'crt' as const]
            : [id, 'value' as const];
          return [id, credentials.get({ credential, key })];
        }),
      ),
    )
    .apply((values): Federation => ({ stack, planes: federatedPlanes(plan), credentials: values })),
);

/** The dashboard's login password, when the dashboard has one (`pulumi stack output --show-secrets`). */
export const dashboardPassword = config.controlPlane?.dashboard.auth
  ? credentials.get({ credential: CREDENTIALS.dashboardPassword(stack), key: 'value' })
  : null;
