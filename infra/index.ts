import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';
import { validateStackOutputs, type DataPlaneOutput } from '@outpost/outputs';
import { DockerControlPlane } from './docker/control-plane.ts';
import { DockerDataPlane } from './docker/data-plane.ts';
import { APP_VERSION } from './images.ts';
import { KubernetesControlPlane } from './kubernetes/control-plane.ts';
import { KubernetesDataPlane } from './kubernetes/data-plane.ts';
import { readPulumiStackConfig } from './pulumi-config.ts';
import { stackOutputs } from './render/index.ts';
import { buildTopology, type Platform } from './topology.ts';

// Composes only: stack config -> topology -> the platform's components -> stack outputs.

const stack = pulumi.getStack();
const { config, secrets } = readPulumiStackConfig();
const target: Platform = config.platform === 'kubernetes' ? 'kubernetes' : 'docker';
const topology = buildTopology(config, { stack, platform: target });
const repoRoot = new URL('..', import.meta.url).pathname;

/** Builds (and on Kubernetes pushes) an image of this repository, tagged by version. */
function appImage(app: 'api' | 'dashboard'): pulumi.Output<string> {
  const name = config.registry
    ? `${config.registry}/outpost-${app}:${APP_VERSION}`
    : `outpost-${app}:${APP_VERSION}`;
  const image = new docker.Image(`${stack}-${app}-image`, {
    imageName: name,
    build: {
      context: repoRoot,
      dockerfile: `${repoRoot}apps/${app}/Dockerfile`,
      platform: 'linux/amd64',
    },
    skipPush: target === 'docker',
  });
  return image.repoDigest.apply((digest) => digest || name);
}

// Data planes of other stacks this control plane scrapes too (prod reads dev's outputs).
const extraPlanes = pulumi
  .all(
    config.scrapeStacks.map((name) =>
      new pulumi.StackReference(`${stack}-ref-${name}`, {
        name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${name}`,
      }).getOutput('dataPlanes'),
    ),
  )
  .apply((lists) =>
    (lists as DataPlaneOutput[][])
      .flat()
      .filter((dp) => dp.metricsUrl)
      .map((dp) => ({
        id: dp.id,
        customer: dp.customer,
        environment: dp.environment,
        target: new URL(dp.metricsUrl!).host,
      })),
  );

const apiImage = appImage('api');
const outputs = pulumi.all([secrets.adminToken, extraPlanes]).apply(([token, extra]) => {
  const own = stackOutputs(
    topology,
    Object.fromEntries(topology.dataPlanes.map((dp) => [dp.id, token])),
  );
  const others = extra.map((p) => ({
    name: p.id,
    id: p.id,
    customer: p.customer,
    environment: p.environment,
    apiUrl: `http://${p.target}`,
    metricsUrl: `http://${p.target}/metrics`,
    adminToken: null,
  }));
  return validateStackOutputs(
    { ...own, dataPlanes: [...own.dataPlanes, ...others] },
    `stack ${stack}`,
  );
});

if (target === 'docker') {
  const control = topology.controlPlane
    ? new DockerControlPlane(`${stack}-control`, {
        topology,
        dashboardImage: appImage('dashboard'),
        outputs,
      })
    : null;
  for (const plane of topology.dataPlanes) {
    new DockerDataPlane(plane.name, {
      topology,
      plane,
      apiImage,
      adminToken: secrets.adminToken,
      ...(control ? { controlNetwork: control.network.name } : {}),
    });
  }
} else {
  for (const plane of topology.dataPlanes) {
    new KubernetesDataPlane(plane.name, {
      topology,
      plane,
      apiImage,
      adminToken: secrets.adminToken,
      ...(secrets.remoteWriteToken ? { remoteWriteToken: secrets.remoteWriteToken } : {}),
      ...(plane.mode === 'pull' &&
      secrets.scrapeTlsCert &&
      secrets.scrapeTlsKey &&
      secrets.scrapeToken
        ? {
            scrape: {
              cert: secrets.scrapeTlsCert,
              key: secrets.scrapeTlsKey,
              token: secrets.scrapeToken,
            },
          }
        : {}),
    });
  }
  if (topology.controlPlane) {
    new KubernetesControlPlane(`${stack}-control`, {
      topology,
      extraPlanes,
      dashboardImage: appImage('dashboard'),
      outputs,
      scrape: { ca: secrets.scrapeTlsCa!, token: secrets.scrapeToken! },
      ...(secrets.objstoreAccessKey && secrets.objstoreSecretKey
        ? {
            objstore: {
              accessKey: secrets.objstoreAccessKey,
              secretKey: secrets.objstoreSecretKey,
            },
          }
        : {}),
      ...(secrets.dashboardPassword && secrets.dashboardSessionSecret
        ? {
            dashboardAuth: {
              user: 'admin',
              password: secrets.dashboardPassword,
              sessionSecret: secrets.dashboardSessionSecret,
            },
          }
        : {}),
    });
  }
}

// The stack outputs (@outpost/outputs schema); admin tokens make the whole list secret.
export const platform = target;
export const dashboardUrl = outputs.apply((o) => o.dashboardUrl);
export const queryUrl = outputs.apply((o) => o.queryUrl);
export const prometheusUrl = outputs.apply((o) => o.prometheusUrl);
export const alertmanagerUrl = outputs.apply((o) => o.alertmanagerUrl);
export const dataPlanes = pulumi.secret(outputs.apply((o) => o.dataPlanes));
export const scrapeInterval = outputs.apply((o) => o.scrapeInterval);
export const slos = outputs.apply((o) => o.slos);
export { stack };
