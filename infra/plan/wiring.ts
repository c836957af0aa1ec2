import { parse } from 'yaml';
import { ROOT_PATTERN } from './paths.ts';
import type { Container, Plan, Workload } from './types.ts';

// Wiring checks: what mocks cannot catch, checked over the plans of every stack together (a
// NetworkPolicy in `dev` names the control plane of `prod`). Each returns one line per problem,
// naming the stack, the workload and what is wrong.

export type WiringCheck = (plans: Plan[]) => string[];

/** Every `${env:VAR}` a config file reads is set on the container that mounts the file. */
export const envReferencesSet: WiringCheck = (plans) =>
  eachContainer(plans, (plan, w, c) =>
    c.files.flatMap((f) =>
      'content' in f
        ? [...f.content.matchAll(/\$\{env:([A-Z0-9_]+)\}/g)]
            .map((m) => m[1]!)
            .filter((name) => !(name in c.env))
            .map(
              (name) =>
                `${plan.stack}: ${w.name}/${c.name}: ${f.path} reads \${env:${name}}, which is not set`,
            )
        : [],
    ),
  );

/** Every path under /outpost an arg, an env value or a config file names is mounted. */
export const filesMounted: WiringCheck = (plans) =>
  eachContainer(plans, (plan, w, c) => {
    const mounted = (path: string) =>
      c.files.some((f) => f.path === path) ||
      c.mounts.some((m) => path === m.path || path.startsWith(`${m.path}/`));
    const texts = [
      ...c.args,
      ...Object.values(c.env).filter((v): v is string => typeof v === 'string'),
      ...c.files.flatMap((f) => ('content' in f ? [f.content] : [])),
    ];
    const paths = new Set(
      texts.flatMap((t) =>
        [...t.matchAll(new RegExp(`${ROOT_PATTERN.source}[A-Za-z0-9._/-]*`, 'g'))].map((m) => m[0]),
      ),
    );
    // Relative paths in prometheus.yml (rule files) resolve next to it.
    for (const f of c.files)
      if ('content' in f && f.path.endsWith('prometheus.yml'))
        for (const rule of (parse(f.content) as { rule_files?: string[] }).rule_files ?? [])
          paths.add(`${f.path.slice(0, f.path.lastIndexOf('/'))}/${rule}`);
    return [...paths]
      .filter((p) => !mounted(p))
      .map(
        (p) =>
          `${plan.stack}: ${w.name}/${c.name}: ${p} is referenced but neither a file nor under a mounted volume`,
      );
  });

/** Every secret a container reads is a credential its plan declares. */
export const credentialsDeclared: WiringCheck = (plans) =>
  eachContainer(plans, (plan, w, c) => {
    const declared = new Set(plan.credentials.map((x) => x.id));
    const refs = [
      ...c.files.flatMap((f) => ('secret' in f ? [f.secret.credential] : [])),
      ...Object.values(c.env).flatMap((v) =>
        typeof v === 'object' && 'secret' in v ? [v.secret.credential] : [],
      ),
    ];
    return refs
      .filter((r) => !declared.has(r))
      .map(
        (r) =>
          `${plan.stack}: ${w.name}/${c.name}: reads credential ${r}, which the plan does not declare`,
      );
  });

/** Every NetworkPolicy peer exists: its namespace in some stack, a workload of its app there. */
export const networkPeersExist: WiringCheck = (plans) => {
  const namespaces = new Set(plans.flatMap((p) => p.namespaces.map((n) => n.name)));
  const controlPlanes = plans.filter((p) => p.topology.controlPlane);
  const apps = (ns: string) =>
    new Set(plans.flatMap((p) => p.workloads.filter((w) => w.namespace === ns).map((w) => w.app)));
  return plans.flatMap((plan) =>
    plan.networkRules.flatMap((r) => {
      const where = `${plan.stack}: network rule to ${r.to.app} in ${r.namespace}`;
      const problems: string[] = [];
      if (!namespaces.has(r.namespace))
        problems.push(`${where}: namespace ${r.namespace} is in no stack`);
      if (!apps(r.namespace).has(r.to.app))
        problems.push(`${where}: no ${r.to.app} workload there`);
      if (r.from === 'anywhere') return problems;
      if ('controlPlanes' in r.from) {
        // A stack of planes alone cannot know its watchers: checked over all stacks together.
        if (plans.length > 1 || plan.topology.controlPlane)
          if (
            !controlPlanes.some((p) =>
              p.workloads.some((w) => w.app === (r.from as { app: string }).app),
            )
          )
            problems.push(
              `${where}: admits ${r.from.app} of a control plane, and no stack runs one`,
            );
      } else {
        if (!namespaces.has(r.from.namespace))
          problems.push(`${where}: admits namespace ${r.from.namespace}, which no stack creates`);
        else if (!apps(r.from.namespace).has(r.from.app))
          problems.push(`${where}: admits ${r.from.app} of ${r.from.namespace}, which runs none`);
      }
      if (r.ports.length === 0) problems.push(`${where}: opens no port`);
      return problems;
    }),
  );
};

