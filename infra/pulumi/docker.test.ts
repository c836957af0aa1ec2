import { beforeAll, describe, expect, it } from 'vitest';
import { alertReceiverScript, imageOf } from '../images.ts';
import { buildPlan } from '../plan/index.ts';
import { stackConfig } from '../plan/testing.ts';
import { mockRun, type MockRun } from './mock-run.ts';
import type { Recorded } from './mocks.ts';

// Stack `local` on Docker under strict mocks: the same plan process mode runs, as containers.

let run: MockRun;
beforeAll(async () => {
  run = await mockRun('local');
}, 60_000);

const plan = buildPlan(stackConfig('local'), { stack: 'local', platform: 'docker' });
const containers = () => run.resources.filter((r) => r.type === 'docker:index/container:Container');
const container = (name: string): Recorded & { inputs: Record<string, unknown> } => {
  const found = containers().find((c) => c.inputs.name === name);
  if (!found)
    throw new Error(
      `no container ${name}: have ${containers()
        .map((c) => c.inputs.name)
        .join(', ')}`,
    );
  return found;
};

describe('stack local on Docker', () => {
  it('a container per container of the plan, named after its workload', () => {
    const expected = plan.workloads.flatMap((w) =>
      w.containers.map((c, i) => (i === 0 ? w.name : `${w.name}-${c.name}`)),
    );
    expect(
      containers()
        .map((c) => c.inputs.name)
        .sort(),
    ).toEqual(expected.sort());
  });

  it('runs the args, env and files of the plan', () => {
    const w = plan.workloads.find((x) => x.name === 'acme-prod-collector')!;
    const c = container('acme-prod-collector').inputs as {
      command: string[];
      envs: string[];
      uploads: Array<{ file: string }>;
    };
    expect(c.command).toEqual(w.containers[0]!.args);
    expect(c.uploads.map((u) => u.file)).toEqual(w.containers[0]!.files.map((f) => f.path));
    expect(c.envs.map((e) => e.split('=')[0])).toEqual(Object.keys(w.containers[0]!.env));
  });

  it('the Thanos sidecar shares the Prometheus container’s network and data volume', () => {
    const sidecar = container('local-prometheus-thanos-sidecar').inputs as {
      networkMode: string;
      volumes: Array<{ volumeName: string }>;
    };
    expect(sidecar.networkMode).toBe('container:local-prometheus');
    const prom = container('local-prometheus').inputs as { volumes: Array<{ volumeName: string }> };
    expect(sidecar.volumes[0]!.volumeName).toBe(prom.volumes[0]!.volumeName);
  });

  it('publishes only on 127.0.0.1; collectors join the control network to be scraped or to push', () => {
    for (const c of containers())
      for (const p of (c.inputs.ports as Array<{ ip: string }> | undefined) ?? [])
        expect(p.ip).toBe('127.0.0.1');
    const networks = (name: string) =>
      ((container(name).inputs.networksAdvanced as Array<{ name: string }>) ?? []).map(
        (n) => n.name,
      );
    expect(networks('acme-qa-collector')).toEqual(['acme-qa-net', 'local-control-net']);
    expect(networks('acme-qa-api')).toEqual(['acme-qa-net']);
  });

  it('builds the API, dashboard and collector images from this repository; upstream ones at the pinned versions', () => {
    const built = run.resources
      .filter((r) => r.type === 'docker:index/image:Image')
      .map((r) => (r.inputs.build as { dockerfile: string }).dockerfile);
    expect(built.map((f) => f.split('/').slice(-2).join('/')).sort()).toEqual([
      'api/Dockerfile',
      'collector/Dockerfile',
      'dashboard/Dockerfile',
    ]);
    const pulled = run.resources
      .filter((r) => r.type === 'docker:index/remoteImage:RemoteImage')
      .map((r) => r.inputs.name);
    expect(pulled.sort()).toEqual(
      [
        imageOf('alert-receiver'),
        imageOf('alertmanager'),
        imageOf('prometheus'),
        imageOf('thanos'),
      ].sort(),
    );
  });

  it('the alert receiver runs its uploaded script, and Alertmanager notifies it', () => {
    const receiver = container('local-alert-receiver').inputs as {
      command: string[];
      uploads: Array<{ file: string; content: string }>;
    };
    expect(receiver.command).toEqual(['node', '/outpost/config/alert-receiver.mjs']);
    const script = receiver.uploads.find((u) => u.file === '/outpost/config/alert-receiver.mjs');
    expect(script?.content).toBe(alertReceiverScript());
    const am = container('local-alertmanager').inputs as {
      uploads: Array<{ file: string; content: string }>;
    };
    expect(am.uploads.find((u) => u.file.endsWith('alertmanager.yml'))!.content).toMatch(
      /url: http:\/\/local-alert-receiver:9095\/alerts/,
    );
  });
});
