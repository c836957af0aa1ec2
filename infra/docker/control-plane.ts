import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';
import type { StackOutputs } from '@outpost/outputs';
import { IMAGES } from '../images.ts';
import { renderControlPlaneFiles, renderThanosObjstore } from '../render/index.ts';
import { CONTAINER_PORTS, type Topology } from '../topology.ts';
import { nodeHealthcheck, portOf } from './data-plane.ts';

export interface DockerControlPlaneArgs {
  /** The stack's topology (built for the `docker` platform); must have a control plane. */
  topology: Topology;
  /** The dashboard image to run. */
  dashboardImage: pulumi.Input<string>;
  /** The stack outputs, handed to the dashboard as DASHBOARD_CONFIG (no URL written twice). */
  outputs: pulumi.Input<StackOutputs>;
  /** Memory limit of Prometheus, MiB. Default 1024. */
  prometheusMemoryMb?: number;
}

/**
 * The control plane on one Docker host: Prometheus (rules and config uploaded, data on a
 * volume), Alertmanager, the dashboard, and Thanos sidecar + Query over a filesystem bucket
 * when the stack enables Thanos.
 */
export class DockerControlPlane extends pulumi.ComponentResource {
  readonly network: docker.Network;
  readonly prometheus: docker.Container;
  readonly alertmanager: docker.Container;
  readonly dashboard: docker.Container;
  readonly files: Record<string, string>;

