import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, startFakeApi, type FakeApi } from './testing/fake-api.ts';
import { outputs } from './testing/fixtures.ts';

// The CLI as a user (or CI) runs it: a child process, judged by its exit code and output.

const cli = join(dirname(fileURLToPath(import.meta.url)), 'cli.ts');
const children = new Set<ChildProcess>();

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(
  args: string[],
  onStderr?: (text: string, child: ChildProcess) => void,
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

let api: FakeApi;
let dir: string;
beforeAll(async () => {
  api = await startFakeApi({ adminToken: 'secret' });
  dir = await mkdtemp(join(tmpdir(), 'loadgen-cli-'));
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await api.close();
});

describe('exit codes', () => {
  it('2 for a usage error, naming the flag', async () => {
    const out = await runCli(['--rate', 'fast']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/--rate: must be a number > 0/);
  });

  it('2 for an unusable outputs file, saying what is wrong', async () => {
    const file = join(dir, 'broken.json');
    await writeFile(file, '{ not json');
    const out = await runCli(['--outputs', file]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/broken\.json: not valid JSON/);
  });

  it('2 when every selected data plane is simulated, saying which and how to target one', async () => {
    const file = join(dir, 'fleet.json');
    await writeFile(
      file,
      JSON.stringify(
        outputs([
          { env: 'prod', url: api.url },
          { env: 'dev', url: api.url, simulated: true },
        ]),
      ),
    );
    const out = await runCli(['--outputs', file, '--env', 'dev', '-d', '1']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(
      /every data plane that matches --env dev is simulated \(acme-dev-02\).*--plane acme-dev-02/,
    );
    const named = await runCli(['--outputs', file, '--plane', 'acme-dev-02', '-d', '0.2', '-q']);
    expect(named.code).toBe(0);
    expect(named.stderr).toMatch(/on acme-dev-02$/m);
  });

  it('1 when no target answers at the start, saying which', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const out = await runCli(['-t', url, '-d', '1']);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`${url} does not answer: ECONNREFUSED`);
    expect(out.stderr).toMatch(/no target answers/);
  });

  it('0 when the thresholds hold (with --json on stdout), 99 when one fails', async () => {
    const pass = await runCli([
      '-t',
      api.url,
      '-r',
      '50',
      '-d',
      '1',
      '--json',
      '--threshold',
      'p95<2s',
      '--threshold',
      'errors<1%',
    ]);
    expect(pass.code).toBe(0);
    const json = JSON.parse(pass.stdout) as {
      exitCode: number;
      total: { scheduled: number };
      thresholds: { ok: boolean }[];
    };
    expect(json.exitCode).toBe(0);
    expect(json.total.scheduled).toBe(50);
    expect(json.thresholds.every((t) => t.ok)).toBe(true);
    expect(pass.stderr).toMatch(/latency \(ms\)/); // the summary goes to stderr with --json

    const fail = await runCli(['-t', api.url, '-r', '20', '-d', '0.5', '--threshold', 'p50<1us']);
    expect(fail.code).toBe(99);
    expect(fail.stdout).toMatch(/FAIL p50<1us/);
  });

  it('130 after Ctrl-C, with the summary printed first and injected faults cleared', async () => {
    const file = join(dir, 'outputs.json');
    await writeFile(
      file,
      JSON.stringify(
        outputs([
          { env: 'prod', url: api.url },
          { env: 'qa', url: `http://127.0.0.1:${await closedPort()}` },
        ]),
      ),
    );
    api.faults.put.length = 0;
    api.faults.deleted = 0;
    let sent = false;
    const out = await runCli(
      [
        'scenario',
        'production-incident',
        '--outputs',
        file,
        '-r',
        '20',
        '-d',
        '30',
        '--spike-at',
        '0.2',
        '--spike-for',
        '5',
        '--interval',
        '200ms',
      ],
      (stderr, child) => {
        if (!sent && /fault injected/.test(stderr) && /\] target/.test(stderr)) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    );
    expect(out.code).toBe(130);
    expect(out.stdout).toMatch(/scenario production-incident: interrupted \(Ctrl-C\)/);
    expect(out.stdout).toMatch(/corrected/);
    // Only prod was targeted (qa is filtered out by the scenario, so its closed port is never probed).
    expect(out.stderr).not.toMatch(/does not answer/);
    expect(api.faults.put).toEqual([{ errorRate: 0.2, latencyMs: 1500 }]);
    expect(api.faults.deleted).toBe(1);
  });
});

describe('scenario --list', () => {
  it('lists the named scenarios', async () => {
    const out = await runCli(['scenario', '--list']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^normal-operations\s+\S/m);
    expect(out.stdout).toMatch(/^production-incident\s+\S/m);
    expect(out.stdout).toMatch(/^qa-load-test\s+\S/m);
  });
});
