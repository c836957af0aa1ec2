import { BURN_RATES, DURATION_HINT, DURATION_PATTERN } from '@outpost/outputs';
import { z } from 'zod';

// The stack config schema: every key a Pulumi.<stack>.yaml may hold under `outpost:`, with its
// default. Documented key by key in docs/configuration.md.

const duration = z.string().regex(DURATION_PATTERN, DURATION_HINT);
const port = z.number().int().min(1).max(65535);
const name = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,40}$/,
    'must be lower-case letters, digits and dashes (e.g. acme-prod)',
  );

const dataPlanePorts = z.strictObject({
  /** The API's HTTP port (process mode; the published port on Docker). */
  api: port,
  /** Collector OTLP/HTTP receiver. Default: 14318 + 10 x index. */
  otlp: port.optional(),
  /** Collector Prometheus exporter (pull planes). Default: 18889 + 10 x index. */
  collectorMetrics: port.optional(),
  /** Collector's own telemetry. Default: 18888 + 10 x index. */
  collectorTelemetry: port.optional(),
  /** Collector health check. Default: 23133 + 10 x index. */
  collectorHealth: port.optional(),
  /**
   * Push planes: the port of this plane's receiver on the control plane's gateway. Required
   * for push planes, unique across every stack that writes to one gateway.
   */
  push: port.optional(),
});

const dataPlaneSchema = z.strictObject({
  /** Name in this stack, used for resource names, e.g. `acme-prod`. */
  name,
  /** Unique id: the `data_plane` label, e.g. `acme-prod-01`. */
  id: name,
  /** The vendor's customer; default: the stack's `customer`. */
  customer: name.optional(),
  /** The customer's stage: the `environment` label. */
  environment: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,30}$/, 'must be a lower-case name such as prod, dev or qa'),
  /** `pull`: Prometheus scrapes the collector. `push`: the collector sends to the gateway. */
  mode: z.enum(['pull', 'push']).default('pull'),
  ports: dataPlanePorts,
  /** API replicas on Kubernetes (one process in process mode, one container on Docker). */
  replicas: z.number().int().min(1).max(50).default(2),
  /** Simulated base error rate of the API (0..1). */
  errorRate: z.number().min(0).max(1).default(0),
  /** Simulated base latency of the API, ms. */
  latencyMs: z.number().int().min(0).max(60_000).default(0),
});

const sloSchema = z.strictObject({
  availability: z
    .strictObject({ objective: z.number().gt(0).lt(1), window: duration })
    .default({ objective: 0.995, window: '28d' }),
  latency: z
    .strictObject({
      objective: z.number().gt(0).lt(1),
      /** Requests faster than this count as good; must be a histogram bucket boundary. */
      thresholdSeconds: z.number().positive(),
      window: duration,
    })
    .default({ objective: 0.99, thresholdSeconds: 0.5, window: '28d' }),
  /**
   * The multiwindow burn-rate alerts; default the SRE workbook's (page 14.4x over 1h/5m and 6x
   * over 6h/30m, ticket 3x over 1d/2h and 1x over 3d/6h). A demo stack shortens the windows.
   */
  burnRates: z
    .array(
      z.strictObject({
        severity: z.enum(['page', 'ticket']),
        long: duration,
        short: duration,
        factor: z.number().positive(),
      }),
    )
    .min(1)
    .default([...BURN_RATES]),
  /** `for:` of the fast-burn (page) SLO alerts. */
  pageFor: duration.default('2m'),
  /** `for:` of the slow-burn (ticket) SLO alerts. */
  ticketFor: duration.default('15m'),
});

/** A secret a receiver needs: the name of a key in the stack's secrets (docs/deploy.md). */
const secretName = z
  .string()
  .regex(/^[a-zA-Z][a-zA-Z0-9-]{0,62}$/, 'must name a secret, e.g. slackWebhookUrl');

const receiverSchema = z.union([
  z.strictObject({ name, webhook: z.strictObject({ url: z.url() }) }),
  z.strictObject({
    name,
    slack: z.strictObject({ channel: z.string().min(1), apiUrlSecret: secretName }),
  }),
  z.strictObject({
    name,
    email: z.strictObject({
      to: z.email(),
      from: z.email(),
      smarthost: z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port, e.g. smtp.example.com:587'),
      username: z.string().min(1).optional(),
      passwordSecret: secretName.optional(),
    }),
  }),
  z.strictObject({ name, pagerduty: z.strictObject({ routingKeySecret: secretName }) }),
]);

