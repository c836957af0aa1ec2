import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandLines, documentationFiles, repoRoot } from './markdown.ts';

// Every flag of the load generator and of `npm start` that the docs show must be one the CLI
// accepts: each CLI's --help lists its flags, and a flag the docs name must appear there.
const helpOf = (script: string) =>
  execFileSync(process.execPath, [join(repoRoot, script), '--help'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

const clis = [
  {
    name: 'npm run loadgen',
    pattern: /npm run loadgen\b(.*)$/,
    help: helpOf('loadgen/src/cli.ts'),
  },
  { name: 'npm start', pattern: /npm start\b(.*)$/, help: helpOf('infra/process/cli.ts') },
];

describe('CLI flags named in the docs', () => {
  for (const cli of clis) {
    it(`${cli.name}: --help lists flags`, () => {
      expect(cli.help).toMatch(/--\w/);
    });
    for (const file of documentationFiles()) {
      it(`${file.path}: every ${cli.name} flag is accepted`, () => {
        const flags = commandLines(file.text).flatMap((line) => {
          const args = cli.pattern.exec(line)?.[1] ?? '';
          return [...args.matchAll(/(?:^|\s)(--?[a-z][\w-]*)/g)].map((m) => m[1]!);
        });
        const unknown = flags.filter(
          (flag) => flag !== '--' && !new RegExp(`(^|[\\s,])${flag}\\b`).test(cli.help),
        );
        expect(unknown, `flags in ${file.path} that ${cli.name} does not list`).toEqual([]);
      });
    }
  }
});
