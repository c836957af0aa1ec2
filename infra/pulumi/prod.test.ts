import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validateK8s } from './k8s-schema.ts';
import { isSecretValue, named, ofType, resolve, setStrictMocks, settle } from './mocks.ts';

// Stack `prod` on Kubernetes: control plane (2 Prometheus replicas, Thanos, login) and the prod
// data plane; it reads the `dev` stack's outputs through a StackReference and scrapes them too.
const devPlanes = [
  {
    name: 'acme-dev',
    id: 'acme-dev-01',
    customer: 'acme',
    environment: 'dev',
    apiUrl: 'http://acme-dev-api.acme-dev.svc.cluster.local:8080',
    metricsUrl: 'http://acme-dev-collector.acme-dev.svc.cluster.local:8889/metrics',
    adminToken: null,
  },
  {
    name: 'acme-qa',
    id: 'acme-qa-01',
    customer: 'acme',
    environment: 'qa',
    apiUrl: 'http://acme-qa-api.acme-qa.svc.cluster.local:8081',
    metricsUrl: null,
    adminToken: null,
  },
];
const recorded = setStrictMocks('prod', { 'organization/outpost/dev': { dataPlanes: devPlanes } });
const program = await import('../index.ts');
await settle();
const k8s = recorded.filter((r) => r.type.startsWith('kubernetes:'));

describe('stack prod (kubernetes)', () => {
  it('every Kubernetes object validates against the OpenAPI schema', async () => {
    for (const resource of k8s) await validateK8s(resource);
    expect(k8s.length).toBeGreaterThan(25);
  });

  it('runs two Prometheus replicas with a PVC and the Thanos sidecar, told apart by the replica label', async () => {
    const sts = named(recorded, 'kubernetes:apps/v1:StatefulSet', 'prod-control-prometheus');
    const spec = sts.inputs.spec as {
      replicas: number;
      volumeClaimTemplates: unknown[];
      template: { spec: { containers: Array<{ name: string; args: string[] }> } };
    };
    expect(spec.replicas).toBe(2);
    expect(spec.volumeClaimTemplates).toHaveLength(1);
    expect(spec.template.spec.containers.map((c) => c.name)).toEqual([
      'prometheus',
      'thanos-sidecar',
    ]);
    expect(spec.template.spec.containers[0]!.args).toContain(
      '--enable-feature=expand-external-labels',
    );
    const config = named(
      recorded,
      'kubernetes:core/v1:ConfigMap',
      'prod-control-prometheus-config',
    );
    const prom = parse((config.inputs.data as Record<string, string>)['prometheus.yml']!);
    expect(prom.global.external_labels.replica).toBe('${POD_NAME}');
  });

  it('wires Thanos Query (dedup on replica), Store Gateway and Compactor to the object store secret', () => {
    const query = named(recorded, 'kubernetes:apps/v1:Deployment', 'prod-control-thanos-query');
    expect(JSON.stringify(query.inputs)).toMatch(/--query\.replica-label=replica/);
    for (const app of ['thanos-store', 'thanos-compactor']) {
      expect(
        JSON.stringify(
          named(recorded, 'kubernetes:apps/v1:Deployment', `prod-control-${app}`).inputs,
        ),
      ).toMatch(/objstore\.config-file/);
    }
    const secret = named(recorded, 'kubernetes:core/v1:Secret', 'prod-control-objstore');
    expect(
      isSecretValue(secret.raw.stringData) ||
        isSecretValue((secret.raw.stringData as Record<string, unknown>)['objstore.yml']),
    ).toBe(true);
    expect((secret.inputs.stringData as Record<string, string>)['objstore.yml']).toMatch(
      /access_key: TESTACCESSKEY/,
    );
  });

  it('scrapes the dev stack`s pulled planes read through the StackReference', () => {
    expect(ofType(recorded, 'pulumi:pulumi:StackReference').map((r) => r.inputs.name)).toEqual([
      'organization/outpost/dev',
    ]);
    const config = named(
      recorded,
      'kubernetes:core/v1:ConfigMap',
      'prod-control-prometheus-config',
    );
    const prom = parse((config.inputs.data as Record<string, string>)['prometheus.yml']!);
    const jobs = prom.scrape_configs.map((j: { job_name: string }) => j.job_name);
    expect(jobs).toEqual(
      expect.arrayContaining(['data-plane-acme-prod-01', 'data-plane-acme-dev-01']),
    );
    expect(jobs).not.toContain('data-plane-acme-qa-01'); // qa pushes
  });

  it('protects the dashboard with a login from secret config and probes /healthz', () => {
    const dashboard = named(recorded, 'kubernetes:apps/v1:Deployment', 'prod-control-dashboard');
    const container = (
      dashboard.inputs.spec as {
        template: {
          spec: {
            containers: Array<{
              env: Array<{ name: string }>;
              readinessProbe: { httpGet: { path: string } };
            }>;
          };
        };
      }
    ).template.spec.containers[0]!;
    expect(container.env.map((e) => e.name)).toEqual(
      expect.arrayContaining([
        'DASHBOARD_CONFIG',
        'DASHBOARD_AUTH_USER',
        'DASHBOARD_AUTH_PASSWORD',
        'DASHBOARD_SESSION_SECRET',
      ]),
    );
    expect(container.readinessProbe.httpGet.path).toBe('/healthz');
  });

  it('scrapes over TLS with the planes` CA and a token, both from a secret', () => {
    const secret = named(recorded, 'kubernetes:core/v1:Secret', 'prod-control-scrape');
    expect(isSecretValue(secret.raw.stringData)).toBe(true);
    const sts = JSON.stringify(
      named(recorded, 'kubernetes:apps/v1:StatefulSet', 'prod-control-prometheus').inputs,
    );
    expect(sts).toMatch(/"mountPath":"\/config\/tls"/);
    expect(sts).toMatch(/"mountPath":"\/config\/secrets"/);
  });

  it('grants Prometheus read-only service discovery', () => {
    const role = named(
      recorded,
      'kubernetes:rbac.authorization.k8s.io/v1:ClusterRole',
      'prod-control-prometheus-role',
    );
    const verbs = (role.inputs.rules as Array<{ verbs: string[] }>).flatMap((r) => r.verbs);
    expect([...new Set(verbs)].sort()).toEqual(['get', 'list', 'watch']);
  });

  it('exports every environment with Thanos Query as the query URL', async () => {
    expect((await resolve(program.queryUrl)).value).toBe(
      'http://prod-thanos-query.prod-control.svc.cluster.local:10902',
    );
    const planes = await resolve(program.dataPlanes);
    expect(planes.secret).toBe(true);
    expect(planes.value.map((d) => d.environment)).toEqual(['prod', 'dev']);
  });
});
