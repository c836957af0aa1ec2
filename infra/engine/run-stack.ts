import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as pulumi from '@pulumi/pulumi';
import { secretPath } from './secrets.ts';

// One `pulumi up` of one stack in the real engine, in a process of its own (the program's module
// state must not leak between stacks, as in the mock runs). The program runs as an Automation
// API inline program: the SDK hosts its own language runtime and the CLI connects to it
// (`--client`), so no pulumi-language-nodejs binary is needed. Started by render.ts as
//   node --import tsx/esm infra/engine/run-stack.ts <request.json>
// with the engine's environment (layout.ts); writes a StackRunResult to request.resultFile.

export interface StackRunRequest {
  stack: string;
  /** What render.ts calls this step, for progress lines. */
  label: string;
  /** The Automation API's work dir: Pulumi.yaml and the stack file copies. */
  workDir: string;
  /** The copy of the stack file (`--config-file`). */
  configFile: string;
  /** `pulumi stack init` first (a first setup), or select the existing stack. */
  create: boolean;
  /** Plain config to set: key -> value (objects and lists as JSON text, as Pulumi passes them). */
  config: Record<string, string>;
  /** `outpost:secrets` ids -> values, set as secrets. */
  secrets: Record<string, string>;
  /** The engine's output. */
  logFile: string;
  resultFile: string;
}

/** One resource of the stack's state, as the comparison needs it. */
export interface EngineResource {
  type: string;
  urn: string;
  /** metadata.namespace and metadata.name of a Kubernetes object. */
  namespace?: string;
  name?: string;
}

export interface StackRunResult {
  stack: string;
  outputs: Record<string, unknown>;
  secret: Record<string, boolean>;
  resources: EngineResource[];
  /** The update's counts by operation (`create`, `same`, ...). */
  changes: Record<string, number>;
  /** The engine's warnings (diagnostics), e.g. the provider found on $PATH. */
  warnings: string[];
  seconds: number;
}

const started = Date.now();
const request = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as StackRunRequest;
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const progress = (text: string) =>
  process.stderr.write(`[stacks:render] ${request.label}: ${text} (${elapsed()})\n`);

async function main(): Promise<void> {
  const program = async () => ({ ...((await import('../index.ts')) as Record<string, unknown>) });
  const { LocalWorkspace, Stack } = pulumi.automation;
  const workspace = await LocalWorkspace.create({ workDir: request.workDir, program });
  const stack = request.create
    ? await Stack.create(request.stack, workspace)
    : await Stack.select(request.stack, workspace);
  progress(request.create ? 'stack created' : 'stack selected');

  const config: Record<string, { value: string; secret?: boolean }> = {};
  for (const [key, value] of Object.entries(request.config)) config[key] = { value };
  for (const [id, value] of Object.entries(request.secrets))
    config[secretPath(id)] = { value, secret: true };
  if (Object.keys(config).length > 0) {
    await workspace.setAllConfig(request.stack, config, true);
    progress(
      `config set (${Object.keys(request.config).join(', ') || 'no plain keys'}; ${Object.keys(request.secrets).length} secrets)`,
    );
  }

  progress('pulumi up');
  const warnings: string[] = [];
  let done = 0;
  const result = await stack.up({
    configFile: request.configFile,
    color: 'never',
    suppressProgress: true,
    onOutput: (text) => appendFileSync(request.logFile, text),
    onEvent: (event) => {
      const diagnostic = event.diagnosticEvent;
      if (diagnostic?.severity === 'warning') warnings.push(diagnostic.message.trim());
      if (event.resOutputsEvent) {
        done += 1;
        if (done % 25 === 0) progress(`${done} resources done`);
      }
    },
  });
  const deployment = await stack.exportStack();
  const resources = (
    deployment.deployment as {
      resources?: Array<{
        urn: string;
        type: string;
        outputs?: { metadata?: { name?: string; namespace?: string } };
      }>;
    }
  ).resources!.map((r): EngineResource => {
    const metadata = r.type.startsWith('kubernetes:') ? r.outputs?.metadata : undefined;
    return {
      type: r.type,
      urn: r.urn,
      ...(metadata?.namespace ? { namespace: metadata.namespace } : {}),
      ...(metadata?.name ? { name: metadata.name } : {}),
    };
  });
  const outcome: StackRunResult = {
    stack: request.stack,
    outputs: Object.fromEntries(Object.entries(result.outputs).map(([k, v]) => [k, v.value])),
    secret: Object.fromEntries(Object.entries(result.outputs).map(([k, v]) => [k, v.secret])),
    resources,
    changes: result.summary.resourceChanges ?? {},
    warnings,
    seconds: (Date.now() - started) / 1000,
  };
  writeFileSync(request.resultFile, JSON.stringify(outcome, null, 2));
  progress(
    `up ${result.summary.result}: ${Object.entries(outcome.changes)
      .map(([op, n]) => `${n} ${op}`)
      .join(', ')}`,
  );
}

try {
  await main();
} catch (err) {
  // The CLI's whole output is in the log; say here what the engine said went wrong.
  const message = err instanceof Error ? err.message : String(err);
  const errors = [...new Set(message.split('\n').filter((l) => /error:/.test(l)))].map((l) =>
    l.trim(),
  );
  progress(`FAILED\n  ${(errors.length > 0 ? errors : [message]).join('\n  ')}`);
  process.exit(1);
}
