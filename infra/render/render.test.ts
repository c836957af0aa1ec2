import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { testStackConfig } from '../fixtures.ts';
import { buildPlan } from '../plan/index.ts';
import { CONFIG_DIR } from '../plan/paths.ts';
import { layOut, stackPlans } from '../plan/testing.ts';
import type { Plan } from '../plan/types.ts';
import { goBinary } from '../process/binaries.ts';
import { DEFAULT_RUNBOOK_BASE } from './index.ts';
import { loadTemplate, toYaml, CONFIG_DIR as TEMPLATES } from './template.ts';

// What the plans render, checked by the binaries that run it (the versions the images ship:
// config/versions.env) and pinned by golden files.

const ROOT = join(import.meta.dirname, '..', '..');
const GOLDEN = join(import.meta.dirname, '__golden__');
const plans = stackPlans();

/** Every rendered config file of a plan, by `<workload>/<path under /outpost/config>`. */
function renderedFiles(plan: Plan): Record<string, string> {
  const files: Record<string, string> = {};
  for (const w of plan.workloads)
    for (const c of w.containers)
      for (const f of c.files)
        if ('content' in f && c.program !== 'alert-receiver')
          files[`${w.name}/${f.path.slice(CONFIG_DIR.length + 1)}`] = f.content;
  return files;
}

const run = (
  binary: Parameters<typeof goBinary>[0],
  args: string[],
  env: Record<string, string> = {},
) =>
  execFileSync(goBinary(binary), args, {
    encoding: 'utf8',
    stdio: 'pipe',
    env: { ...process.env, ...env },
  });

describe('golden files', () => {
  // The receiver's script is a repository file mounted as is, not rendered: checked against it.
  it('the alert receiver mounts infra/process/alert-receiver.mjs unchanged', () => {
    const source = readFileSync(join(import.meta.dirname, '../process/alert-receiver.mjs'), 'utf8');
    const mounted = Object.values(plans)
      .flatMap((p) => p.workloads.flatMap((w) => w.containers))
      .filter((c) => c.program === 'alert-receiver')
      .flatMap((c) => c.files);
    expect(mounted.length).toBeGreaterThan(0);
    for (const f of mounted) expect('content' in f && f.content).toBe(source);
  });

  it.each(Object.entries(plans))('%s renders what __golden__ holds', (name, plan) => {
    const dir = join(GOLDEN, name);
    for (const [path, text] of Object.entries(renderedFiles(plan))) {
      const file = join(dir, path);
      if (process.env.UPDATE_GOLDEN === '1') {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, text);
      }
      expect(
        existsSync(file),
        `${file} missing: run UPDATE_GOLDEN=1 npx vitest run infra/render`,
      ).toBe(true);
      expect(text, `${file} differs: review, then UPDATE_GOLDEN=1`).toBe(
        readFileSync(file, 'utf8'),
      );
    }
  });
});

const checked = {
  ...plans,
  // Replicas: each its own workload and ports in process mode, one scrape job for both.
  pairs: buildPlan(
    testStackConfig({
      controlPlane: { thanos: { enabled: true }, prometheusReplicas: 2, alertmanagerReplicas: 2 },
    }),
    { stack: 'pair', platform: 'process' },
  ),
};