  constructor(name: string, args: DockerControlPlaneArgs, opts?: pulumi.ComponentResourceOptions) {
    super('outpost:docker:ControlPlane', name, {}, opts);
    const { topology } = args;
    const ctl = topology.controlPlane;
    const cp = topology.config.controlPlane;
    if (!ctl || !cp) throw new Error(`stack ${topology.stack} has no control plane`);
    const child = { parent: this };
    const stack = topology.stack;

    this.network = new docker.Network(
      `${name}-net`,
      { name: `${name}-net`, driver: 'bridge' },
      child,
    );
    const networks = [{ name: this.network.name }];
    this.files = renderControlPlaneFiles(topology);
    const image = (key: keyof typeof IMAGES) =>
      new docker.RemoteImage(
        `${name}-${key}-image`,
        { name: IMAGES[key], keepLocally: true },
        child,
      ).imageId;
    const upload = (prefix: string, under: string) =>
      Object.entries(this.files)
        .filter(([path]) => path.startsWith(prefix))
        .map(([path, content]) => ({ file: `${under}/${path.slice(prefix.length)}`, content }));
    const probe = (url: string) => ({
      tests: ['CMD', 'wget', '-q', '-O', '-', url],
      interval: '10s',
      timeout: '3s',
      retries: 3,
    });

    const data = new docker.Volume(
      `${name}-prometheus-data`,
      { name: `${name}-prometheus-data` },
      child,
    );
    const thanos = cp.thanos.enabled;
    const bucket = thanos
      ? new docker.Volume(`${name}-thanos-bucket`, { name: `${name}-thanos-bucket` }, child)
      : null;

    this.prometheus = new docker.Container(
      `${name}-prometheus`,
      {
        name: `${stack}-prometheus`,
        image: image('prometheus'),
        command: [
          '--config.file=/etc/prometheus/prometheus.yml',
          '--storage.tsdb.path=/prometheus',
          `--storage.tsdb.retention.time=${cp.retention}`,
          '--web.enable-lifecycle',
          '--web.enable-remote-write-receiver',
          // Thanos's sidecar uploads 2 h blocks: compaction must be left to the Compactor.
          ...(thanos
            ? ['--storage.tsdb.min-block-duration=2h', '--storage.tsdb.max-block-duration=2h']
            : []),
        ],
        uploads: upload('prometheus/', '/etc/prometheus'),
        volumes: [{ volumeName: data.name, containerPath: '/prometheus' }],
        ports: [
          {
            internal: CONTAINER_PORTS.prometheus,
            external: portOf(ctl.prometheus.url),
            ip: '127.0.0.1',
          },
        ],
        networksAdvanced: networks,
        memory: args.prometheusMemoryMb ?? 1024,
        cpuShares: 1024,
        restart: 'unless-stopped',
        healthcheck: probe(`http://127.0.0.1:${CONTAINER_PORTS.prometheus}/-/ready`),
      },
      child,
    );

    this.alertmanager = new docker.Container(
      `${name}-alertmanager`,
      {
        name: `${stack}-alertmanager`,
        image: image('alertmanager'),
        command: [
          '--config.file=/etc/alertmanager/alertmanager.yml',
          '--storage.path=/alertmanager',
          '--cluster.listen-address=',
        ],
        uploads: upload('alertmanager/', '/etc/alertmanager'),
        ports: [
          {
            internal: CONTAINER_PORTS.alertmanager,
            external: portOf(ctl.alertmanager.url),
            ip: '127.0.0.1',
          },
        ],
        networksAdvanced: networks,
        memory: 128,
        restart: 'unless-stopped',
        healthcheck: probe(`http://127.0.0.1:${CONTAINER_PORTS.alertmanager}/-/ready`),
      },
      child,
    );

    if (thanos && bucket) {
      const objstore = renderThanosObjstore(topology);
      const thanosImage = image('thanos');
      new docker.Container(
        `${name}-thanos-sidecar`,
        {
          name: `${stack}-thanos-sidecar`,
          image: thanosImage,
          command: [
            'sidecar',
            `--prometheus.url=http://${ctl.prometheus.internal}`,
            '--tsdb.path=/prometheus',
            '--objstore.config-file=/etc/thanos/objstore.yml',
            '--grpc-address=0.0.0.0:10901',
          ],
          uploads: [{ file: '/etc/thanos/objstore.yml', content: objstore }],
          volumes: [
            { volumeName: data.name, containerPath: '/prometheus' },
            { volumeName: bucket.name, containerPath: '/thanos/bucket' },
          ],
          networksAdvanced: networks,
          memory: 256,
          restart: 'unless-stopped',
        },
        { parent: this, dependsOn: [this.prometheus] },
      );
      new docker.Container(
        `${name}-thanos-query`,
        {
          name: `${stack}-thanos-query`,
          image: thanosImage,
          command: [
            'query',
            `--http-address=0.0.0.0:${CONTAINER_PORTS.thanosQuery}`,
            `--endpoint=${stack}-thanos-sidecar:10901`,
            '--query.replica-label=replica',
          ],
          ports: [
            {
              internal: CONTAINER_PORTS.thanosQuery,
              external: portOf(ctl.thanosQuery!.url),
              ip: '127.0.0.1',
            },
          ],
          networksAdvanced: networks,
          memory: 256,
          restart: 'unless-stopped',
          healthcheck: probe(`http://127.0.0.1:${CONTAINER_PORTS.thanosQuery}/-/ready`),
        },
        child,
      );
    }

    this.dashboard = new docker.Container(
      `${name}-dashboard`,
      {
        name: `${stack}-dashboard`,
        image: args.dashboardImage,
        envs: [
          `PORT=${CONTAINER_PORTS.dashboard}`,
          'HOST=0.0.0.0',
          // Inside the network the dashboard reaches Prometheus by container name.
          pulumi
            .output(args.outputs)
            .apply((o) => `DASHBOARD_CONFIG=${JSON.stringify(inNetwork(o, topology))}`),
        ],
        ports: [
          {
            internal: CONTAINER_PORTS.dashboard,
            external: portOf(ctl.dashboard.url),
            ip: '127.0.0.1',
          },
        ],
        networksAdvanced: networks,
        memory: 256,
        restart: 'unless-stopped',
        healthcheck: nodeHealthcheck(`http://127.0.0.1:${CONTAINER_PORTS.dashboard}/healthz`),
      },
      child,
    );

    this.registerOutputs({
      network: this.network.name,
      prometheus: this.prometheus.name,
      dashboard: this.dashboard.name,
    });
  }
}

/** The outputs as seen from inside the control network (container names, not published ports). */
function inNetwork(outputs: StackOutputs, topology: Topology): StackOutputs {
  const ctl = topology.controlPlane!;
  const query = ctl.thanosQuery ?? ctl.prometheus;
  return {
    ...outputs,
    queryUrl: `http://${query.internal}`,
    prometheusUrl: `http://${ctl.prometheus.internal}`,
    alertmanagerUrl: `http://${ctl.alertmanager.internal}`,
    dataPlanes: outputs.dataPlanes.map((dp) => ({ ...dp, adminToken: null })),
  };
}
