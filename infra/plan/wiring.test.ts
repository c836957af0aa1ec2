import { describe, expect, it } from 'vitest';
import { buildPlan } from './index.ts';
import { stackConfig, stackPlans } from './testing.ts';
import type { Container, Plan, Workload } from './types.ts';
import { checkWiring, WIRING_CHECKS } from './wiring.ts';

// Every stack's plan is wired right, and every check catches the bug it exists for, shown on a
// broken copy (most of them bugs the stacks had before the plan: docs/architecture.md).

const plans = stackPlans();

/** A deep copy of a plan whose outputs() keeps working. */
function copy(plan: Plan): Plan {
  const clone = structuredClone({ ...plan, outputs: undefined }) as unknown as Plan;
  return { ...clone, outputs: plan.outputs };
}
function workload(plan: Plan, name: string): Workload {
  const w = plan.workloads.find((x) => x.name === name);
  if (!w) throw new Error(`no workload ${name} in ${plan.stack}`);
  return w;
}
const first = (w: Workload): Container => w.containers[0]!;

describe('the stacks are wired right', () => {
  it.each(Object.entries(plans))('%s passes every check alone', (_, plan) => {
    expect(checkWiring([plan])).toEqual([]);
  });

  it('a simulated fleet: one simulator, a scrape job and a metrics path per plane, outputs marked simulated', () => {
    const plan = buildPlan(stackConfig('local'), { stack: 'local', platform: 'process', fleet: 6 });
    expect(checkWiring([plan])).toEqual([]);
    expect(plan.workloads.filter((w) => w.app === 'fleet-simulator')).toHaveLength(1);
    const jobs = plan.scrapeTargets.filter((t) => t.path?.startsWith('/planes/'));
    expect(jobs.map((t) => t.job)).toContain('data-plane-cust-002-qa-01');
    const outputs = plan.outputs({}).dataPlanes;
    expect(outputs.filter((d) => d.simulated).map((d) => d.id)).toHaveLength(6);
    expect(outputs.find((d) => d.id === 'cust-001-dev-01')!.apiUrl).toBe(
      'http://127.0.0.1:9096/planes/cust-001-dev-01',
    );
  });

  it('dev and prod together: what prod scrapes and admits, and what dev exports, meet', () => {
    expect(checkWiring([plans.dev, plans.prod])).toEqual([]);
    expect(plans.prod.outputs({}).dataPlanes.map((d) => [d.id, d.apiUrl])).toEqual([
      ['acme-prod-01', 'http://acme-prod-api.acme-prod.svc.cluster.local:8080'],
      ['acme-dev-01', 'http://acme-dev-api.acme-dev.svc.cluster.local:8080'],
      ['acme-qa-01', 'http://acme-qa-api.acme-qa.svc.cluster.local:8080'],
    ]);
  });
});