describe('the binaries accept what is rendered', () => {
  it.each(Object.entries(checked))(
    '%s: promtool, amtool and the collector check every config',
    (_, plan) => {
      const dirs = layOut(plan, mkdtempSync(join(tmpdir(), 'outpost-check-')));
      let checked = 0;
      for (const w of plan.workloads) {
        const config = join(dirs[w.name]!, 'config');
        const has = (file: string) => existsSync(join(config, file));
        if (has('prometheus.yml')) {
          expect(run('promtool', ['check', 'config', join(config, 'prometheus.yml')])).toMatch(
            /SUCCESS/,
          );
          checked += 1;
        }
        if (has('alertmanager.yml')) {
          expect(run('amtool', ['check-config', join(config, 'alertmanager.yml')])).toMatch(
            /SUCCESS/,
          );
          checked += 1;
        }
        for (const file of ['collector.yaml', 'gateway.yaml'].filter(has)) {
          // The variables the plan sets on the container (secrets as placeholders).
          const env = Object.fromEntries(Object.keys(w.containers[0]!.env).map((k) => [k, 'set']));
          run('otelcol', ['validate', `--config=${join(config, file)}`], env);
          checked += 1;
        }
      }
      expect(checked).toBeGreaterThan(0);
    },
  );

  it.each([
    // The burn-rate tests assert the default windows; local's demo windows are exercised by
    // the demo test (docs/demo-script.md) against the running platform.
    ['the test stack', buildPlan(testStackConfig(), { stack: 'test', platform: 'process' })],
    ['prod', plans.prod],
  ])('promtool test rules on %s: recording values, symptom and burn-rate alerts', (_, plan) => {
    const dirs = layOut(plan, mkdtempSync(join(tmpdir(), 'outpost-rules-')));
    const config = join(dirs[plan.workloads.find((w) => w.app === 'prometheus')!.name]!, 'config');
    const cp = plan.topology.config.controlPlane!;
    const tests = readdirSync(join(TEMPLATES, 'rules/tests')).filter((f) =>
      f.endsWith('.test.yml'),
    );
    // The symptom tests assert the test stack's thresholds; the burn-rate tests any stack's.
    const runnable = plan.stack === 'test' ? tests : tests.filter((t) => t.startsWith('burn-rate'));
    for (const test of runnable) {
      const doc = loadTemplate(`rules/tests/${test}`, {
        latencyThreshold: cp.slos.latency.thresholdSeconds,
      });
      writeFileSync(join(config, test), toYaml(doc, `rule tests for stack ${plan.stack}`));
    }
    const out = execFileSync(goBinary('promtool'), ['test', 'rules', ...runnable], {
      cwd: config,
      encoding: 'utf8',
      stdio: 'pipe',
    });
    expect(out).not.toMatch(/FAILED/);
  });
});

describe('rules', () => {
  const files = renderedFiles(buildPlan(testStackConfig(), { stack: 'test', platform: 'process' }));
  const rules = ['recording', 'alerting', 'slo'].flatMap((name) =>
    (
      parse(files[`test-prometheus/rules/${name}.yml`]!) as {
        groups: Array<{ rules: Array<Record<string, unknown>> }>;
      }
    ).groups.flatMap((g) => g.rules),
  );

  it('records every series docs/metrics.md promises the dashboard', () => {
    const doc = readFileSync(join(ROOT, 'docs/metrics.md'), 'utf8').split('## Recording rules')[1]!;
    const promised = [...doc.matchAll(/^\| `([a-z_:0-9]+)`/gm)].map((m) => m[1]!);
    const recorded = new Set(rules.map((r) => r.record));
    expect(promised.length).toBeGreaterThan(15);
    for (const name of promised) expect(recorded, name).toContain(name);
  });

  it('every alert has a summary, a description and a runbook page that exists', () => {
    const all = Object.values(plans).flatMap((plan) =>
      Object.entries(renderedFiles(plan))
        .filter(([path]) => /rules\/(alerting|slo)\.yml$/.test(path))
        .flatMap(([, text]) =>
          (
            parse(text) as { groups: Array<{ rules: Array<Record<string, unknown>> }> }
          ).groups.flatMap((g) => g.rules),
        ),
    );
    const alerts = [...rules, ...all].filter((r) => r.alert);
    expect(new Set(alerts.map((a) => a.alert)).size).toBeGreaterThanOrEqual(12);
    for (const alert of alerts) {
      const annotations = alert.annotations as Record<string, string> & { runbook_url: string };
      expect(annotations.summary, String(alert.alert)).toBeTruthy();
      expect(annotations.description, String(alert.alert)).toBeTruthy();
      expect(annotations.runbook_url.startsWith(`${DEFAULT_RUNBOOK_BASE}/`)).toBe(true);
      const page = annotations.runbook_url.slice(DEFAULT_RUNBOOK_BASE.length + 1);
      expect(existsSync(join(ROOT, 'docs/runbooks', page)), `docs/runbooks/${page}`).toBe(true);
    }
  });

  it('push planes are watched for silence, pulled planes on Kubernetes for their absence', () => {
    const alerting = parse(renderedFiles(plans.prod)['prod-prometheus/rules/alerting.yml']!) as {
      groups: Array<{
        name: string;
        rules: Array<{ alert: string; expr: string; labels: Record<string, string> }>;
      }>;
    };
    const planes = alerting.groups.find((g) => g.name === 'outpost-planes')!.rules;
    expect(planes.map((r) => `${r.alert} ${r.labels.data_plane}`)).toEqual([
      'DataPlaneDown acme-prod-01',
      'CollectorDown acme-prod-01',
      'DataPlaneDown acme-dev-01',
      'CollectorDown acme-dev-01',
      'DataPlaneSilent acme-qa-01',
    ]);
    expect(planes.at(-1)!.expr).toBe(
      'absent_over_time(process_memory_usage_bytes{job="push-acme-qa-01"}[2m])',
    );
  });
});
