import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandLines, documentationFiles, repoRoot } from './markdown.ts';

// Every `npm run <script>` the docs tell a reader to type must exist in the root package.json.
const scripts = Object.keys(
  (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: object }).scripts,
);

describe('npm scripts named in the docs', () => {
  for (const file of documentationFiles()) {
    it(`${file.path}: every npm run <script> exists`, () => {
      const named = commandLines(file.text).flatMap((line) =>
        [...line.matchAll(/\bnpm run ([\w:.-]+)/g)].map((m) => m[1] ?? ''),
      );
      const missing = named.filter((name) => !scripts.includes(name));
      expect(missing, `scripts named in ${file.path} but missing from package.json`).toEqual([]);
    });
  }

  it('npm start and npm test exist', () => {
    expect(scripts).toEqual(expect.arrayContaining(['start', 'test']));
  });
});
