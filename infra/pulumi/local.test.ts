import { describe, expect, it } from 'vitest';
import { validateStackOutputs } from '@outpost/outputs';
import { readStackConfigFile } from '../config.ts';
import { renderCollectorConfig, renderControlPlaneFiles } from '../render/index.ts';
import { buildTopology } from '../topology.ts';
import { isSecretValue, named, ofType, resolve, setStrictMocks, settle } from './mocks.ts';

// Stack `local` on Docker, through the real program (infra/index.ts) with strict mocks.
const recorded = setStrictMocks('local');
const program = await import('../index.ts');
await settle();
const topology = buildTopology(readStackConfigFile('local', `${import.meta.dirname}/../..`), {
  stack: 'local',
  platform: 'docker',
});

describe('stack local (docker)', () => {
  it('creates a network per data plane and one for the control plane', () => {
    expect(
      ofType(recorded, 'docker:index/network:Network')
        .map((n) => n.inputs.name)
        .sort(),
    ).toEqual(['acme-dev-net', 'acme-prod-net', 'acme-qa-net', 'local-control-net'].sort());
  });

  it('runs pinned images only (never latest) and builds the API and dashboard images', () => {
    const remote = ofType(recorded, 'docker:index/remoteImage:RemoteImage').map((i) =>
      String(i.inputs.name),
    );
    expect(remote.length).toBeGreaterThanOrEqual(3);
    for (const image of remote) expect(image).toMatch(/:v?\d+\.\d+\.\d+$/);
    const built = ofType(recorded, 'docker:index/image:Image').map((i) =>
      String(i.inputs.imageName),
    );
    expect(built.sort()).toEqual(['outpost-api:0.1.0', 'outpost-dashboard:0.1.0']);
  });

  it('gives every container a health check, limits and a restart policy, and no bind mounts', () => {
    const containers = ofType(recorded, 'docker:index/container:Container');
    expect(containers).toHaveLength(3 * 2 + 3);
    for (const c of containers) {
      expect(c.inputs.healthcheck, String(c.name)).toBeDefined();
      expect(c.inputs.memory, String(c.name)).toBeGreaterThan(0);
      expect(c.inputs.restart).toBe('unless-stopped');
      for (const v of (c.inputs.volumes as Array<{ hostPath?: string }> | undefined) ?? [])
        expect(v.hostPath).toBeUndefined();
    }
  });

  it('uploads exactly the rendered configs into the containers', () => {
    const files = renderControlPlaneFiles(topology);
    const prometheus = named(
      recorded,
      'docker:index/container:Container',
      'local-control-prometheus',
    );
    const uploads = prometheus.inputs.uploads as Array<{ file: string; content: string }>;
    expect(uploads.find((u) => u.file === '/etc/prometheus/prometheus.yml')?.content).toBe(
      files['prometheus/prometheus.yml'],
    );
    expect(uploads.find((u) => u.file === '/etc/prometheus/rules/slo.yml')?.content).toBe(
      files['prometheus/rules/slo.yml'],
    );
    const collector = named(recorded, 'docker:index/container:Container', 'acme-prod-collector');
    expect((collector.inputs.uploads as Array<{ content: string }>)[0]?.content).toBe(
      renderCollectorConfig(topology, topology.dataPlanes[0]!),
    );
  });

  it('configures each API from its plane: env, published port, collector endpoint, admin token', () => {
    const api = named(recorded, 'docker:index/container:Container', 'acme-qa-api');
    expect(api.inputs.envs).toEqual(
      expect.arrayContaining([
        'ENVIRONMENT=qa',
        'DATA_PLANE_ID=acme-qa-01',
        'OTEL_EXPORTER_OTLP_ENDPOINT=http://acme-qa-collector:4318',
        'API_ADMIN_TOKEN=test-admin-token-0123456789',
      ]),
    );
    expect(api.inputs.ports).toEqual([{ internal: 8080, external: 8083, ip: '127.0.0.1' }]);
    expect(
      named(recorded, 'docker:index/volume:Volume', 'local-control-prometheus-data'),
    ).toBeDefined();
    // The token stays a secret on its way into the container.
    expect(isSecretValue(api.raw.envs)).toBe(true);
  });

  it('exports the stack outputs in the shared schema, data planes secret', async () => {
    const planes = await resolve(program.dataPlanes);
    expect(planes.secret).toBe(true);
    const outputs = validateStackOutputs(
      {
        stack: 'local',
        platform: program.platform,
        dashboardUrl: (await resolve(program.dashboardUrl)).value,
        queryUrl: (await resolve(program.queryUrl)).value,
        prometheusUrl: (await resolve(program.prometheusUrl)).value,
        alertmanagerUrl: (await resolve(program.alertmanagerUrl)).value,
        dataPlanes: planes.value,
        scrapeInterval: (await resolve(program.scrapeInterval)).value,
        slos: (await resolve(program.slos)).value,
      },
      'mock outputs',
    );
    expect(outputs.dashboardUrl).toBe('http://127.0.0.1:3000');
    expect(outputs.dataPlanes.map((d) => d.apiUrl)).toEqual([
      'http://127.0.0.1:8081',
      'http://127.0.0.1:8082',
      'http://127.0.0.1:8083',
    ]);
  });
});
