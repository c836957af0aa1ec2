import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandLines, documentationFiles, repoRoot } from './markdown.ts';

// Every `npm run <script>` the docs tell a reader to type must exist: in the root package.json,
// or with `-w <workspace>` in that workspace's package.json.
const scriptsOf = (dir: string): string[] =>
  Object.keys(
    (JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8')) as { scripts?: object })
      .scripts ?? {},
  );
const scripts = scriptsOf('.');
const workspaceDirs: Record<string, string> = {
  '@outpost/api': 'apps/api',
  '@outpost/dashboard': 'apps/dashboard',
  '@outpost/loadgen': 'loadgen',
  '@outpost/infra': 'infra',
  '@outpost/outputs': 'packages/outputs',
};

describe('npm scripts named in the docs', () => {
  for (const file of documentationFiles()) {
    it(`${file.path}: every npm run <script> exists`, () => {
      const named = commandLines(file.text).flatMap((line) =>
        [...line.matchAll(/\bnpm run ([\w:.-]+)(?:\s+(?:-w|--workspace)\s+(\S+))?/g)].map((m) => ({
          name: m[1] ?? '',
          workspace: m[2],
        })),
      );
      const missing = named
        .filter(({ name, workspace }) => {
          if (!workspace) return !scripts.includes(name);
          const dir = workspaceDirs[workspace];
          return !dir || !scriptsOf(dir).includes(name);
        })
        .map(({ name, workspace }) => (workspace ? `${name} -w ${workspace}` : name));
      expect(missing, `scripts named in ${file.path} but missing from package.json`).toEqual([]);
    });
  }

  it('npm start and npm test exist', () => {
    expect(scripts).toEqual(expect.arrayContaining(['start', 'test']));
  });
});
