import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Recorded } from './mocks.ts';

/** What one mock run of the program made. */
export interface MockRun {
  outputs: Record<string, unknown>;
  /** Which outputs are secrets. */
  secret: Record<string, boolean>;
  resources: Recorded[];
}

const run = promisify(execFile);

/**
 * Runs the Pulumi program of a stack under strict mocks in a child process (run-mock.ts), with
 * the outputs of the stacks it references and extra config, and returns what it made.
 */
export async function mockRun(
  stack: string,
  options: {
    referenced?: Record<string, Record<string, unknown>>;
    config?: Record<string, unknown>;
  } = {},
): Promise<MockRun> {
  const dir = mkdtempSync(join(tmpdir(), `outpost-mock-${stack}-`));
  const file = (name: string, value: unknown) => {
    writeFileSync(join(dir, name), JSON.stringify(value));
    return join(dir, name);
  };
  const out = join(dir, 'out.json');
  await run(process.execPath, [
    join(import.meta.dirname, 'run-mock.ts'),
    stack,
    out,
    file('referenced.json', options.referenced ?? {}),
    file('config.json', options.config ?? {}),
  ]);
  return JSON.parse(readFileSync(out, 'utf8')) as MockRun;
}

/**
 * The stacks as a first setup deploys them (docs/deploy.md): prod alone, then dev sending its
 * push plane to prod's gateway, then prod watching dev through its real (mock) outputs.
 */
export async function firstSetup(): Promise<{ prodAlone: MockRun; dev: MockRun; prod: MockRun }> {
  const prodAlone = await mockRun('prod', { config: { 'outpost:scrapeStacks': [] } });
  const dev = await mockRun('dev', {
    config: { 'outpost:pushGateway': prodAlone.outputs.pushGateway },
  });
  const prod = await mockRun('prod', {
    referenced: { 'organization/outpost/dev': { federation: dev.outputs.federation } },
  });
  return { prodAlone, dev, prod };
}