describe('each check fails on a broken copy', () => {
  it('envReferencesSet: a push collector whose token variable is not set', () => {
    const broken = copy(plans.localProcess);
    delete first(workload(broken, 'acme-qa-collector')).env.OUTPOST_PUSH_TOKEN;
    expect(WIRING_CHECKS.envReferencesSet([broken]).join()).toMatch(
      /acme-qa-collector.*OUTPOST_PUSH_TOKEN/,
    );
  });

  it('filesMounted: a push collector without the gateway CA it reads', () => {
    const broken = copy(plans.dev);
    const c = first(workload(broken, 'acme-qa-collector'));
    c.files = c.files.filter((f) => !f.path.endsWith('gateway-ca.crt'));
    expect(WIRING_CHECKS.filesMounted([broken]).join()).toMatch(/gateway-ca\.crt is referenced/);
  });

  it('credentialsDeclared: a secret nobody makes', () => {
    const broken = copy(plans.localDocker);
    broken.credentials = broken.credentials.filter((c) => c.id !== 'acme-prod-admin-token');
    expect(WIRING_CHECKS.credentialsDeclared([broken]).join()).toMatch(/acme-prod-admin-token/);
  });

  it('networkPeersExist: a policy admitting a namespace no stack creates (dev-control)', () => {
    const broken = copy(plans.prod);
    broken.networkRules.push({
      namespace: 'acme-prod',
      to: { app: 'collector' },
      from: { namespace: 'dev-control', app: 'prometheus' },
      ports: [8889],
      why: 'the old bug',
    });
    expect(WIRING_CHECKS.networkPeersExist([plans.dev, broken]).join()).toMatch(
      /dev-control, which no stack creates/,
    );
    // dev's planes admit "a control plane's Prometheus": fine with prod, not without one.
    expect(WIRING_CHECKS.networkPeersExist([plans.dev, plans.localDocker].map(copy)).join()).toBe(
      '',
    );
    expect(WIRING_CHECKS.networkPeersExist([plans.dev, copy(plans.dev)]).join()).toMatch(
      /no stack runs one/,
    );
  });

  it('statefulSetsHeadless: a Prometheus Service that is not headless', () => {
    const broken = copy(plans.prod);
    broken.services.find((s) => s.name === 'prod-prometheus')!.headless = false;
    expect(WIRING_CHECKS.statefulSetsHeadless([broken]).join()).toMatch(
      /prod-prometheus is not headless/,
    );
  });

  it('scrapeTargetsServe: a job on the wrong port, on a non-metrics port, or DNS without a headless Service', () => {
    const wrongPort = copy(plans.localProcess);
    wrongPort.scrapeTargets[0]!.address = '127.0.0.1:18890';
    expect(WIRING_CHECKS.scrapeTargetsServe([wrongPort]).join()).toMatch(/scrapes port 18890/);
    const notMetrics = copy(plans.localProcess);
    notMetrics.scrapeTargets[0]!.serves = { workload: 'acme-prod-collector', port: 'otlp-http' };
    expect(WIRING_CHECKS.scrapeTargetsServe([notMetrics]).join()).toMatch(
      /serves otlp, not metrics/,
    );
    const notHeadless = copy(plans.prod);
    notHeadless.services.find((s) => s.name === 'acme-prod-collector')!.headless = false;
    expect(WIRING_CHECKS.scrapeTargetsServe([notHeadless]).join()).toMatch(
      /needs a headless Service/,
    );
  });

  it("outputsPointAtWorkloads: a watched plane's apiUrl at its collector", () => {
    const broken = copy(plans.prod);
    broken.foreignPlanes = broken.foreignPlanes.map((p) => ({
      ...p,
      apiUrl: `http://${p.scrape?.host ?? 'x'}:8889`,
    }));
    broken.outputs = (tokens) => {
      const o = plans.prod.outputs(tokens);
      return {
        ...o,
        dataPlanes: o.dataPlanes.map((d) =>
          d.id === 'acme-dev-01'
            ? { ...d, apiUrl: 'http://acme-dev-collector.acme-dev.svc.cluster.local:8889' }
            : d,
        ),
      };
    };
    expect(WIRING_CHECKS.outputsPointAtWorkloads([plans.dev, broken]).join()).toMatch(
      /acme-dev apiUrl .* api serves http on 8080/,
    );
  });

  it('alertsDelivered: a stack whose Alertmanager has no receiver', () => {
    const broken = copy(plans.prod);
    const am = first(workload(broken, 'prod-alertmanager'));
    for (const f of am.files)
      if ('content' in f && f.path.endsWith('alertmanager.yml'))
        f.content = f.content.replace(/slack_configs:[\s\S]*?(?=\n {2}- name|\ninhibit_rules)/, '');
    expect(WIRING_CHECKS.alertsDelivered([broken]).join()).toMatch(
      /receiver outpost has no integration/,
    );
  });

  it('portsConsistent: a probe on a port nothing serves, and two processes on one port', () => {
    const broken = copy(plans.localProcess);
    first(workload(broken, 'acme-dev-api')).readiness!.port = 1;
    first(workload(broken, 'acme-qa-api')).ports[0]!.port = 8081;
    const problems = WIRING_CHECKS.portsConsistent([broken]).join('\n');
    expect(problems).toMatch(/acme-dev-api\/api: probe on port 1/);
    expect(problems).toMatch(/port 8081 of acme-qa-api is also acme-prod-api's/);
  });
});
