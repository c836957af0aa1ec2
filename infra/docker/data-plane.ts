import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';
import { IMAGES } from '../images.ts';
import { renderCollectorConfig } from '../render/index.ts';
import { CONTAINER_PORTS, type DataPlaneTopology, type Topology } from '../topology.ts';

export interface DockerDataPlaneArgs {
  /** The stack's topology (built for the `docker` platform). */
  topology: Topology;
  /** This data plane, one of topology.dataPlanes. */
  plane: DataPlaneTopology;
  /** The API image to run (built once per stack by the caller). */
  apiImage: pulumi.Input<string>;
  /** Bearer token of the API's admin routes (a secret). */
  adminToken: pulumi.Input<string>;
  /** The control plane's network, so Prometheus can reach the collector. Default: none. */
  controlNetwork?: pulumi.Input<string>;
  /** Memory limit of the API container, MiB. Default 256. */
  apiMemoryMb?: number;
  /** Memory limit of the collector container, MiB. Default 256. */
  collectorMemoryMb?: number;
}

/**
 * One data plane on a Docker host: its own network, the API and an OpenTelemetry Collector whose
 * config is uploaded into the container (no bind mount of the repository).
 */
export class DockerDataPlane extends pulumi.ComponentResource {
  readonly network: docker.Network;
  readonly api: docker.Container;
  readonly collector: docker.Container;
  readonly collectorConfig: string;

  constructor(name: string, args: DockerDataPlaneArgs, opts?: pulumi.ComponentResourceOptions) {
    super('outpost:docker:DataPlane', name, {}, opts);
    const { plane, topology } = args;
    const child = { parent: this };

    this.network = new docker.Network(
      `${name}-net`,
      { name: `${name}-net`, driver: 'bridge' },
      child,
    );
    const networks = [
      { name: this.network.name },
      ...(args.controlNetwork ? [{ name: args.controlNetwork }] : []),
    ];
    this.collectorConfig = renderCollectorConfig(topology, plane);
    const collectorImage = new docker.RemoteImage(
      `${name}-collector-image`,
      { name: IMAGES.collector, keepLocally: true },
      child,
    );

    this.collector = new docker.Container(
      `${name}-collector`,
      {
        name: `${plane.name}-collector`,
        image: collectorImage.imageId,
        command: ['--config=/etc/otelcol/config.yaml'],
        uploads: [{ file: '/etc/otelcol/config.yaml', content: this.collectorConfig }],
        networksAdvanced: networks,
        memory: args.collectorMemoryMb ?? 256,
        cpuShares: 512,
        restart: 'unless-stopped',
        healthcheck: {
          tests: ['CMD', '/otelcol-contrib', 'components'],
          interval: '10s',
          timeout: '3s',
          retries: 3,
        },
        labels: labelsOf(plane),
      },
      child,
    );

    this.api = new docker.Container(
      `${name}-api`,
      {
        name: `${plane.name}-api`,
        image: args.apiImage,
        envs: [
          `PORT=${CONTAINER_PORTS.api}`,
          'HOST=0.0.0.0',
          `ENVIRONMENT=${plane.environment}`,
          `DATA_PLANE_ID=${plane.id}`,
          `CUSTOMER=${plane.customer}`,
          `API_ERROR_RATE=${plane.errorRate}`,
          `API_LATENCY_MS=${plane.latencyMs}`,
          pulumi.interpolate`API_ADMIN_TOKEN=${args.adminToken}`,
          'OTEL_METRICS_EXPORTER=otlp',
          `OTEL_EXPORTER_OTLP_ENDPOINT=http://${plane.collector.otlp.internal}`,
          'OTEL_SERVICE_NAME=outpost-api',
        ],
        ports: [
          { internal: CONTAINER_PORTS.api, external: portOf(plane.api.url), ip: '127.0.0.1' },
        ],
        networksAdvanced: [{ name: this.network.name }],
        memory: args.apiMemoryMb ?? 256,
        cpuShares: 1024,
        restart: 'unless-stopped',
        healthcheck: nodeHealthcheck(`http://127.0.0.1:${CONTAINER_PORTS.api}/ready`),
        labels: labelsOf(plane),
      },
      { parent: this, dependsOn: [this.collector] },
    );

    this.registerOutputs({
      network: this.network.name,
      api: this.api.name,
      collector: this.collector.name,
    });
  }
}

/** The published port of a `http://127.0.0.1:<port>` URL. */
export function portOf(url: string): number {
  return Number(new URL(url).port);
}

function labelsOf(plane: DataPlaneTopology) {
  return [
    { label: 'outpost.customer', value: plane.customer },
    { label: 'outpost.environment', value: plane.environment },
    { label: 'outpost.data_plane', value: plane.id },
  ];
}

/** A container health check for our Node images (they have no curl or wget): fetch a URL. */
export function nodeHealthcheck(url: string) {
  return {
    tests: [
      'CMD',
      'node',
      '-e',
      `fetch('${url}').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`,
    ],
    interval: '10s',
    timeout: '3s',
    retries: 3,
  };
}
