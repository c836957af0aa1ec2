import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Federation } from '../federation.ts';
import { firstSetup, type MockRun } from '../pulumi/mock-run.ts';
import { engineLayout, manifestsDir, waitForRender } from './layout.ts';
import { objectKey, readManifests, validateManifest } from './manifests.ts';
import type { RenderSummary } from './render.ts';
import { findBinaries } from './tools.ts';

// The Kubernetes stacks in the real Pulumi engine (npm run stacks:render: the Go-built CLI and
// Kubernetes provider, YAML rendered instead of applied), compared with the mock run of the same
// first setup: the same objects, the same wiring. Runs the render unless one finished during
// this test run (then its .run/pulumi state and summary are reused).

const layout = engineLayout();
const run = promisify(execFile);
const gitStatus = () =>
  execFileSync('git', ['status', '--porcelain', '--', 'Pulumi.*.yaml'], {
    cwd: layout.repo,
    encoding: 'utf8',
  });

/** When this test run started: the start of the process that started this worker (vitest). */
function testRunStart(): number {
  const fields = readFileSync(`/proc/${process.ppid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const boot = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))![1]);
  return (boot + Number(fields[19]) / 100) * 1000; // starttime, in clock ticks (100 a second)
}

function finishedSummary(): RenderSummary | null {
  if (!existsSync(layout.summaryFile)) return null;
  const summary = JSON.parse(readFileSync(layout.summaryFile, 'utf8')) as RenderSummary;
  return summary.finishedAt >= testRunStart() ? summary : null;
}

let summary: RenderSummary;
let mock: Awaited<ReturnType<typeof firstSetup>>;
let statusBefore: string;

beforeAll(async () => {
  // Fails the whole file, saying which setup command builds what is missing.
  findBinaries(['pulumi', 'pulumi-resource-kubernetes', 'promtool', 'amtool']);
  statusBefore = gitStatus();
  await waitForRender(layout); // one started meanwhile (another test run, npm run stacks:render)
  const reused = finishedSummary();
  const [rendered, mocked] = await Promise.all([
    reused ??
      run(process.execPath, [join(import.meta.dirname, 'render.ts')], {
        cwd: layout.repo,
        maxBuffer: 64 * 1024 * 1024,
      }).then(
        () => JSON.parse(readFileSync(layout.summaryFile, 'utf8')) as RenderSummary,
        (err: { stderr?: string; message: string }) => {
          throw new Error(`npm run stacks:render failed:\n${err.stderr ?? err.message}`);
        },
      ),
    firstSetup(),
  ]);
  summary = rendered;
  mock = mocked;
}, 900_000);

/** `Kind namespace/name` of every Kubernetes object a mock run made. */
const mockObjects = (run: MockRun) =>
  run.resources
    .filter((r) => r.type.startsWith('kubernetes:'))
    .map((r) => {
      const metadata = r.inputs.metadata as { name: string; namespace?: string };
      return objectKey(r.type.split(':').pop()!, metadata.name, metadata.namespace);
    })
    .sort();

/** The same of the engine's state after its last run of the stack. */
const engineObjects = (stack: 'dev' | 'prod') =>
  summary.stacks[stack].run.resources
    .filter((r) => r.type.startsWith('kubernetes:'))
    .map((r) => objectKey(r.type.split(':').pop()!, r.name!, r.namespace))
    .sort();

describe('dev and prod in the real Pulumi engine (rendered YAML)', () => {
  it.each(['dev', 'prod'] as const)(
    '%s: the engine made the Kubernetes objects the mock run makes (kinds, namespace/name)',
    (stack) => {
      const expected = mockObjects(mock[stack]);
      expect(expected.length).toBeGreaterThan(15);
      expect(engineObjects(stack)).toEqual(expected);
      expect([...summary.stacks[stack].manifests].sort()).toEqual(expected);
    },
  );

  it('every rendered manifest validates against the Kubernetes schema', async () => {
    for (const stack of ['dev', 'prod'] as const) {
      const manifests = readManifests(manifestsDir(layout, stack));
      expect(manifests.length).toBe(summary.stacks[stack].manifests.length);
      for (const m of manifests) await validateManifest(m);
    }
  });

  it('promtool and amtool accepted the configs the manifests carry', () => {
    const checks = summary.stacks.prod.checks;
    expect(checks.map((c) => c.command.split(' ')[0]).sort()).toEqual(
      expect.arrayContaining(['amtool', 'promtool']),
    );
    for (const c of checks) expect(c.output).toMatch(/SUCCESS/);
  });

  it("prod's second run read dev's real state: dev's planes, CA and tokens reached prod's objects", () => {
    const prod = summary.stacks.prod.run;
    expect(prod.resources.map((r) => r.type)).toContain('pulumi:pulumi:StackReference');
    const planes = prod.outputs.dataPlanes as Array<{ id: string }>;
    expect(planes.map((p) => p.id)).toEqual(['acme-prod-01', 'acme-dev-01', 'acme-qa-01']);
    expect(prod.secret.dataPlanes).toBe(true);
    const federation = summary.stacks.dev.run.outputs.federation as Federation;
    expect(summary.stacks.dev.run.secret.federation).toBe(true);
    const secret = readManifests(manifestsDir(layout, 'prod')).find(
      (m) => m.kind === 'Secret' && m.metadata.name === 'prod-gateway-secrets',
    )!;
    const values = {
      ...Object.fromEntries(
        Object.entries((secret.data as Record<string, string> | undefined) ?? {}).map(([k, v]) => [
          k,
          Buffer.from(v, 'base64').toString('utf8'),
        ]),
      ),
      ...((secret.stringData as Record<string, string> | undefined) ?? {}),
    };
    expect(values['acme-qa-push-token.value']).toBe(federation.credentials['acme-qa-push-token']);
    const config = readManifests(manifestsDir(layout, 'prod')).find(
      (m) => m.kind === 'ConfigMap' && m.metadata.name === 'prod-prometheus-config',
    )!;
    const prom = parse((config.data as Record<string, string>)['prometheus.yml']!) as {
      scrape_configs: Array<{ job_name: string }>;
    };
    expect(prom.scrape_configs.map((j) => j.job_name)).toContain('data-plane-acme-dev-01');
  });

  it('no random or tls resource (every credential supplied), no plugin installed, stack files untouched', () => {
    for (const stack of ['dev', 'prod'] as const)
      expect(
        summary.stacks[stack].run.resources.filter((r) => /^(random|tls|docker):/.test(r.type)),
      ).toEqual([]);
    const plugins = join(layout.home, 'plugins');
    expect(existsSync(plugins) ? readdirSync(plugins) : []).toEqual([]);
    expect(summary.stackFiles.after).toEqual(summary.stackFiles.before);
    expect(gitStatus()).toBe(statusBefore);
  });
});
