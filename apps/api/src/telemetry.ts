import { metrics, type Meter } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  MeterProvider,
  PeriodicExportingMetricReader,
  type IMetricReader,
  type ViewOptions,
} from '@opentelemetry/sdk-metrics';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { randomUUID } from 'node:crypto';
import type { ApiConfig } from './config.ts';
import {
  createInstruments,
  prometheusUnitSuffix,
  SPECS,
  type Instruments,
} from './metrics/instruments.ts';
import { registerRuntimeMetrics } from './metrics/runtime.ts';

export const SERVICE_VERSION = '0.1.0';

/** What the server needs from telemetry; `null` instruments when OTEL_SDK_DISABLED=true. */
export interface Telemetry {
  instruments: Instruments | null;
  /** Flushes pending metrics and stops exporters (graceful shutdown). */
  shutdown(): Promise<void>;
}

export interface TelemetryOptions {
  /** Extra readers, e.g. an in-memory reader in tests. */
  readers?: IMetricReader[];
  /** Skip the configured exporter (tests that only read in memory). */
  withoutExporter?: boolean;
}

/**
 * Bootstraps the OpenTelemetry metrics SDK: resource, exporter (OTLP/HTTP or Prometheus),
 * views, and the instruments. Instruments are created here, after the provider exists.
 */
export function startTelemetry(config: ApiConfig, options: TelemetryOptions = {}): Telemetry {
  if (config.telemetry.disabled) {
    return { instruments: null, shutdown: async () => {} };
  }
  const readers: IMetricReader[] = [...(options.readers ?? [])];
  const prometheus = config.telemetry.exporter === 'prometheus';
  if (!options.withoutExporter) readers.push(createReader(config));

  const provider = new MeterProvider({
    resource: buildResource(config),
    readers,
    views: prometheus ? prometheusNamingViews() : [],
  });
  const meter: Meter = provider.getMeter('@outpost/api', SERVICE_VERSION);
  const stopRuntime = registerRuntimeMetrics(meter);
  metrics.setGlobalMeterProvider(provider);
  return {
    instruments: createInstruments(meter),
    async shutdown() {
      stopRuntime();
      await provider.shutdown();
    },
  };
}

function createReader(config: ApiConfig): IMetricReader {
  const t = config.telemetry;
  if (t.exporter === 'prometheus') {
    return new PrometheusExporter({ host: t.prometheusHost, port: t.prometheusPort });
  }
  return new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({ url: `${t.otlpEndpoint}/v1/metrics` }),
    exportIntervalMillis: t.exportIntervalMs,
    exportTimeoutMillis: Math.min(t.exportIntervalMs, 30_000),
  });
}

/**
 * Resource attributes. OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME are read by the SDK's
 * env detector; ENVIRONMENT, DATA_PLANE_ID and CUSTOMER win over them (the scrape labels win
 * over all of these in Prometheus).
 */
export function buildResource(config: ApiConfig) {
  const fromEnv = detectResources({ detectors: [envDetector] });
  return fromEnv.merge(
    resourceFromAttributes({
      [ATTR_SERVICE_NAME]: config.telemetry.serviceName,
      [ATTR_SERVICE_VERSION]: SERVICE_VERSION,
      'service.instance.id': randomUUID(),
      'deployment.environment.name': config.environment,
      'data_plane.id': config.dataPlaneId,
      'customer.id': config.customer,
    }),
  );
}

/**
 * The Collector's Prometheus exporter appends unit suffixes (`_seconds`, `_bytes`); the JS
 * exporter does not. On the direct-scrape path we rename each instrument with a unit to carry
 * the suffix, so Prometheus stores the same series names on both paths (docs/api.md).
 * `_total` on counters is added by both exporters already.
 */
export function prometheusNamingViews(): ViewOptions[] {
  return Object.values(SPECS).flatMap((spec) => {
    const suffix = prometheusUnitSuffix(spec.unit);
    return suffix ? [{ instrumentName: spec.name, name: `${spec.name}_${suffix}` }] : [];
  });
}
