import { describe, expect, it } from 'vitest';
import { testStackConfig } from './fixtures.ts';
import { buildTopology } from './topology.ts';

describe('buildTopology', () => {
  it('process mode without a collector: everything on 127.0.0.1, Prometheus scrapes the APIs', () => {
    const t = buildTopology(testStackConfig(), {
      stack: 'test',
      platform: 'process',
      portOffset: 100,
    });
    const prod = t.dataPlanes[0]!;
    expect(prod.labels).toEqual({
      customer: 'acme',
      environment: 'prod',
      data_plane: 'acme-prod-01',
    });
    expect(prod.api.url).toBe('http://127.0.0.1:8181');
    expect(prod.scrapeTarget).toBe('127.0.0.1:9564');
    expect(prod.metricsUrl).toBe('http://127.0.0.1:9564/metrics');
    expect(t.controlPlane?.prometheus.url).toBe('http://127.0.0.1:9190');
    expect(t.controlPlane?.queryUrl).toBe(t.controlPlane?.prometheus.url);
  });

  it('process mode with a collector scrapes each plane`s collector on its own port block', () => {
    const t = buildTopology(testStackConfig(), {
      stack: 'test',
      platform: 'process',
      collector: true,
    });
    expect(t.dataPlanes.map((d) => d.scrapeTarget)).toEqual([
      '127.0.0.1:18889',
      '127.0.0.1:18899',
      '127.0.0.1:18909',
    ]);
  });

  it('docker: containers reach each other by name, people use published ports', () => {
    const t = buildTopology(testStackConfig(), { stack: 'local', platform: 'docker' });
    const dev = t.dataPlanes[1]!;
    expect(dev.scrapeTarget).toBe('acme-dev-collector:8889');
    expect(dev.collector.otlp.internal).toBe('acme-dev-collector:4318');
    expect(dev.api.url).toBe('http://127.0.0.1:8082');
  });

  it('kubernetes: Service DNS names in each plane`s namespace; Thanos Query is the query URL', () => {
    const config = testStackConfig({
      platform: 'kubernetes',
      controlPlane: { thanos: { enabled: true } },
    });
    const t = buildTopology(config, { stack: 'prod', platform: 'kubernetes' });
    expect(t.dataPlanes[0]!.scrapeTarget).toBe(
      'acme-prod-collector.acme-prod.svc.cluster.local:8889',
    );
    expect(t.controlPlane?.queryUrl).toBe(
      'http://prod-thanos-query.prod-control.svc.cluster.local:10902',
    );
  });

  it('push planes are not scraped', () => {
    const config = testStackConfig({
      dataPlanes: [
        {
          name: 'edge',
          id: 'edge-01',
          environment: 'prod',
          mode: 'push',
          ports: { api: 1, apiMetrics: 2 },
        },
      ],
    });
    expect(
      buildTopology(config, { stack: 's', platform: 'docker' }).dataPlanes[0]!.scrapeTarget,
    ).toBeNull();
  });
});
