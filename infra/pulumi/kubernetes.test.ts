import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { federatedPlanes, type Federation } from '../federation.ts';
import { buildPlan } from '../plan/index.ts';
import { stackConfig } from '../plan/testing.ts';
import type { ForeignPlane } from '../plan/types.ts';
import { checkWiring } from '../plan/wiring.ts';
import { validateK8s } from './k8s-schema.ts';
import { firstSetup, type MockRun } from './mock-run.ts';
import type { Recorded } from './mocks.ts';

// Stacks `dev` and `prod` on Kubernetes under strict mocks, deployed as a first setup does:
// prod alone, dev pushing to prod's gateway, prod watching dev through dev's real outputs.

let runs: Awaited<ReturnType<typeof firstSetup>>;
beforeAll(async () => {
  runs = await firstSetup();
}, 120_000);

const of = (run: MockRun, type: string) => run.resources.filter((r) => r.type === type);
const named = (run: MockRun, type: string, name: string): Recorded => {
  const found = run.resources.find((r) => r.type === type && r.name === name);
  if (!found)
    throw new Error(
      `no ${type} ${name}: have ${of(run, type)
        .map((r) => r.name)
        .join(', ')}`,
    );
  return found;
};
type PodSpec = {
  containers: Array<
    Record<string, unknown> & {
      name: string;
      args?: string[];
      env?: Array<{ name: string; value?: string }>;
    }
  >;
  initContainers?: unknown[];
  volumes?: Array<Record<string, unknown>>;
};
const podSpec = (r: Recorded) => (r.inputs.spec as { template: { spec: PodSpec } }).template.spec;

