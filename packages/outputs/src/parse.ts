import { readFile } from 'node:fs/promises';
import { stackOutputsSchema, type StackOutputs } from './schema.ts';

/** Raised for outputs that cannot be used; `message` says where and how to fix it. */
export class StackOutputsError extends Error {
  override name = 'StackOutputsError';
}

/**
 * Parses stack outputs from JSON text. `source` names where the text came from (a file,
 * an environment variable) so the error can point at it.
 */
export function parseStackOutputs(text: string, source: string): StackOutputs {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new StackOutputsError(
      `${source}: not valid JSON (${(err as Error).message}). ` +
        'Expected the output of `pulumi stack output --json --show-secrets` or .run/<stack>/outputs.json.',
    );
  }
  return validateStackOutputs(raw, source);
}

/** Validates an already-parsed object against the stack-outputs schema. */
export function validateStackOutputs(raw: unknown, source: string): StackOutputs {
  const result = stackOutputsSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `  - ${formatPath(issue.path)}: ${issue.message}`,
    );
    throw new StackOutputsError(
      `${source}: not valid stack outputs:\n${problems.join('\n')}\n` +
        'Regenerate it with `npm start` (process mode) or `pulumi stack output --json --show-secrets`.',
    );
  }
  return result.data;
}

/** Reads and parses a stack-outputs file; a missing file gets a hint on how to make one. */
export async function readStackOutputs(path: string): Promise<StackOutputs> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new StackOutputsError(
        `${path}: no such file. Start the platform with \`npm start\` (it writes .run/<stack>/outputs.json), ` +
          "or save a Pulumi stack's outputs with `pulumi stack output --json --show-secrets > outputs.json`.",
      );
    }
    throw new StackOutputsError(`${path}: cannot read (${(err as Error).message})`);
  }
  return parseStackOutputs(text, path);
}

/** The conventional place process mode writes a stack's outputs. */
export function runOutputsPath(stack: string, runDir = '.run'): string {
  return `${runDir}/${stack}/outputs.json`;
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(root)';
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
    .join('.')
    .replace(/\.\[/g, '[');
}
