import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readStackConfigFile, type StackConfig } from '../config.ts';
import type { Federation } from '../federation.ts';
import { buildPlan } from '../plan/index.ts';
import type { Credential } from '../plan/types.ts';
import { configFile, manifestsDir, type EngineLayout } from './layout.ts';
import type { StackRunRequest, StackRunResult } from './run-stack.ts';
import { suppliedSecrets } from './secrets.ts';

/** A step of the first setup that failed in the engine: the command, its exit and its log. */
export class EngineStepError extends Error {
  readonly label: string;
  readonly command: string;
  readonly exitCode: number | null;
  readonly logFile: string;

  constructor(label: string, command: string, exitCode: number | null, logFile: string) {
    super(
      `${label}: \`${command}\` exited ${exitCode ?? 'on a signal'}; the engine's output: ${logFile}`,
    );
    this.name = 'EngineStepError';
    this.label = label;
    this.command = command;
    this.exitCode = exitCode;
    this.logFile = logFile;
  }
}

export interface EngineRuns {
  prodAlone: StackRunResult;
  dev: StackRunResult;
  prod: StackRunResult;
}

/**
 * The first setup of docs/deploy.md in the real engine, each stack rendering its YAML to
 * `.run/manifests/<stack>/`: prod alone (`scrapeStacks: []`), dev with prod's `pushGateway`,
 * then prod again watching dev, so its StackReference reads dev's real state from the backend.
 * Every credential is supplied (suppliedSecrets). `env` is the engine's environment (layout.ts).
 */
export async function engineFirstSetup(
  layout: EngineLayout,
  env: NodeJS.ProcessEnv,
): Promise<EngineRuns> {
  const committed = (stack: string) => readStackConfigFile(stack, layout.repo);
  const renderTo = (stack: string) => ({ 'outpost:renderYamlTo': manifestsDir(layout, stack) });
  const credentialsOf = (stack: string, config: StackConfig, foreign?: Federation['planes']) =>
    buildPlan(config, { stack, platform: 'kubernetes', ...(foreign ? { foreign } : {}) })
      .credentials;

  const prodCredentials = credentialsOf('prod', { ...committed('prod'), scrapeStacks: [] });
  const prodSecrets = suppliedSecrets(prodCredentials);
  const prodAlone = await runStack(layout, env, {
    stack: 'prod',
    label: 'step 1/3 prod alone',
    create: true,
    config: { 'outpost:scrapeStacks': '[]', ...renderTo('prod') },
    secrets: prodSecrets,
  });

  const pushGateway = prodAlone.outputs.pushGateway as StackConfig['pushGateway'];
  if (!pushGateway) throw new Error('stack prod exported no pushGateway');
  const dev = await runStack(layout, env, {
    stack: 'dev',
    label: 'step 2/3 dev',
    create: true,
    config: { 'outpost:pushGateway': JSON.stringify(pushGateway), ...renderTo('dev') },
    secrets: suppliedSecrets(credentialsOf('dev', { ...committed('dev'), pushGateway })),
  });

  // scrapeStacks back to what Pulumi.prod.yaml says; a credential the watching plan adds (other
  // than the imported ones) is supplied too.
  const federation = dev.outputs.federation as Federation;
  const added = credentialsOf('prod', committed('prod'), federation.planes).filter(
    (c: Credential) =>
      c.kind !== 'imported' && !prodCredentials.some((p: Credential) => p.id === c.id),
  );
  const prod = await runStack(layout, env, {
    stack: 'prod',
    label: 'step 3/3 prod watching dev',
    create: false,
    config: {
      'outpost:scrapeStacks': JSON.stringify(committedValue(layout, 'prod', 'scrapeStacks')),
    },
    secrets: added.length > 0 ? suppliedSecrets(added) : {},
  });
  return { prodAlone, dev, prod };
}

/** A key's value as the committed stack file has it. */
function committedValue(layout: EngineLayout, stack: string, key: string): unknown {
  const file = parse(readFileSync(join(layout.repo, `Pulumi.${stack}.yaml`), 'utf8')) as {
    config: Record<string, unknown>;
  };
  return file.config[`outpost:${key}`];
}

let stepNumber = 0;

/** Runs run-stack.ts for one step, as Pulumi.yaml runs the program (its `nodeargs`). */
async function runStack(
  layout: EngineLayout,
  env: NodeJS.ProcessEnv,
  step: Pick<StackRunRequest, 'stack' | 'label' | 'create' | 'config' | 'secrets'>,
): Promise<StackRunResult> {
  stepNumber += 1;
  const base = join(layout.logs, `${stepNumber}-${step.stack}`);
  const request: StackRunRequest = {
    ...step,
    workDir: layout.project,
    configFile: configFile(layout, step.stack),
    logFile: `${base}.log`,
    resultFile: `${base}.json`,
  };
  writeFileSync(`${base}.request.json`, JSON.stringify(request, null, 2), { mode: 0o600 });
  const args = [
    ...nodeArgs(layout),
    join(import.meta.dirname, 'run-stack.ts'),
    `${base}.request.json`,
  ];
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: layout.repo,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code));
  });
  if (exitCode !== 0)
    throw new EngineStepError(step.label, `node ${args.join(' ')}`, exitCode, request.logFile);
  return JSON.parse(readFileSync(request.resultFile, 'utf8')) as StackRunResult;
}

/** Pulumi.yaml's `runtime.options.nodeargs` (`--import tsx/esm`): how Pulumi runs the program. */
function nodeArgs(layout: EngineLayout): string[] {
  const project = parse(readFileSync(join(layout.repo, 'Pulumi.yaml'), 'utf8')) as {
    runtime?: { options?: { nodeargs?: string } };
  };
  return (project.runtime?.options?.nodeargs ?? '').split(/\s+/).filter(Boolean);
}
