import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toSeconds } from '@outpost/outputs';
import { parseStackConfig, readStackConfigFile, StackConfigError } from './config.ts';

const plane = (name: string, id: string, api: number, extra: object = {}) => ({
  name,
  id,
  environment: 'prod',
  ports: { api },
  ...extra,
});
const base = {
  platform: 'process',
  customer: 'acme',
  dataPlanes: [plane('a', 'a-01', 8081)],
  controlPlane: {},
};

function errorOf(raw: Record<string, unknown>): string {
  try {
    parseStackConfig(raw, 'test.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(StackConfigError);
    return (err as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

describe('stack files', () => {
  it.each(['local', 'dev', 'prod'])('Pulumi.%s.yaml is valid', (stack) => {
    const config = readStackConfigFile(stack, join(import.meta.dirname, '..'));
    expect(config.dataPlanes.length).toBeGreaterThan(0);
  });

  it('local holds a control plane and the prod, dev and qa planes on the PoC ports', () => {
    const config = readStackConfigFile('local', join(import.meta.dirname, '..'));
    expect(config.dataPlanes.map((d) => [d.environment, d.ports.api])).toEqual([
      ['prod', 8081],
      ['dev', 8082],
      ['qa', 8083],
    ]);
    expect(config.controlPlane?.ports).toMatchObject({
      prometheus: 9090,
      alertmanager: 9093,
      dashboard: 3000,
    });
  });

  it('dev has no control plane; prod scrapes dev', () => {
    const root = join(import.meta.dirname, '..');
    expect(readStackConfigFile('dev', root).controlPlane).toBeUndefined();
    expect(readStackConfigFile('prod', root).scrapeStacks).toEqual(['dev']);
  });
});

describe('bad config names the key and the fix', () => {
  it('duplicate data plane names and ids', () => {
    const message = errorOf({
      ...base,
      dataPlanes: [plane('a', 'x', 1), plane('a', 'x', 3)],
    });
    expect(message).toMatch(/2 data planes share the name a; give each a unique name/);
    expect(message).toMatch(/share the id x/);
  });

  it('clashing ports, naming both keys', () => {
    const message = errorOf({
      ...base,
      dataPlanes: [plane('a', 'a', 8081), plane('b', 'b', 8081)],
    });
    expect(message).toMatch(
      /outpost:dataPlanes\[1\]\.ports\.api: port 8081 is already used by outpost:dataPlanes\[0\]\.ports\.api/,
    );
  });

  it('a control-plane port clashing with a data plane', () => {
    expect(errorOf({ ...base, controlPlane: { ports: { prometheus: 8081 } } })).toMatch(
      /controlPlane\.ports\.prometheus: port 8081/,
    );
  });

  it('bad durations', () => {
    expect(errorOf({ ...base, controlPlane: { scrapeInterval: '10 seconds' } })).toMatch(
      /outpost:controlPlane\.scrapeInterval: must be a duration such as/,
    );
  });

  it('unknown keys', () => {
    expect(errorOf({ ...base, dataPlanes: [plane('a', 'a', 1, { replica: 2 })] })).toMatch(
      /outpost:dataPlanes\[0\]: unknown key\(s\) replica/,
    );
    expect(errorOf({ ...base, colour: 'blue' })).toMatch(/unknown key\(s\) colour/);
  });

  it('a latency objective that is not a bucket boundary', () => {
    const message = errorOf({
      ...base,
      controlPlane: {
        slos: { latency: { objective: 0.99, thresholdSeconds: 0.3, window: '28d' } },
      },
    });
    expect(message).toMatch(
      /thresholdSeconds: 0.3 is not a bucket boundary.*use one of 0.005, .*0.25, 0.5/,
    );
  });

  it('a rate window shorter than 4 scrape intervals', () => {
    expect(errorOf({ ...base, controlPlane: { scrapeInterval: '30s', rateWindow: '1m' } })).toMatch(
      /rateWindow: 1m is shorter than 4x/,
    );
  });

  it('secure: values in a stack file', () => {
    expect(errorOf({ ...base, adminToken: { secure: 'AAABAD' } })).toMatch(
      /pulumi config set --secret --path 'outpost:secrets/,
    );
  });

  it('a push plane needs its gateway port; a pull plane has none', () => {
    expect(errorOf({ ...base, dataPlanes: [plane('a', 'a', 1, { mode: 'push' })] })).toMatch(
      /dataPlanes\[0\]\.ports\.push: required for a push plane/,
    );
    expect(
      errorOf({ ...base, dataPlanes: [{ ...plane('a', 'a', 1), ports: { api: 1, push: 4319 } }] }),
    ).toMatch(/only push planes have one/);
  });

  it('keys that changed meaning say what replaced them', () => {
    expect(
      errorOf({
        ...base,
        dataPlanes: [{ ...plane('a', 'a', 1), ports: { api: 1, apiMetrics: 2 } }],
      }),
    ).toMatch(/apiMetrics is no longer used: every plane sends OTLP to its own collector/);
    expect(errorOf({ ...base, controlPlane: { alerting: { webhooks: [] } } })).toMatch(
      /alerting\.webhooks became alerting\.receivers/,
    );
  });

  it('Thanos settings that cannot work', () => {
    expect(
      errorOf({ ...base, platform: 'kubernetes', controlPlane: { thanos: { enabled: true } } }),
    ).toMatch(
      /thanos\.objstore: filesystem needs every Thanos part on one host; on Kubernetes use s3/,
    );
    expect(errorOf({ ...base, controlPlane: { prometheusReplicas: 2 } })).toMatch(
      /prometheusReplicas: 2 replicas need thanos\.enabled: true/,
    );
  });

  it('a missing or foreign-keyed stack file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stack-'));
    expect(() => readStackConfigFile('nope', dir)).toThrow(/no such stack file/);
    writeFileSync(join(dir, 'Pulumi.x.yaml'), 'config:\n  other:platform: docker\n');
    expect(() => readStackConfigFile('x', dir)).toThrow(/not under outpost:/);
    writeFileSync(join(dir, 'Pulumi.y.yaml'), 'config: [unclosed\n');
    expect(() => readStackConfigFile('y', dir)).toThrow(/not valid YAML/);
  });
});

describe('toSeconds', () => {
  it('converts Prometheus durations', () => {
    expect(toSeconds('90s')).toBe(90);
    expect(toSeconds('5m')).toBe(300);
    expect(toSeconds('28d')).toBe(28 * 86400);
  });
});
