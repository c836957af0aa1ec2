import { z } from 'zod';
import { DURATION_HINT, DURATION_PATTERN } from './contract/duration.ts';

// The stack-outputs contract (see docs/architecture.md): what `pulumi stack output --json`
// and process mode's `.run/<stack>/outputs.json` both hold. Fields keep their names; new
// fields may be added, so objects are not strict (a newer producer must not break an older
// consumer).

const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** A duration as Prometheus writes it: `30s`, `5m`, `1h`, `28d`. */
export const durationString = z.string().regex(DURATION_PATTERN, DURATION_HINT);

export const dataPlaneOutputSchema = z.object({
  /** The data plane's name in the stack config, e.g. `acme-prod`. */
  name: z.string().min(1),
  /** Unique id, the `data_plane` label, e.g. `acme-prod-01`. */
  id: z.string().min(1),
  /** The vendor's customer, the `customer` label. */
  customer: z.string().min(1),
  /** The customer's stage, the `environment` label. */
  environment: z.string().min(1),
  /** Where the API answers (the load generator's target). */
  apiUrl: url,
  /** What Prometheus scrapes for this plane: its collector, else the API's exporter. */
  metricsUrl: url.nullable(),
  /** Bearer token for the API's /admin/faults routes; a secret. */
  adminToken: z.string().nullable().optional(),
  /** `pull` (Prometheus scrapes its collector) or `push` (its collector sends to the gateway). */
  mode: z.enum(['pull', 'push']).optional(),
  /** A simulated plane (`npm start -- --fleet N`): a test double with no API of its own. */
  simulated: z.boolean().optional(),
});

export const sloOutputSchema = z.object({
  /** `availability` or `latency`. */
  name: z.string().min(1),
  /** Target ratio of good events, e.g. 0.995. */
  objective: z.number().gt(0).lt(1),
  /** Compliance window, e.g. `28d`. */
  window: durationString,
  /** For latency SLOs: the threshold in seconds (one of the histogram's bucket bounds). */
  thresholdSeconds: z.number().positive().optional(),
  /** The burn-rate alerts in force (their windows are recorded as `..._ratio:rate<window>`). */
  burnRates: z
    .array(
      z.object({
        severity: z.enum(['page', 'ticket']),
        long: durationString,
        short: durationString,
        factor: z.number().positive(),
      }),
    )
    .optional(),
});

export const stackOutputsSchema = z.object({
  stack: z.string().min(1),
  /** Where this run placed the stack: `process`, `docker` or `kubernetes`. */
  platform: z.enum(['process', 'docker', 'kubernetes']),
  dashboardUrl: url.nullable(),
  /** Thanos Query when it is enabled, else Prometheus. */
  queryUrl: url.nullable(),
  prometheusUrl: url.nullable(),
  alertmanagerUrl: url.nullable(),
  dataPlanes: z.array(dataPlaneOutputSchema),
  scrapeInterval: durationString,
  slos: z.array(sloOutputSchema),
});

export type DataPlaneOutput = z.infer<typeof dataPlaneOutputSchema>;
export type SloOutput = z.infer<typeof sloOutputSchema>;
export type StackOutputs = z.infer<typeof stackOutputsSchema>;
