import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

// The API as it ships: one JavaScript file, dist/main.mjs, with every dependency bundled in. The
// image runs it without node_modules, and process mode runs the same file. Bundled, the API
// starts in about 0.3 s instead of 0.8 s and holds about 30 MB less (no TypeScript stripping,
// one module to load instead of hundreds; docs/benchmarks.md).
//
//   node apps/api/build.ts              build dist/main.mjs
//   node apps/api/build.ts --if-stale   only when a source it was built from has changed

const API_DIR = import.meta.dirname;
export const BUNDLE = join(API_DIR, 'dist/main.mjs');
const META = join(API_DIR, 'dist/meta.json');
const REPO_ROOT = join(API_DIR, '..', '..');

/** Whether the bundle is missing or older than any file it was built from (or the lock file). */
export function bundleIsStale(): boolean {
  let built: number;
  let inputs: string[];
  try {
    built = statSync(BUNDLE).mtimeMs;
    const meta = JSON.parse(readFileSync(META, 'utf8')) as { inputs: Record<string, unknown> };
    inputs = [...Object.keys(meta.inputs), 'package-lock.json'];
  } catch {
    return true;
  }
  return inputs.some((input) => {
    try {
      return statSync(join(REPO_ROOT, input)).mtimeMs > built;
    } catch {
      return true; // an input that is gone: rebuild to find out
    }
  });
}

export async function buildApi(): Promise<void> {
  const result = await build({
    entryPoints: [join(API_DIR, 'src/main.ts')],
    outfile: BUNDLE,
    absWorkingDir: REPO_ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    metafile: true,
    write: false,
    logLevel: 'warning',
    // Some bundled dependencies are CommonJS and call require() for Node's built-ins.
    banner: {
      js: "import { createRequire as __outpostRequire } from 'node:module'; const require = __outpostRequire(import.meta.url);",
    },
  });
  // Written aside and renamed into place: a process starting meanwhile (or a second build
  // racing this one, as parallel tests may) reads a whole bundle, old or new.
  mkdirSync(dirname(BUNDLE), { recursive: true });
  const partial = `${BUNDLE}.${process.pid}.partial`;
  writeFileSync(partial, result.outputFiles[0]!.contents);
  renameSync(partial, BUNDLE);
  writeFileSync(`${META}.${process.pid}`, JSON.stringify(result.metafile));
  renameSync(`${META}.${process.pid}`, META);
}

if (process.argv[1] === import.meta.filename) {
  if (process.argv.includes('--if-stale') && !bundleIsStale()) process.exit(0);
  await buildApi();
  process.stdout.write(`built ${BUNDLE}\n`);
}
