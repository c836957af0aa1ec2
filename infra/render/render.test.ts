import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { readStackConfigFile } from '../config.ts';
import { testStackConfig } from '../fixtures.ts';
import { buildTopology, type Platform, type Topology } from '../topology.ts';
import {
  DEFAULT_RUNBOOK_BASE,
  renderCollectorConfig,
  renderControlPlaneFiles,
  renderThanosObjstore,
  stackOutputs,
} from './index.ts';
import { CONFIG_DIR } from './template.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const GOLDEN = join(import.meta.dirname, '__golden__');

/** Writes a rendered file set under a fresh temp dir and returns the dir. */
function writeFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'outpost-render-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const stacks: Array<[string, Platform]> = [
  ['local', 'process'],
  ['local', 'docker'],
  ['prod', 'kubernetes'],
];

function topologyOf(stack: string, platform: Platform): Topology {
  return buildTopology(readStackConfigFile(stack, ROOT), { stack, platform });
}

describe('golden files', () => {
  for (const [stack, platform] of stacks) {
    it(`${stack} on ${platform} renders what __golden__ holds`, () => {
      const t = topologyOf(stack, platform);
      const files = {
        ...renderControlPlaneFiles(t),
        ...Object.fromEntries(
          t.dataPlanes.map((dp) => [`collector/${dp.name}.yaml`, renderCollectorConfig(t, dp)]),
        ),
      };
      const dir = join(GOLDEN, `${stack}-${platform}`);
      for (const [path, text] of Object.entries(files)) {
        const file = join(dir, path);
        if (process.env.UPDATE_GOLDEN === '1') {
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, text);
        }
        expect(existsSync(file), `${file} missing: run UPDATE_GOLDEN=1 npx vitest run infra`).toBe(
          true,
        );
        expect(text, `${file} differs: review, then UPDATE_GOLDEN=1`).toBe(
          readFileSync(file, 'utf8'),
        );
      }
    });
  }
});

describe('promtool and amtool accept what is rendered', () => {
  for (const [stack, platform] of stacks) {
    it(`${stack} on ${platform}: promtool check config (rule files included) and amtool check-config`, () => {
      const files = renderControlPlaneFiles(topologyOf(stack, platform));
      // On Kubernetes the scrape CA and token are mounted from a Secret next to prometheus.yml;
      // promtool insists the files exist.
      const mounted: Record<string, string> =
        platform === 'kubernetes'
          ? { 'prometheus/tls/ca.crt': 'test CA', 'prometheus/secrets/scrape-token': 'token' }
          : {};
      const dir = writeFiles({ ...files, ...mounted });
      execFileSync('promtool', ['check', 'config', join(dir, 'prometheus/prometheus.yml')], {
        stdio: 'pipe',
      });
      execFileSync('amtool', ['check-config', join(dir, 'alertmanager/alertmanager.yml')], {
        stdio: 'pipe',
      });
    });
  }

  it('promtool test rules: recording values, symptom alerts and burn-rate alerts firing and not firing', () => {
    const dir = writeFiles(
      renderControlPlaneFiles(
        buildTopology(testStackConfig(), { stack: 'test', platform: 'process' }),
      ),
    );
    const tests = readdirSync(join(CONFIG_DIR, 'rules/tests')).filter((f) =>
      f.endsWith('.test.yml'),
    );
    expect(tests.length).toBeGreaterThanOrEqual(2);
    for (const test of tests) cpSync(join(CONFIG_DIR, 'rules/tests', test), join(dir, test));
    const out = execFileSync('promtool', ['test', 'rules', ...tests], {
      cwd: dir,
      encoding: 'utf8',
      stdio: 'pipe',
    });
    expect(out).not.toMatch(/FAILED/);
  });
});

