import { parseStackConfig, type StackConfig } from './config.ts';

/**
 * A fixed stack for tests: thresholds and objectives here are what config/rules/tests/*.yml
 * assert against, independent of how the real stack files are tuned.
 */
export function testStackConfig(overrides: Record<string, unknown> = {}): StackConfig {
  return parseStackConfig(
    {
      platform: 'process',
      customer: 'acme',
      dataPlanes: [
        {
          name: 'acme-prod',
          id: 'acme-prod-01',
          environment: 'prod',
          ports: { api: 8081 },
        },
        {
          name: 'acme-dev',
          id: 'acme-dev-01',
          environment: 'dev',
          ports: { api: 8082 },
        },
        {
          name: 'acme-qa',
          id: 'acme-qa-01',
          environment: 'qa',
          ports: { api: 8083 },
        },
      ],
      controlPlane: {},
      ...overrides,
    },
    'test stack',
  );
}
