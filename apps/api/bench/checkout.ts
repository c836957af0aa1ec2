import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This repository's root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * apps/api/src as of a git ref, in a temporary directory beside links to this checkout's
 * node_modules, so an older API runs next to the working tree's in one benchmark.
 */
export function checkout(
  ref: string,
  parent = mkdtempSync(join(tmpdir(), 'outpost-api-')),
): string {
  const dir = join(parent, ref.replace(/[^\w.-]/g, '_'));
  mkdirSync(join(dir, 'apps/api'), { recursive: true });
  const archive = execFileSync('git', ['-C', ROOT, 'archive', ref, 'apps/api/src'], {
    maxBuffer: 64 * 1024 * 1024,
  });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  symlinkSync(join(ROOT, 'apps/api/node_modules'), join(dir, 'apps/api/node_modules'));
  return dir;
}
