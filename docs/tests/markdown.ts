import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (docs/tests/ is two levels down). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface MarkdownFile {
  /** Path relative to the repository root, e.g. `docs/user-guide.md`. */
  path: string;
  text: string;
}

/** README.md and every Markdown file under docs/: the documentation the checks cover. */
export function documentationFiles(): MarkdownFile[] {
  const paths = ['README.md', ...walk(join(repoRoot, 'docs'))];
  return paths.map((path) => ({ path, text: readFileSync(join(repoRoot, path), 'utf8') }));
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(full);
    return entry.name.endsWith('.md') ? [relative(repoRoot, full)] : [];
  });
}

/** Markdown with fenced code blocks blanked out (links inside code are not links). */
export function withoutCodeBlocks(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, (block) => block.replace(/[^\n]/g, ' '));
}

/** The contents of every fenced block in a given language. */
export function codeBlocks(text: string, language: string): string[] {
  const fence = new RegExp('^```' + language + '\\s*\\n([\\s\\S]*?)^```', 'gm');
  return [...text.matchAll(fence)].map((m) => m[1] ?? '');
}

/** Every command line that appears in code (fenced blocks and inline spans). */
export function commandLines(text: string): string[] {
  const fenced = [...text.matchAll(/^```[a-z]*\s*\n([\s\S]*?)^```/gm)].flatMap((m) =>
    (m[1] ?? '').split('\n'),
  );
  const inline = [...withoutCodeBlocks(text).matchAll(/`([^`\n]+)`/g)].map((m) => m[1] ?? '');
  return [...fenced, ...inline].map((line) => line.replace(/\s+#.*$/, '').trim()).filter(Boolean);
}