/** Every StatefulSet's serviceName is a headless Service of the plan (stable pod DNS, SRV). */
export const statefulSetsHeadless: WiringCheck = (plans) =>
  plans.flatMap((plan) =>
    plan.workloads
      .filter((w) => w.kind === 'statefulset')
      .flatMap((w) => {
        const svc = plan.services.find(
          (s) => s.name === w.serviceName && s.namespace === w.namespace,
        );
        if (!svc)
          return [
            `${plan.stack}: StatefulSet ${w.name}: serviceName ${w.serviceName} is no Service`,
          ];
        return svc.headless
          ? []
          : [`${plan.stack}: StatefulSet ${w.name}: Service ${svc.name} is not headless`];
      }),
  );

/** Every scrape target is a workload's port that serves metrics, at the address scraped. */
export const scrapeTargetsServe: WiringCheck = (plans) =>
  plans.flatMap((plan) =>
    plan.scrapeTargets.flatMap((t) => {
      if (!t.serves) return []; // another stack's plane: checked in that stack's plan
      const w = plan.workloads.find((x) => x.name === t.serves!.workload);
      const port = w?.containers.flatMap((c) => c.ports).find((p) => p.name === t.serves!.port);
      const where = `${plan.stack}: scrape job ${t.job}`;
      if (!w || !port) return [`${where}: ${t.serves.workload} has no port ${t.serves.port}`];
      if (port.serves !== 'metrics')
        return [`${where}: port ${port.name} of ${w.name} serves ${port.serves}, not metrics`];
      const scraped = Number(t.address.slice(t.address.lastIndexOf(':') + 1));
      if (scraped !== port.port)
        return [`${where}: scrapes port ${scraped}, ${w.name} serves metrics on ${port.port}`];
      if (t.discovery === 'dns') {
        const svc = plan.services.find((s) => t.address.startsWith(`${s.name}.${s.namespace}.`));
        if (!svc?.headless)
          return [`${where}: DNS discovery of ${t.address} needs a headless Service`];
      }
      return [];
    }),
  );

/** Every URL of the stack outputs points at the workload it names. */
export const outputsPointAtWorkloads: WiringCheck = (plans) =>
  plans.flatMap((plan) => {
    const outputs = plan.outputs({});
    const problems: string[] = [];
    const expect = (
      what: string,
      url: string | null,
      app: string,
      portName: string,
      planeId?: string,
      owner: Plan = plan,
    ) => {
      if (!url) return;
      const candidates = owner.workloads.filter(
        (w) => w.app === app && (!planeId || w.plane?.data_plane === planeId),
      );
      if (candidates.length === 0) {
        problems.push(`${plan.stack}: output ${what} (${url}) names no ${app} workload`);
        return;
      }
      const u = new URL(url);
      const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
      const served = candidates.flatMap((w) =>
        w.containers.flatMap((c) =>
          c.ports.filter((p) => p.name === portName).map((p) => p.publish ?? p.port),
        ),
      );
      if (!served.includes(port))
        problems.push(
          `${plan.stack}: output ${what} is ${url}, but ${app} serves ${portName} on ${served.join(', ') || 'no port'}`,
        );
      // In a cluster the name must be the workload's Service (or one of its pods).
      const labels = u.hostname.split('.');
      if (owner.platform === 'kubernetes' && !candidates.some((w) => labels.includes(w.name)))
        problems.push(
          `${plan.stack}: output ${what} is ${url}, which is not the Service of ${candidates.map((w) => w.name).join(', ')}`,
        );
    };
    expect('dashboardUrl', outputs.dashboardUrl, 'dashboard', 'http');
    expect('prometheusUrl', outputs.prometheusUrl, 'prometheus', 'http');
    expect('alertmanagerUrl', outputs.alertmanagerUrl, 'alertmanager', 'http');
    expect(
      'queryUrl',
      outputs.queryUrl,
      plan.topology.controlPlane?.thanos ? 'thanos-query' : 'prometheus',
      'http',
    );
    for (const dp of outputs.dataPlanes) {
      if (dp.simulated) {
        // A test double: every simulated plane is a path of the one simulator.
        expect(`${dp.name} apiUrl`, dp.apiUrl, 'fleet-simulator', 'http');
        continue;
      }
      const foreign = plan.foreignPlanes.find((f) => f.id === dp.id);
      // Another stack's plane: checked against that stack's plan when it is among `plans`.
      const owner = foreign ? plans.find((p) => p.stack === foreign.stack) : plan;
      if (!owner) continue;
      expect(`${dp.name} apiUrl`, dp.apiUrl, 'api', 'http', dp.id, owner);
      expect(`${dp.name} metricsUrl`, dp.metricsUrl, 'collector', 'metrics', dp.id, owner);
    }
    return problems;
  });

