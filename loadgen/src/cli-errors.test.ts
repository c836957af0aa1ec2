import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main, type Io } from './cli.ts';
import { resolveTargets, TargetError } from './targets.ts';

// How the command ends on an error, in process: a usage error is the user's to fix (exit 2,
// the message), anything else is a bug (exit 1, the stack trace). Target resolution is
// replaced so each test can make it fail the way it needs; nothing else is.

vi.mock('./targets.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./targets.ts')>()),
  resolveTargets: vi.fn(() => {
    throw new Error('resolveTargets: no behaviour set for this test');
  }),
}));

afterEach(() => {
  vi.mocked(resolveTargets).mockReset();
});

function io(stdoutWrite?: () => never): Io & { err: () => string } {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (c: Buffer) => (text += c.toString()));
  const stdout = new PassThrough();
  if (stdoutWrite) stdout.write = stdoutWrite;
  return {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: new PassThrough() as unknown as NodeJS.ReadStream,
    err: () => text,
  };
}

describe('errors and exit codes', () => {
  it('a bug while the targets are resolved exits 1 with the stack, not 2', async () => {
    vi.mocked(resolveTargets).mockRejectedValueOnce(
      new TypeError("Cannot read properties of undefined (reading 'apiUrl')"),
    );
    const out = io();
    expect(await main(['-d', '1'], out)).toBe(1);
    expect(out.err()).toMatch(
      /^loadgen: unexpected error, a bug in the load generator \(please report it with this trace\):\nTypeError: Cannot read properties of undefined \(reading 'apiUrl'\)\n\s+at /,
    );
  });

  it('a bug while the command line is read exits 1 with the stack too', async () => {
    const out = io(() => {
      throw new RangeError('write after end');
    });
    expect(await main(['--help'], out)).toBe(1);
    expect(out.err()).toMatch(/unexpected error[^\n]*\nRangeError: write after end\n\s+at /);
  });

  it('a target problem is a usage error: exit 2 with the message alone', async () => {
    vi.mocked(resolveTargets).mockRejectedValueOnce(
      new TargetError('x.json: no such file. Start the platform with `npm start`'),
    );
    const out = io();
    expect(await main(['-d', '1'], out)).toBe(2);
    expect(out.err()).toBe('loadgen: x.json: no such file. Start the platform with `npm start`\n');
  });

  it('a pattern shape that does not fit is a usage error (exit 2), with the --help pointer', async () => {
    const out = io();
    expect(await main(['spike', '-d', '10', '--spike-at', '8', '--spike-for', '5'], out)).toBe(2);
    expect(out.err()).toBe(
      'loadgen: --spike-at (8s) + --spike-for (5s) must end within --duration (10s)\nRun with --help for the flags.\n',
    );
    expect(resolveTargets).not.toHaveBeenCalled();
  });

  it('faults without a plane of their environment are a usage error (exit 2)', async () => {
    vi.mocked(resolveTargets).mockResolvedValueOnce([
      { name: 'q', url: 'http://127.0.0.1:1', environment: 'qa' },
    ]);
    const out = io();
    expect(await main(['scenario', 'production-incident'], out)).toBe(2);
    expect(out.err()).toMatch(/^loadgen: the scenario injects faults into 'prod', but no targeted/);
  });
});
