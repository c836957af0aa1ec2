import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * The Go-built programs a real engine run needs, by the tool file that builds each
 * (scripts/go-tools/<tool>.sh). No `pulumi-language-nodejs`: its module is not served here, so
 * the program runs as an Automation API inline program, whose language host is the SDK's own
 * (infra/engine/run-stack.ts).
 */
export const ENGINE_BINARIES = {
  pulumi: 'pulumi',
  'pulumi-resource-kubernetes': 'pulumi_kubernetes',
} as const;
/** The binaries that check what the manifests carry. */
export const CHECK_BINARIES = { promtool: 'prometheus', amtool: 'alertmanager' } as const;

export type Binary = keyof typeof ENGINE_BINARIES | keyof typeof CHECK_BINARIES;

/** A binary that is not built: names the command that builds it. */
export class MissingToolError extends Error {
  readonly missing: Array<{ binary: string; tool: string }>;

  constructor(missing: Array<{ binary: string; tool: string }>) {
    const tools = [...new Set(missing.map((m) => m.tool))].join(' ');
    super(
      `${missing.map((m) => m.binary).join(', ')} not built at the versions config/versions.env pins: ` +
        `run \`bash scripts/setup-go-tools.sh ${tools}\` (or bash scripts/setup-go-tools.sh for every tool)`,
    );
    this.name = 'MissingToolError';
    this.missing = missing;
  }
}

/** The folders of the built tools at their pinned versions (scripts/setup-go-tools.sh --path). */
export function toolDirs(): string[] {
  return execFileSync('bash', [join(REPO_ROOT, 'scripts/setup-go-tools.sh'), '--path'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
    .trim()
    .split(delimiter)
    .filter(Boolean);
}

/** Absolute paths of the binaries, or a MissingToolError naming every one that is missing. */
export function findBinaries<B extends Binary>(names: readonly B[]): Record<B, string> {
  const dirs = toolDirs();
  const tools: Record<string, string> = { ...ENGINE_BINARIES, ...CHECK_BINARIES };
  const found = {} as Record<B, string>;
  const missing: Array<{ binary: string; tool: string }> = [];
  for (const name of names) {
    const path = dirs.map((d) => join(d, name)).find(executable);
    if (path) found[name] = path;
    else missing.push({ binary: name, tool: tools[name]! });
  }
  if (missing.length > 0) throw new MissingToolError(missing);
  return found;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
