import { createServer } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStackConfigFile } from '../config.ts';
import { goBinary } from './binaries.ts';
import { startPlatform } from './platform.ts';
import { findPortOffset } from './test-support.ts';

// Clear errors, not stack traces: each failure says what is wrong and how to fix it.
const ROOT = join(import.meta.dirname, '..', '..');

describe('process mode refuses to start, saying why', () => {
  it('a Kubernetes stack points to pulumi up', async () => {
    await expect(startPlatform({ stack: 'prod' })).rejects.toThrow(/pulumi up -s prod/);
  });

  it('a Go program not built yet names the command that builds it', () => {
    const before = process.env.OUTPOST_GO_TOOLS_DIR;
    process.env.OUTPOST_GO_TOOLS_DIR = mkdtempSync(join(tmpdir(), 'no-tools-'));
    try {
      expect(() => goBinary('thanos')).toThrow(
        /thanos .* is not built: run `bash scripts\/setup-go-tools\.sh thanos`/,
      );
    } finally {
      if (before === undefined) delete process.env.OUTPOST_GO_TOOLS_DIR;
      else process.env.OUTPOST_GO_TOOLS_DIR = before;
    }
  });

  it('a port in use names the port and the stack key', async () => {
    const offset = await findPortOffset(readStackConfigFile('local', ROOT));
    const blocker = createServer().listen(9090 + offset, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    try {
      await expect(
        startPlatform({
          stack: 'local',
          portOffset: offset,
          runDir: mkdtempSync(join(tmpdir(), 'run-')),
          dashboard: false,
        }),
      ).rejects.toThrow(
        new RegExp(`port ${9090 + offset} \\(local-prometheus http\\).*--port-offset`),
      );
    } finally {
      blocker.close();
    }
  });

  it('a bad stack file names the file and the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stacks-'));
    writeFileSync(
      join(dir, 'Pulumi.broken.yaml'),
      'config:\n  outpost:platform: process\n  outpost:customer: acme\n  outpost:dataPlanes: []\n',
    );
    await expect(startPlatform({ stack: 'broken', rootDir: dir })).rejects.toThrow(
      /Pulumi\.broken\.yaml: invalid stack config:\n.*outpost:dataPlanes: needs at least one data plane/,
    );
  });
});
