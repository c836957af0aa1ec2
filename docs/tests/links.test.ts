import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentationFiles, repoRoot, withoutCodeBlocks } from './markdown.ts';

// Every relative link and image in README.md and docs/ must point at a file that exists:
// a newcomer who clicks through the docs never meets a dead end.
describe('documentation links', () => {
  for (const file of documentationFiles()) {
    it(`${file.path}: every relative link and image resolves`, () => {
      const targets = [
        ...withoutCodeBlocks(file.text).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g),
      ]
        .map((m) => m[1] ?? '')
        .filter((target) => !/^(https?:|mailto:|#)/.test(target));
      const missing = targets.filter((target) => {
        const path = decodeURIComponent(target.split('#')[0] ?? '');
        return !existsSync(join(repoRoot, dirname(file.path), path));
      });
      expect(missing, `dead links in ${file.path}`).toEqual([]);
    });
  }
});
