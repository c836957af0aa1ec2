import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStackOutputs, readStackOutputs, StackOutputsError } from './index.ts';

const valid = {
  stack: 'local',
  platform: 'process',
  dashboardUrl: 'http://127.0.0.1:3000',
  queryUrl: 'http://127.0.0.1:9090',
  prometheusUrl: 'http://127.0.0.1:9090',
  alertmanagerUrl: 'http://127.0.0.1:9093',
  dataPlanes: [
    {
      name: 'acme-prod',
      id: 'acme-prod-01',
      customer: 'acme',
      environment: 'prod',
      apiUrl: 'http://127.0.0.1:8081',
      metricsUrl: 'http://127.0.0.1:9464/metrics',
      adminToken: 'secret',
    },
  ],
  scrapeInterval: '10s',
  slos: [{ name: 'availability', objective: 0.995, window: '28d' }],
};

describe('parseStackOutputs', () => {
  it('accepts the documented shape and keeps unknown future fields out of the way', () => {
    const parsed = parseStackOutputs(JSON.stringify({ ...valid, extra: 1 }), 'test');
    expect(parsed.dataPlanes[0]?.id).toBe('acme-prod-01');
    expect(parsed.platform).toBe('process');
  });

  it('accepts a stack without a control plane (null URLs)', () => {
    const dev = {
      ...valid,
      dashboardUrl: null,
      queryUrl: null,
      prometheusUrl: null,
      alertmanagerUrl: null,
    };
    expect(parseStackOutputs(JSON.stringify(dev), 'dev').queryUrl).toBeNull();
  });

  it('names the source and says it is not JSON', () => {
    expect(() => parseStackOutputs('{nope', 'outputs.json')).toThrow(
      /outputs\.json: not valid JSON/,
    );
  });

  it('names every bad field with its path', () => {
    const bad = {
      ...valid,
      platform: 'vm',
      dataPlanes: [{ ...valid.dataPlanes[0], apiUrl: 'ftp://x' }],
    };
    let error: unknown;
    try {
      parseStackOutputs(JSON.stringify(bad), 'f.json');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StackOutputsError);
    const message = (error as Error).message;
    expect(message).toMatch(/platform:/);
    expect(message).toMatch(/dataPlanes\[0\]\.apiUrl: must be an http\(s\) URL/);
  });

  it('rejects a bad duration with the accepted form', () => {
    expect(() =>
      parseStackOutputs(JSON.stringify({ ...valid, scrapeInterval: '10 seconds' }), 'x'),
    ).toThrow(/scrapeInterval: must be a duration such as 10s/);
  });
});

describe('readStackOutputs', () => {
  it('explains how to create a missing file', async () => {
    await expect(readStackOutputs('/nonexistent/outputs.json')).rejects.toThrow(/npm start/);
  });

  it('reads a file from disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'outputs-'));
    const file = join(dir, 'outputs.json');
    await writeFile(file, JSON.stringify(valid));
    expect((await readStackOutputs(file)).stack).toBe('local');
  });
});
