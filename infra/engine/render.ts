import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EngineStepError, engineFirstSetup } from './first-setup.ts';
import { engineEnv, engineLayout, manifestsDir, prepareLayout, withRenderLock } from './layout.ts';
import {
  checkConfigs,
  layOutWorkloads,
  objectKey,
  readManifests,
  validateManifest,
  type ConfigCheck,
} from './manifests.ts';
import type { StackRunResult } from './run-stack.ts';
import { findBinaries, MissingToolError } from './tools.ts';

// npm run stacks:render: the Kubernetes stacks (dev, prod) in the real Pulumi engine, rendering
// YAML instead of applying it (no cluster needed), in the order of a first setup; then the
// rendered manifests go through the mock tests' checks (Kubernetes schema, promtool, amtool).
// Writes .run/pulumi/render.json (RenderSummary), which the engine test reads. See
// docs/deploy.md, "Check a stack without a cluster".

/** What a finished render leaves in `.run/pulumi/render.json`. */
export interface RenderSummary {
  /** Epoch ms. */
  startedAt: number;
  finishedAt: number;
  seconds: number;
  versions: { pulumi: string; kubernetesProvider: string };
  steps: Array<{ label: string; stack: string; seconds: number; changes: Record<string, number> }>;
  stacks: Record<
    'dev' | 'prod',
    {
      /** `Kind namespace/name` of every rendered object. */
      manifests: string[];
      checks: ConfigCheck[];
      /** The engine's final run of the stack. */
      run: StackRunResult;
    }
  >;
  /** sha256 of the committed stack files before and after (they must not change). */
  stackFiles: { before: Record<string, string>; after: Record<string, string> };
}

const STACKS = ['dev', 'prod'] as const;

function log(text: string) {
  process.stderr.write(`[stacks:render] ${text}\n`);
}

/** A value config/versions.env pins. */
function pinned(key: string): string {
  const text = readFileSync(join(engineLayout().repo, 'config', 'versions.env'), 'utf8');
  const value = new RegExp(`^${key}=(.*)$`, 'm').exec(text)?.[1];
  if (!value) throw new Error(`config/versions.env has no ${key}`);
  return value;
}

function hashes(repo: string): Record<string, string> {
  return Object.fromEntries(
    STACKS.map((s) => {
      const file = `Pulumi.${s}.yaml`;
      return [
        file,
        createHash('sha256')
          .update(readFileSync(join(repo, file)))
          .digest('hex'),
      ];
    }),
  );
}

export async function render(): Promise<RenderSummary> {
  const startedAt = Date.now();
  const since = () => `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
  const binaries = findBinaries(['pulumi', 'pulumi-resource-kubernetes', 'promtool', 'amtool']);
  const versions = {
    pulumi: execFileSync(binaries.pulumi, ['version'], { encoding: 'utf8' }).trim(),
    kubernetesProvider: pinned('PULUMI_KUBERNETES_RELEASE'),
  };
  log(
    `pulumi ${versions.pulumi}, pulumi-resource-kubernetes ${versions.kubernetesProvider} (Go-built, on PATH; plugin downloads off)`,
  );
  const layout = engineLayout();
  const before = hashes(layout.repo);
  prepareLayout(layout, [...STACKS]);
  const env = engineEnv(layout, [
    dirname(binaries.pulumi),
    dirname(binaries['pulumi-resource-kubernetes']),
  ]);
  log(`state, home and stack file copies under ${layout.root}`);

  const runs = await engineFirstSetup(layout, env);
  log(`first setup done (${since()}); checking the manifests`);

  const stacks = {} as RenderSummary['stacks'];
  for (const stack of STACKS) {
    const dir = manifestsDir(layout, stack);
    const manifests = readManifests(dir);
    for (const m of manifests) await validateManifest(m);
    const roots = layOutWorkloads(manifests, join(layout.root, 'checks', stack));
    const checks = checkConfigs(roots, binaries);
    log(
      `${stack}: ${manifests.length} manifests valid against the Kubernetes schema; ` +
        checks.map((c) => `${c.workload}: ${c.command.split(' ')[0]} SUCCESS`).join(', '),
    );
    stacks[stack] = {
      manifests: manifests.map((m) => objectKey(m.kind, m.metadata.name, m.metadata.namespace)),
      checks,
      run: stack === 'dev' ? runs.dev : runs.prod,
    };
  }

  const after = hashes(layout.repo);
  if (JSON.stringify(before) !== JSON.stringify(after))
    throw new Error(
      'the committed stack files changed during the render: the engine must only write the copies',
    );
  const finishedAt = Date.now();
  const summary: RenderSummary = {
    startedAt,
    finishedAt,
    seconds: (finishedAt - startedAt) / 1000,
    versions,
    steps: [
      ['step 1/3 prod alone', runs.prodAlone],
      ['step 2/3 dev', runs.dev],
      ['step 3/3 prod watching dev', runs.prod],
    ].map(([label, run]) => {
      const r = run as StackRunResult;
      return { label: label as string, stack: r.stack, seconds: r.seconds, changes: r.changes };
    }),
    stacks,
    stackFiles: { before, after },
  };
  writeFileSync(layout.summaryFile, JSON.stringify(summary, null, 2));
  log(
    `done in ${since()}: manifests in .run/manifests/{dev,prod}/ (secrets in plain text there), summary ${layout.summaryFile}`,
  );
  return summary;
}

if (import.meta.main) {
  try {
    await withRenderLock(engineLayout(), render, (pid) =>
      log(`waiting for the render of process ${pid} (.run/pulumi/lock)`),
    );
  } catch (err) {
    if (err instanceof MissingToolError || err instanceof EngineStepError) {
      log(`FAILED: ${err.message}`);
      process.exitCode = 1;
    } else throw err;
  }
}
