import { MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { loadConfig, type ApiConfig } from '../config.ts';
import { createServer, type ServerDeps } from '../server.ts';
import { startTelemetry } from '../telemetry.ts';

/** A reader that exports nothing: tests call collect() and look at what the SDK aggregated. */
export class TestReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** A config from the same loader main.ts uses, with test-friendly overrides. */
export function testConfig(
  env: Record<string, string> = {},
  overrides: Partial<ApiConfig> = {},
): ApiConfig {
  return {
    ...loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      ENVIRONMENT: 'prod',
      DATA_PLANE_ID: 'acme-prod-01',
      CUSTOMER: 'acme',
      API_ADMIN_TOKEN: ADMIN_TOKEN,
      API_REQUEST_LOG: 'off',
      ...env,
    }),
    ...overrides,
  };
}

/** A fresh server with telemetry read in memory; `metrics()` collects what was recorded. */
export async function testServer(
  config: ApiConfig = testConfig(),
  random?: () => number,
  deps: Omit<ServerDeps, 'instruments' | 'random'> = {},
) {
  const reader = new TestReader();
  const telemetry = startTelemetry(config, { readers: [reader], withoutExporter: true });
  const server = await createServer(config, {
    ...deps,
    instruments: telemetry.instruments,
    ...(random ? { random } : {}),
  });
  await server.initialize();
  return {
    server,
    async metrics(): Promise<ResourceMetrics> {
      const { resourceMetrics } = await reader.collect();
      return resourceMetrics;
    },
    async close() {
      await server.stop();
      await telemetry.shutdown();
    },
  };
}