const alertingSchema = z.strictObject({
  /** HighErrorRatio fires above this share of 5xx. */
  errorRatioThreshold: z.number().gt(0).lt(1).default(0.05),
  /** HighLatencyP95 fires above this p95, seconds. */
  latencyP95ThresholdSeconds: z.number().positive().default(1),
  /** `for:` of DataPlaneDown and CollectorDown. */
  dataPlaneDownFor: duration.default('1m'),
  /** DataPlaneSilent: a push plane whose newest sample is older than this. */
  pushSilentAfter: duration.default('2m'),
  /** `for:` of the error-ratio and latency alerts. */
  symptomFor: duration.default('5m'),
  /** Alertmanager group_wait / group_interval / repeat_interval. */
  groupWait: duration.default('30s'),
  groupInterval: duration.default('5m'),
  repeatInterval: duration.default('4h'),
  /** Where alerts go (besides process mode's local receiver). */
  receivers: z.array(receiverSchema).default([]),
});

const controlPorts = z.strictObject({
  prometheus: port.default(9090),
  alertmanager: port.default(9093),
  /** Alertmanager's gossip port (pairs). */
  alertmanagerCluster: port.default(9094),
  dashboard: port.default(3000),
  /** Process mode's local alert receiver. */
  webhook: port.default(9095),
  /** Process mode's fleet simulator (`npm start -- --fleet N`). */
  fleet: port.default(9096),
  thanosQuery: port.default(10902),
  thanosQueryGrpc: port.default(10901),
  thanosSidecar: port.default(10912),
  thanosSidecarGrpc: port.default(10911),
  thanosStore: port.default(10922),
  thanosStoreGrpc: port.default(10921),
  thanosCompact: port.default(10932),
  /** The push gateway collector's health check and own telemetry. */
  gatewayHealth: port.default(13134),
  gatewayTelemetry: port.default(8887),
});

const thanosSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** `filesystem` (one host: process mode and Docker) or `s3` (credentials from secrets). */
  objstore: z.enum(['filesystem', 's3']).default('filesystem'),
  bucket: z.string().min(1).default('outpost-metrics'),
  endpoint: z.string().min(1).optional(),
  /** Prometheus's TSDB block length, which the sidecar uploads; 2h unless a test shortens it. */
  blockDuration: duration.default('2h'),
  /** How often the Store Gateway and the Compactor look for new blocks in the bucket. */
  syncInterval: duration.default('3m'),
});

const controlPlaneSchema = z.strictObject({
  scrapeInterval: duration.default('10s'),
  evaluationInterval: duration.default('10s'),
  /** Rate window of the recording rules; at least 4x the scrape interval. */
  rateWindow: duration.default('1m'),
  retention: duration.default('15d'),
  /** Prometheus replicas, each with its Thanos sidecar; Thanos Query deduplicates them. */
  prometheusReplicas: z.number().int().min(1).max(3).default(1),
  /** Alertmanager replicas: 2 make a gossiping pair, so no silence is lost with one. */
  alertmanagerReplicas: z.number().int().min(1).max(3).default(1),
  ports: controlPorts.default(controlPorts.parse({})),
  thanos: thanosSchema.default(thanosSchema.parse({})),
  dashboard: z.strictObject({ auth: z.boolean().default(false) }).default({ auth: false }),
  alerting: alertingSchema.default(alertingSchema.parse({})),
  slos: sloSchema.default(sloSchema.parse({})),
});

const pushGatewaySchema = z.strictObject({
  /** The gateway's address as the planes reach it, e.g. https://gateway.example.com. */
  url: z.url({ protocol: /^https$/, error: 'must be an https URL: push planes send over TLS' }),
  /** PEM of the CA that signed the gateway's certificate (the control-plane stack exports it). */
  caCert: z.string().includes('BEGIN CERTIFICATE', { message: 'must be a PEM certificate' }),
});

export const stackSchema = z.strictObject({
  platform: z.enum(['process', 'docker', 'kubernetes']),
  customer: name,
  dataPlanes: z.array(dataPlaneSchema).min(1, 'needs at least one data plane'),
  /** Absent on a stack of data planes only (`dev`). */
  controlPlane: controlPlaneSchema.optional(),
  /** Image registry for the images built from this repository, e.g. ghcr.io/acme. */
  registry: z.string().min(1).optional(),
  /** Stacks whose exported data planes this control plane also scrapes (StackReference). */
  scrapeStacks: z.array(z.string().min(1)).default([]),
  /** Where this stack's push planes send: another stack's gateway (prod's outputs). */
  pushGateway: pushGatewaySchema.optional(),
  /** A directory: Kubernetes providers render YAML there instead of applying to a cluster. */
  renderYamlTo: z.string().min(1).optional(),
});

export type StackConfig = z.infer<typeof stackSchema>;
export type DataPlaneConfig = z.infer<typeof dataPlaneSchema>;
export type ControlPlaneConfig = z.infer<typeof controlPlaneSchema>;
export type ReceiverConfig = z.infer<typeof receiverSchema>;