/** Every Alertmanager route ends at a receiver with at least one integration. */
export const alertsDelivered: WiringCheck = (plans) =>
  eachContainer(plans, (plan, w, c) => {
    const file = c.files.find((f) => f.path.endsWith('alertmanager.yml'));
    if (!file || !('content' in file)) return [];
    type Route = { receiver?: string; routes?: Route[] };
    const doc = parse(file.content) as {
      route: Route;
      receivers: Array<Record<string, unknown> & { name: string }>;
    };
    const routed = new Set<string>();
    const walk = (r: Route) => {
      if (r.receiver) routed.add(r.receiver);
      (r.routes ?? []).forEach(walk);
    };
    walk(doc.route);
    return [...routed].flatMap((name) => {
      const receiver = doc.receivers.find((r) => r.name === name);
      if (!receiver)
        return [`${plan.stack}: ${w.name}: a route names receiver ${name}, which is not defined`];
      const integrations = Object.keys(receiver).filter((k) => k.endsWith('_configs'));
      return integrations.length > 0
        ? []
        : [
            `${plan.stack}: ${w.name}: receiver ${name} has no integration, so alerts go nowhere: add one to controlPlane.alerting.receivers`,
          ];
    });
  });

/** Probes hit a port the container serves; in process mode no two programs share a port. */
export const portsConsistent: WiringCheck = (plans) =>
  plans.flatMap((plan) => {
    const problems = eachContainer([plan], (_, w, c) =>
      [c.readiness, c.liveness]
        .filter((p) => p && !c.ports.some((x) => x.port === p.port))
        .map(
          (p) =>
            `${plan.stack}: ${w.name}/${c.name}: probe on port ${p!.port}, which it does not serve`,
        ),
    );
    if (plan.platform === 'process') {
      const owners = new Map<number, string>();
      for (const w of plan.workloads)
        for (const c of w.containers)
          for (const p of c.ports) {
            const other = owners.get(p.port);
            if (other)
              problems.push(`${plan.stack}: port ${p.port} of ${w.name} is also ${other}'s`);
            owners.set(p.port, w.name);
          }
    }
    return problems;
  });

export const WIRING_CHECKS = {
  envReferencesSet,
  filesMounted,
  credentialsDeclared,
  networkPeersExist,
  statefulSetsHeadless,
  scrapeTargetsServe,
  outputsPointAtWorkloads,
  alertsDelivered,
  portsConsistent,
} satisfies Record<string, WiringCheck>;

/** Every wiring problem of these plans (empty when they are wired right). */
export function checkWiring(plans: Plan[]): string[] {
  return Object.values(WIRING_CHECKS).flatMap((check) => check(plans));
}

function eachContainer(
  plans: Plan[],
  fn: (plan: Plan, w: Workload, c: Container) => string[],
): string[] {
  return plans.flatMap((plan) =>
    plan.workloads.flatMap((w) => w.containers.flatMap((c) => fn(plan, w, c))),
  );
}