describe('dev and prod on Kubernetes', () => {
  it('every Kubernetes object validates against the OpenAPI schema, and a broken one does not', async () => {
    for (const run of [runs.dev, runs.prod]) {
      const k8s = run.resources.filter((r) => r.type.startsWith('kubernetes:'));
      expect(k8s.length).toBeGreaterThan(15);
      for (const resource of k8s) await validateK8s(resource);
    }
    const deployment = named(runs.dev, 'kubernetes:apps/v1:Deployment', 'acme-dev-api');
    await expect(
      validateK8s({ ...deployment, inputs: { ...deployment.inputs, spec: { replicas: 'two' } } }),
    ).rejects.toThrow();
  });

  it('the plans behind the mock runs are wired right together (prod fed dev’s real outputs)', () => {
    const gateway = runs.prodAlone.outputs.pushGateway as { url: string; caCert: string };
    const dev = buildPlan(
      { ...stackConfig('dev'), pushGateway: gateway },
      { stack: 'dev', platform: 'kubernetes' },
    );
    const federation = runs.dev.outputs.federation as Federation;
    expect(federation.planes).toEqual(federatedPlanes(dev));
    const prod = buildPlan(stackConfig('prod'), {
      stack: 'prod',
      platform: 'kubernetes',
      foreign: federation.planes as ForeignPlane[],
    });
    expect(checkWiring([dev, prod])).toEqual([]);
  });

  it("prod's outputs list dev's planes (the push plane too) by their API, as a secret", () => {
    const planes = runs.prod.outputs.dataPlanes as Array<{
      id: string;
      apiUrl: string;
      metricsUrl: string | null;
      mode: string;
    }>;
    expect(planes.map((p) => [p.id, p.apiUrl, p.mode])).toEqual([
      ['acme-prod-01', 'http://acme-prod-api.acme-prod.svc.cluster.local:8080', 'pull'],
      ['acme-dev-01', 'http://acme-dev-api.acme-dev.svc.cluster.local:8080', 'pull'],
      ['acme-qa-01', 'http://acme-qa-api.acme-qa.svc.cluster.local:8080', 'push'],
    ]);
    expect(runs.prod.secret.dataPlanes).toBe(true);
    expect(runs.dev.secret.federation).toBe(true);
    expect(runs.dev.outputs.queryUrl).toBeNull();
  });

  it("prod scrapes each of dev's collector pods by DNS, over TLS, with dev's CA and the plane's token", () => {
    const config = named(runs.prod, 'kubernetes:core/v1:ConfigMap', 'prod-prometheus-config');
    const prom = parse((config.inputs.data as Record<string, string>)['prometheus.yml']!);
    const job = prom.scrape_configs.find(
      (j: { job_name: string }) => j.job_name === 'data-plane-acme-dev-01',
    );
    expect(job).toMatchObject({
      scheme: 'https',
      tls_config: {
        ca_file: '/outpost/secrets/dev-ca.crt',
        server_name: 'acme-dev-collector.acme-dev.svc.cluster.local',
      },
      dns_sd_configs: [
        { names: ['acme-dev-collector.acme-dev.svc.cluster.local'], type: 'A', port: 8889 },
      ],
    });
    const secret = named(runs.prod, 'kubernetes:core/v1:Secret', 'prod-prometheus-secrets');
    expect((secret.inputs.stringData as Record<string, string>)['dev-ca.crt']).toMatch(
      /mock dev-credentials-dev-ca/,
    );
  });

  it("dev's planes admit the scrape of any control plane's Prometheus (prod-control carries the label)", () => {
    const policy = named(
      runs.dev,
      'kubernetes:networking.k8s.io/v1:NetworkPolicy',
      'acme-dev-collector-ingress',
    );
    const ingress = (
      policy.inputs.spec as {
        ingress: Array<{
          from?: Array<{ namespaceSelector: { matchLabels: Record<string, string> } }>;
        }>;
      }
    ).ingress;
    expect(ingress.map((i) => i.from?.[0]?.namespaceSelector.matchLabels)).toContainEqual({
      'outpost.dev/control-plane': 'true',
    });
    const ns = named(runs.prod, 'kubernetes:core/v1:Namespace', 'prod-control-ns');
    expect(
      (ns.inputs.metadata as { labels: Record<string, string> }).labels[
        'outpost.dev/control-plane'
      ],
    ).toBe('true');
  });

  it("dev's push plane sends to prod's gateway with its token and prod's CA, and the gateway knows it", () => {
    const collector = named(runs.dev, 'kubernetes:core/v1:ConfigMap', 'acme-qa-collector-config');
    const config = parse((collector.inputs.data as Record<string, string>)['collector.yaml']!);
    expect(config.exporters['otlp_http/gateway']).toMatchObject({
      endpoint: 'https://prod-gateway.prod-control.svc.cluster.local:4319',
      tls: { ca_file: '/outpost/config/gateway-ca.crt' },
    });
    const env = podSpec(named(runs.dev, 'kubernetes:apps/v1:Deployment', 'acme-qa-collector'))
      .containers[0]!.env!;
    expect(env.map((e) => e.name)).toEqual(['OUTPOST_PUSH_TOKEN']);
    const gateway = named(runs.prod, 'kubernetes:core/v1:ConfigMap', 'prod-gateway-config');
    const gw = parse((gateway.inputs.data as Record<string, string>)['gateway.yaml']!);
    expect(Object.keys(gw.receivers)).toEqual(['otlp/acme-qa-01']);
    expect(Object.keys(gw.exporters)).toHaveLength(2); // one remote write per Prometheus replica
    const tokens = named(runs.prod, 'kubernetes:core/v1:Secret', 'prod-gateway-secrets').inputs
      .stringData as Record<string, string>;
    expect(tokens['acme-qa-push-token.value']).toBe(
      (runs.dev.outputs.federation as Federation).credentials['acme-qa-push-token'],
    );
  });

  it('Prometheus: two replicas behind a headless Service (Thanos Query finds both), no init container', () => {
    const sts = named(runs.prod, 'kubernetes:apps/v1:StatefulSet', 'prod-prometheus');
    const spec = sts.inputs.spec as {
      replicas: number;
      serviceName: string;
      volumeClaimTemplates: unknown[];
    };
    expect(spec.replicas).toBe(2);
    expect(spec.volumeClaimTemplates).toHaveLength(1);
    expect(podSpec(sts).containers.map((c) => c.name)).toEqual(['prometheus', 'thanos-sidecar']);
    expect(podSpec(sts).initContainers).toBeUndefined();
    const svc = named(runs.prod, 'kubernetes:core/v1:Service', 'prod-prometheus');
    expect((svc.inputs.spec as { clusterIP: string }).clusterIP).toBe('None');
    expect(spec.serviceName).toBe('prod-prometheus');
  });

  it('the compactor never overlaps itself and its scratch space is bounded', () => {
    const compactor = named(runs.prod, 'kubernetes:apps/v1:Deployment', 'prod-thanos-compact');
    expect((compactor.inputs.spec as { strategy: { type: string } }).strategy.type).toBe(
      'Recreate',
    );
    expect(podSpec(compactor).volumes).toContainEqual({
      name: 'cache',
      emptyDir: { sizeLimit: '10Gi' },
    });
  });

  it('disruption budgets only where there are replicas to keep; every container has requests and limits', () => {
    for (const run of [runs.dev, runs.prod]) {
      const budgets = of(run, 'kubernetes:policy/v1:PodDisruptionBudget').map((p) => p.name);
      const workloads = [
        ...of(run, 'kubernetes:apps/v1:Deployment'),
        ...of(run, 'kubernetes:apps/v1:StatefulSet'),
      ];
      for (const w of workloads) {
        const replicas = (w.inputs.spec as { replicas: number }).replicas;
        expect(budgets.includes(`${w.name}-pdb`), w.name).toBe(
          replicas > 1 && w.name !== 'prod-thanos-compact',
        );
        for (const c of podSpec(w).containers)
          expect(c.resources, `${w.name}/${c.name}`).toMatchObject({ requests: {}, limits: {} });
      }
    }
  });

  it('every namespace enforces the restricted Pod Security Standard', () => {
    for (const run of [runs.dev, runs.prod])
      for (const ns of of(run, 'kubernetes:core/v1:Namespace'))
        expect(
          (ns.inputs.metadata as { labels: Record<string, string> }).labels[
            'pod-security.kubernetes.io/enforce'
          ],
        ).toBe('restricted');
  });

  it('Alertmanager runs as a gossiping pair and notifies Slack, its URL read from a Secret file', () => {
    const am = named(runs.prod, 'kubernetes:apps/v1:StatefulSet', 'prod-alertmanager');
    expect((am.inputs.spec as { replicas: number }).replicas).toBe(2);
    const args = podSpec(am).containers[0]!.args!;
    expect(args).toContain('--data.maintenance-interval=1m');
    expect(args.filter((a) => a.startsWith('--cluster.peer='))).toHaveLength(2);
    const config = named(runs.prod, 'kubernetes:core/v1:ConfigMap', 'prod-alertmanager-config');
    const am2 = parse((config.inputs.data as Record<string, string>)['alertmanager.yml']!);
    expect(am2.route.group_by).toEqual(['alertname', 'customer', 'environment']);
    expect(am2.receivers[0].slack_configs[0]).toMatchObject({
      api_url_file: '/outpost/secrets/slackWebhookUrl',
    });
  });

  it('the dashboard gets the stack outputs without any admin token, and its login from secrets', () => {
    const env = podSpec(named(runs.prod, 'kubernetes:apps/v1:Deployment', 'prod-dashboard'))
      .containers[0]!.env!;
    const config = JSON.parse(env.find((e) => e.name === 'DASHBOARD_CONFIG')!.value!);
    expect(config.dataPlanes.map((d: { adminToken: unknown }) => d.adminToken)).toEqual([
      null,
      null,
      null,
    ]);
    expect(env.map((e) => e.name)).toEqual(
      expect.arrayContaining(['DASHBOARD_AUTH_PASSWORD', 'DASHBOARD_SESSION_SECRET']),
    );
  });

  it('each plane has its own admin token', () => {
    const tokens = ['acme-prod-api', 'acme-dev-api', 'acme-qa-api'].map((name) => {
      const run = name === 'acme-prod-api' ? runs.prod : runs.dev;
      const secret = named(run, 'kubernetes:core/v1:Secret', `${name}-secrets`).inputs
        .stringData as Record<string, string>;
      return Object.values(secret)[0];
    });
    expect(new Set(tokens).size).toBe(3);
  });
});
