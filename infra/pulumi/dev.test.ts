import { describe, expect, it } from 'vitest';
import { readStackConfigFile } from '../config.ts';
import { renderCollectorConfig } from '../render/index.ts';
import { buildTopology } from '../topology.ts';
import { validateK8s } from './k8s-schema.ts';
import { isSecretValue, named, ofType, resolve, setStrictMocks, settle } from './mocks.ts';

// Stack `dev` on Kubernetes: data planes dev and qa only, exported for prod's control plane.
const recorded = setStrictMocks('dev');
const program = await import('../index.ts');
await settle();
const topology = buildTopology(readStackConfigFile('dev', `${import.meta.dirname}/../..`), {
  stack: 'dev',
  platform: 'kubernetes',
});
const k8s = recorded.filter((r) => r.type.startsWith('kubernetes:'));

describe('stack dev (kubernetes)', () => {
  it('creates a namespace per data plane and no control plane', () => {
    expect(
      ofType(recorded, 'kubernetes:core/v1:Namespace')
        .map((n) => (n.inputs.metadata as { name: string }).name)
        .sort(),
    ).toEqual(['acme-dev', 'acme-qa']);
    expect(ofType(recorded, 'kubernetes:apps/v1:StatefulSet')).toHaveLength(0);
    expect(ofType(recorded, 'kubernetes:apps/v1:Deployment')).toHaveLength(4);
  });

  it('every Kubernetes object validates against the OpenAPI schema', async () => {
    expect(k8s.length).toBeGreaterThan(15);
    for (const resource of k8s) await validateK8s(resource);
    // And the check can fail: a broken copy is rejected.
    const deployment = named(recorded, 'kubernetes:apps/v1:Deployment', 'acme-dev-api');
    await expect(
      validateK8s({ ...deployment, inputs: { ...deployment.inputs, spec: { replicas: 'two' } } }),
    ).rejects.toThrow();
  });

  it('runs restricted pods with probes and limits', () => {
    for (const d of ofType(recorded, 'kubernetes:apps/v1:Deployment')) {
      const spec = (
        d.inputs.spec as {
          template: {
            spec: {
              securityContext: Record<string, unknown>;
              containers: Array<Record<string, unknown>>;
            };
          };
        }
      ).template.spec;
      expect(spec.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      for (const c of spec.containers) {
        expect(c.securityContext).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(c.readinessProbe).toBeDefined();
        expect(c.livenessProbe).toBeDefined();
        expect(c.resources).toMatchObject({
          limits: { memory: expect.any(String) },
          requests: { cpu: expect.any(String) },
        });
        expect(String(c.image)).not.toMatch(/:latest$/);
      }
    }
  });

  it('carries the rendered collector config and rolls pods when it changes', () => {
    const cm = named(recorded, 'kubernetes:core/v1:ConfigMap', 'acme-qa-collector-config');
    expect((cm.inputs.data as Record<string, string>)['config.yaml']).toBe(
      renderCollectorConfig(topology, topology.dataPlanes[1]!),
    );
    const deployment = named(recorded, 'kubernetes:apps/v1:Deployment', 'acme-qa-collector');
    const annotations = (
      deployment.inputs.spec as { template: { metadata: { annotations: Record<string, string> } } }
    ).template.metadata.annotations;
    expect(annotations['outpost.dev/config-checksum']).toMatch(/^[0-9a-f]{16}$/);
  });

  it('qa pushes: remote-write with TLS and a token from a secret', () => {
    const collector = renderCollectorConfig(topology, topology.dataPlanes[1]!);
    expect(collector).toMatch(/prometheusremotewrite/);
    const deployment = named(recorded, 'kubernetes:apps/v1:Deployment', 'acme-qa-collector');
    expect(JSON.stringify(deployment.inputs)).toMatch(/OUTPOST_REMOTE_WRITE_TOKEN/);
  });

  it('serves pulled metrics over TLS with a scrape token; the push plane has neither', () => {
    const tls = named(recorded, 'kubernetes:core/v1:Secret', 'acme-dev-collector-tls');
    expect(tls.inputs.type).toBe('kubernetes.io/tls');
    expect(isSecretValue(tls.raw.stringData)).toBe(true);
    const dev = JSON.stringify(
      named(recorded, 'kubernetes:apps/v1:Deployment', 'acme-dev-collector').inputs,
    );
    expect(dev).toMatch(/OUTPOST_SCRAPE_TOKEN/);
    expect(dev).toMatch(/"mountPath":"\/etc\/outpost\/tls"/);
    expect(
      JSON.stringify(named(recorded, 'kubernetes:apps/v1:Deployment', 'acme-qa-collector').inputs),
    ).not.toMatch(/OUTPOST_SCRAPE_TOKEN/);
    expect(recorded.some((r) => r.name === 'acme-qa-collector-tls')).toBe(false);
  });

  it('isolates the collector: OTLP only from its API, metrics only from Prometheus; PDBs for both', () => {
    const policy = named(
      recorded,
      'kubernetes:networking.k8s.io/v1:NetworkPolicy',
      'acme-dev-collector-netpol',
    );
    const ingress = (
      policy.inputs.spec as {
        ingress: Array<{ from: Array<Record<string, unknown>>; ports: Array<{ port: number }> }>;
      }
    ).ingress;
    expect(ingress[0]?.ports).toEqual([{ port: 4318 }]);
    expect(ingress[1]?.from[0]).toMatchObject({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dev-control' } },
    });
    expect(ofType(recorded, 'kubernetes:policy/v1:PodDisruptionBudget')).toHaveLength(4);
  });

  it('exports its planes for the stack that scrapes them; no control-plane URLs', async () => {
    expect((await resolve(program.queryUrl)).value).toBeNull();
    const planes = await resolve(program.dataPlanes);
    expect(planes.secret).toBe(true);
    expect(planes.value.map((d) => d.metricsUrl)).toEqual([
      'http://acme-dev-collector.acme-dev.svc.cluster.local:8889/metrics',
      null,
    ]);
  });
});
