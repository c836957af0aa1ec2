import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, MAX_LIST } from './alert-receiver.mjs';
import { portFree } from './checks.ts';
import { eventually } from './test-support.ts';

// What broke when we tried to break it: a supervisor killed with SIGKILL left its children
// holding their ports; a large POST to the alert receiver killed the supervisor it ran in.

const RECEIVER = join(import.meta.dirname, 'alert-receiver.mjs');
const SUPERVISED = join(import.meta.dirname, 'supervisor.ts');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('children die with their supervisor', () => {
  it('however it exits, kill -9 included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'supervisor-'));
    // A supervisor with one child (a sleeping node process), reporting the child's pid.
    const script = join(dir, 'supervisor.ts');
    writeFileSync(
      script,
      `import { Supervised } from ${JSON.stringify(SUPERVISED)};
       const child = new Supervised({ name: 'sleeper', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], logFile: ${JSON.stringify(join(dir, 'sleeper.log'))} }, () => {});
       child.start();
       setTimeout(() => process.stdout.write(String(child.pid) + '\\n'), 300);
       setInterval(() => {}, 1000);`,
    );
    const supervisor = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const childPid = await new Promise<number>((resolve) =>
      supervisor.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim()))),
    );
    expect(alive(childPid)).toBe(true);
    supervisor.kill('SIGKILL');
    await eventually('the child to die with its supervisor', async () => !alive(childPid), 5000);
  });
});

describe("a child's log", () => {
  it('drops output that arrives after it is closed instead of ending the supervisor', () => {
    // In a process of its own: an unhandled stream error there ends it, as it ended npm start.
    const dir = mkdtempSync(join(tmpdir(), 'log-'));
    const script = join(dir, 'late.ts');
    writeFileSync(
      script,
      `import { BoundedLog } from ${JSON.stringify(join(import.meta.dirname, 'log-file.ts'))};
       const log = new BoundedLog(${JSON.stringify(join(dir, 'child.log'))});
       log.write('before\\n');
       const closing = log.close();
       log.write('after the exit\\n');
       await closing;
       await new Promise((r) => setTimeout(r, 100));
       process.stdout.write('survived');`,
    );
    expect(execFileSync(process.execPath, [script], { encoding: 'utf8' })).toBe('survived');
  });
});

describe('the alert receiver', () => {
  let url: string;
  let child: ReturnType<typeof spawn>;
  let file: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'receiver-'));
    file = join(dir, 'alerts.jsonl');
    let port = 40_000 + Math.floor(Math.random() * 10_000);
    while (!(await portFree(port))) port += 1;
    url = `http://127.0.0.1:${port}/alerts`;
    child = spawn(process.execPath, [RECEIVER], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ALERT_RECEIVER_FILE: file },
      stdio: 'ignore',
    });
    await eventually('the receiver', async () => (await fetch(url).catch(() => null))?.ok);
  });
  afterAll(() => child?.kill());

  it('refuses a body over its cap with 413 and keeps serving', async () => {
    const big = 'x'.repeat(MAX_BODY_BYTES + 1);
    const declared = execFileSync(
      'curl',
      [
        '-s',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        '-X',
        'POST',
        '--data-binary',
        '@-',
        '-H',
        'content-type: application/json',
        url,
      ],
      { input: big, encoding: 'utf8' },
    );
    expect(declared).toBe('413');
    // Streamed without a length: refused once the bytes pass the cap.
    const chunked = execFileSync(
      'curl',
      [
        '-s',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        '-X',
        'POST',
        '-H',
        'transfer-encoding: chunked',
        '--data-binary',
        '@-',
        url,
      ],
      { input: big, encoding: 'utf8' },
    );
    expect(['413', '000']).toContain(chunked);
    const res = await fetch(url, {
      method: 'POST',
      body: JSON.stringify({ status: 'firing', alerts: [] }),
    });
    expect(res.status).toBe(200);
    expect(child.exitCode).toBeNull();
  });

  it('GET /alerts keeps the newest notifications, at most the cap', async () => {
    for (let i = 0; i < MAX_LIST + 20; i += 1)
      await fetch(url, { method: 'POST', body: JSON.stringify({ n: i }) });
    const list = (await fetch(url).then((r) => r.json())) as Array<{
      notification: { n?: number };
    }>;
    expect(list).toHaveLength(MAX_LIST);
    expect(list.at(-1)!.notification.n).toBe(MAX_LIST + 19);
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean).length).toBeGreaterThan(MAX_LIST);
  });
});
