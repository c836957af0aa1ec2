import { COLLECTOR_VERSION } from './render/collector.ts';

/**
 * Pinned third-party images (by version, never `latest`). The rendered configs were validated
 * with Debian's promtool 2.42 and amtool 0.25; these images accept the same schema.
 */
export const IMAGES = {
  collector: `otel/opentelemetry-collector-contrib:${COLLECTOR_VERSION}`,
  prometheus: 'prom/prometheus:v2.55.1',
  alertmanager: 'prom/alertmanager:v0.27.0',
  thanos: 'quay.io/thanos/thanos:v0.36.1',
} as const;

/** Version tag of the images built from this repository (API and dashboard). */
export const APP_VERSION = '0.1.0';