describe('rules', () => {
  const files = renderControlPlaneFiles(
    buildTopology(testStackConfig(), { stack: 'test', platform: 'process' }),
  );
  const rules = ['recording', 'alerting', 'slo'].flatMap((name) =>
    (
      parse(files[`prometheus/rules/${name}.yml`]!) as {
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
    const alerts = rules.filter((r) => r.alert);
    expect(new Set(alerts.map((a) => a.alert)).size).toBeGreaterThanOrEqual(9);
    for (const alert of alerts) {
      const annotations = alert.annotations as Record<string, string> & { runbook_url: string };
      expect(annotations.summary, String(alert.alert)).toBeTruthy();
      expect(annotations.description, String(alert.alert)).toBeTruthy();
      expect(annotations.runbook_url.startsWith(`${DEFAULT_RUNBOOK_BASE}/`)).toBe(true);
      const page = annotations.runbook_url.slice(DEFAULT_RUNBOOK_BASE.length + 1);
      expect(existsSync(join(ROOT, 'docs/runbooks', page)), `docs/runbooks/${page}`).toBe(true);
    }
  });
});

describe('collector, thanos and outputs', () => {
  it('pull planes expose a Prometheus endpoint; push planes remote-write with the labels, TLS and a token from env', () => {
    const config = testStackConfig({
      platform: 'docker',
      dataPlanes: [
        { name: 'a', id: 'a-01', environment: 'prod', ports: { api: 8081, apiMetrics: 9464 } },
        {
          name: 'b',
          id: 'b-01',
          environment: 'qa',
          mode: 'push',
          ports: { api: 8082, apiMetrics: 9465 },
        },
      ],
    });
    const t = buildTopology(config, { stack: 's', platform: 'docker' });
    const pull = parse(renderCollectorConfig(t, t.dataPlanes[0]!));
    expect(pull.exporters.prometheus.endpoint).toBe('0.0.0.0:8889');
    expect(pull.service.pipelines.metrics.processors).toEqual([
      'memory_limiter',
      'resource',
      'batch',
    ]);
    const push = parse(renderCollectorConfig(t, t.dataPlanes[1]!));
    expect(push.exporters.prometheusremotewrite).toMatchObject({
      endpoint: 'http://s-prometheus:9090/api/v1/write',
      headers: { Authorization: 'Bearer ${env:OUTPOST_REMOTE_WRITE_TOKEN}' },
      tls: { insecure: false },
      external_labels: { customer: 'acme', environment: 'qa', data_plane: 'b-01' },
    });
    expect(
      parse(renderControlPlaneFiles(t)['prometheus/prometheus.yml']!).scrape_configs.map(
        (j: { job_name: string }) => j.job_name,
      ),
    ).not.toContain('data-plane-b-01');
  });

  it('kubernetes: each collector pod is discovered through DNS, and a plane with none alerts', () => {
    const files = renderControlPlaneFiles(topologyOf('prod', 'kubernetes'));
    const job = parse(files['prometheus/prometheus.yml']!).scrape_configs.find(
      (j: { job_name: string }) => j.job_name === 'data-plane-acme-prod-01',
    );
    expect(job.dns_sd_configs).toEqual([
      {
        names: ['acme-prod-collector.acme-prod.svc.cluster.local'],
        type: 'A',
        port: 8889,
        refresh_interval: '30s',
      },
    ]);
    expect(job.relabel_configs).toContainEqual({
      target_label: 'data_plane',
      replacement: 'acme-prod-01',
    });
    const rules = parse(files['prometheus/rules/alerting.yml']!).groups.find(
      (g: { name: string }) => g.name === 'outpost-discovery',
    );
    expect(rules.rules[0]).toMatchObject({
      alert: 'DataPlaneDown',
      expr: 'absent(up{job="data-plane-acme-prod-01"})',
    });
  });

  it('thanos: filesystem on docker, s3 with secrets on kubernetes', () => {
    const docker = buildTopology(testStackConfig({ controlPlane: { thanos: { enabled: true } } }), {
      stack: 's',
      platform: 'docker',
    });
    expect(parse(renderThanosObjstore(docker)).type).toBe('FILESYSTEM');
    const k8s = topologyOf('prod', 'kubernetes');
    expect(
      parse(renderThanosObjstore(k8s, { accessKey: 'AK', secretKey: 'SK' })).config,
    ).toMatchObject({ access_key: 'AK', secret_key: 'SK' });
  });

  it('stack outputs follow the shared schema, with null control-plane URLs for dev', () => {
    const out = stackOutputs(topologyOf('local', 'process'), { 'acme-prod-01': 'token' });
    expect(out.dataPlanes[0]).toMatchObject({
      id: 'acme-prod-01',
      apiUrl: 'http://127.0.0.1:8081',
      adminToken: 'token',
    });
    expect(out.slos.map((s) => s.name)).toEqual(['availability', 'latency']);
    const dev = stackOutputs(topologyOf('dev', 'kubernetes'));
    expect(dev.queryUrl).toBeNull();
    expect(dev.slos).toEqual([]);
  });
});
