import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StackOutputs } from '@outpost/outputs';
import { readStackConfigFile, type StackConfig } from '../config.ts';
import { CREDENTIALS } from '../plan/common.ts';
import { buildPlan } from '../plan/index.ts';
import type { Plan } from '../plan/types.ts';
import { checkWiring } from '../plan/wiring.ts';
import type { Topology } from '../topology.ts';
import { dashboardBuilt } from './binaries.ts';
import { ProcessModeError, requirePortsFree, waitHealthy } from './checks.ts';
import { makeCredentials } from './credentials.ts';
import { materialize } from './materialize.ts';
import { Supervised, type SupervisorEvent } from './supervisor.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface StartOptions {
  /** Stack file `Pulumi.<stack>.yaml`; default `local`. */
  stack?: string;
  /** Where the stack files are; default the repository root. */
  rootDir?: string;
  /** Where data, configs and logs go; default `<repo>/.run`. Files land in `<runDir>/<stack>/`. */
  runDir?: string;
  /** Added to every port so two platforms can run side by side. */
  portOffset?: number;
  /** Adjusts the validated config (tests shorten intervals and `for:` durations). */
  overrides?: (config: StackConfig) => StackConfig;
  /** Start the dashboard when its build exists (default true). */
  dashboard?: boolean;
  /** Called for every supervisor event (the CLI prints them). */
  onEvent?: (event: SupervisorEvent) => void;
  /** Simulated data planes to add (a test double for scale). Default 0. */
  fleet?: number;
}

export interface RunningPlatform {
  outputs: StackOutputs;
  topology: Topology;
  plan: Plan;
  /** `<runDir>/<stack>`. */
  runDir: string;
  pids: Record<string, number>;
  children: Supervised[];
  /** The child running a workload (or one container of it: `<workload>-<container>`). */
  child(name: string): Supervised;
  stop(): Promise<void>;
}

/**
 * Process mode: builds the stack's deployment plan for the `process` platform and executes it:
 * every workload's files and secrets laid out under `<runDir>/<stack>/<workload>/`, every
 * container started as a supervised process with the plan's args and env, each waited for on
 * its readiness probe; then the stack outputs are written. stop() ends every child.
 */
export async function startPlatform(options: StartOptions = {}): Promise<RunningPlatform> {
  const stack = options.stack ?? 'local';
  let config = readStackConfigFile(stack, options.rootDir ?? REPO_ROOT);
  if (config.platform === 'kubernetes') {
    throw new ProcessModeError(
      `stack ${stack} targets Kubernetes; run it with \`pulumi up -s ${stack}\` (docs/deploy.md). npm start runs docker and process stacks.`,
    );
  }
  if (options.overrides) config = options.overrides(config);
  if (!config.controlPlane)
    throw new ProcessModeError(`stack ${stack} has no controlPlane; process mode needs one`);

  const dashboard = (options.dashboard ?? true) && dashboardBuilt();
  const plan = buildPlan(config, {
    stack,
    platform: 'process',
    portOffset: options.portOffset ?? 0,
    dashboard,
    fleet: options.fleet ?? 0,
  });
  const problems = checkWiring([plan]);
  if (problems.length > 0)
    throw new Error(`the plan of stack ${stack} is miswired:\n  ${problems.join('\n  ')}`);
  const runDir = resolve(options.runDir ?? join(REPO_ROOT, '.run'), stack);

  await requirePortsFree(
    plan.workloads.flatMap((w) =>
      w.containers.flatMap((c) =>
        c.ports.map((p) => ({ port: p.port, key: `${w.name} ${p.name}` })),
      ),
    ),
  );
  const secrets = makeCredentials(plan.credentials);
  mkdirSync(join(runDir, 'logs'), { recursive: true });
  const processes = materialize(plan, runDir, secrets);

  const children: Supervised[] = [];
  const onEvent = options.onEvent ?? (() => {});
  const stop = async () => {
    await Promise.all(children.map((c) => c.stop()));
  };
  try {
    for (const spec of processes) {
      const child = new Supervised(
        { ...spec, logFile: join(runDir, 'logs', `${spec.name}.log`) },
        onEvent,
      );
      children.push(child);
      child.start();
    }
    await Promise.all(
      processes
        .filter((p) => p.readyUrl)
        .map((p) => {
          const child = children.find((c) => c.spec.name === p.name)!;
          // Give up early on a program that keeps crashing (its log says why).
          return waitHealthy(p.name, p.readyUrl!, 30_000, () => child.restarts < 3);
        }),
    );
  } catch (err) {
    await stop();
    throw err;
  }

  const adminTokens = Object.fromEntries(
    plan.topology.dataPlanes.map((dp) => [
      dp.id,
      secrets.get(CREDENTIALS.adminToken(dp.name))!.value!,
    ]),
  );
  const outputs = plan.outputs(adminTokens);
  const outputsFile = join(runDir, 'outputs.json');
  writeFileSync(outputsFile, JSON.stringify(outputs, null, 2) + '\n', { mode: 0o600 });
  chmodSync(outputsFile, 0o600); // holds the admin tokens: owner-only even if the file existed

  return {
    outputs,
    topology: plan.topology,
    plan,
    runDir,
    children,
    child(name) {
      const found = children.find((c) => c.spec.name === name);
      if (!found)
        throw new Error(`no process ${name}; have ${children.map((c) => c.spec.name).join(', ')}`);
      return found;
    },
    get pids() {
      return Object.fromEntries(children.map((c) => [c.spec.name, c.pid ?? -1]));
    },
    stop,
  };
}
