import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { Program } from '../plan/types.ts';
import { ProcessModeError } from './checks.ts';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/** The Go tool (scripts/go-tools/<tool>.sh) that builds each binary, and the binary's name. */
const GO_BINARIES = {
  otelcol: { tool: 'otelcol', binary: 'otelcol-outpost' },
  prometheus: { tool: 'prometheus', binary: 'prometheus' },
  promtool: { tool: 'prometheus', binary: 'promtool' },
  thanos: { tool: 'thanos', binary: 'thanos' },
  alertmanager: { tool: 'alertmanager', binary: 'alertmanager' },
  amtool: { tool: 'alertmanager', binary: 'amtool' },
} as const;
export type GoBinary = keyof typeof GO_BINARIES;

/** The tool folders by OUTPOST_GO_TOOLS_DIR (the setup script's root, when set). */
const toolDirs = new Map<string, string[]>();

/**
 * Absolute path of a Go-built binary at the version config/versions.env pins (the versions the
 * images ship). Missing: an error saying which setup command builds it.
 */
export function goBinary(name: GoBinary): string {
  const root = process.env.OUTPOST_GO_TOOLS_DIR ?? '';
  if (!toolDirs.has(root))
    toolDirs.set(
      root,
      execFileSync('bash', [join(REPO_ROOT, 'scripts/setup-go-tools.sh'), '--path'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      })
        .trim()
        .split(delimiter)
        .filter(Boolean),
    );
  const { tool, binary } = GO_BINARIES[name];
  for (const dir of toolDirs.get(root)!) {
    const candidate = join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this tool's folder
    }
  }
  throw new ProcessModeError(
    `${binary} (at the version config/versions.env pins) is not built: run \`bash scripts/setup-go-tools.sh ${tool}\` ` +
      '(or bash scripts/setup.sh, which builds every tool once per machine)',
  );
}

/**
 * The API as its image runs it: one bundled file (apps/api/build.ts), rebuilt first when a source
 * it was built from has changed since, so `npm start` never runs stale code. Once per process.
 */
let apiBundle: string | undefined;
function builtApi(): string {
  if (apiBundle) return apiBundle;
  try {
    execFileSync(process.execPath, [join(REPO_ROOT, 'apps/api/build.ts'), '--if-stale'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (err) {
    const stderr = String((err as { stderr?: Buffer }).stderr ?? err).trim();
    throw new ProcessModeError(
      `the API does not build (node apps/api/build.ts): ${stderr}\nFix the error above, then start again.`,
    );
  }
  return (apiBundle = join(REPO_ROOT, 'apps/api/dist/main.mjs'));
}

/** The other apps of this repository, run from source with the Node that runs process mode. */
const APPS = {
  dashboard: join(REPO_ROOT, 'apps/dashboard/serve.js'),
  'fleet-simulator': join(REPO_ROOT, 'infra/fleet/simulator.ts'),
};

/** How process mode runs a program: the binary and the arguments before the plan's own. */
export function commandOf(program: Program): { command: string; args: string[] } {
  switch (program) {
    case 'api':
      return { command: process.execPath, args: [builtApi()] };
    case 'alert-receiver': // the plan's args name the script it mounts
      return { command: process.execPath, args: [] };
    case 'dashboard':
    case 'fleet-simulator':
      return { command: process.execPath, args: [APPS[program]] };
    case 'otelcol':
    case 'prometheus':
    case 'thanos':
    case 'alertmanager':
      return { command: goBinary(program), args: [] };
  }
}

/** Whether the dashboard has been built (`npm run build -w @outpost/dashboard`). */
export function dashboardBuilt(): boolean {
  try {
    accessSync(join(REPO_ROOT, 'apps/dashboard/build/index.js'), constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
