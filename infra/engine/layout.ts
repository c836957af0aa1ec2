import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { parse, stringify } from 'yaml';
import { REPO_ROOT } from './tools.ts';

/**
 * Where a real engine run keeps everything, all under the git-ignored `.run/`: the engine's
 * home (no plugin is ever installed there), a file backend, a generated passphrase, a project
 * folder with copies of Pulumi.yaml and of the stack files (the engine writes salts and
 * `secure:` values into them: the committed files stay untouched) and the rendered manifests.
 */
export interface EngineLayout {
  repo: string;
  /** `.run/pulumi` */
  root: string;
  /** PULUMI_HOME */
  home: string;
  /** The file backend (PULUMI_BACKEND_URL=file://...). */
  state: string;
  /** PULUMI_CONFIG_PASSPHRASE_FILE */
  passphraseFile: string;
  /** The Automation API's work dir: Pulumi.yaml and the stack files, copied. */
  project: string;
  /** The engine's output of each step. */
  logs: string;
  /** What a finished render leaves: render.json (see render.ts). */
  summaryFile: string;
}

export function engineLayout(repo = REPO_ROOT): EngineLayout {
  const root = join(repo, '.run', 'pulumi');
  return {
    repo,
    root,
    home: join(root, 'home'),
    state: join(root, 'state'),
    passphraseFile: join(root, 'passphrase'),
    project: join(root, 'project'),
    logs: join(root, 'logs'),
    summaryFile: join(root, 'render.json'),
  };
}

/** The copy of a stack file the engine reads and writes (`--config-file`). */
export const configFile = (layout: EngineLayout, stack: string) =>
  join(layout.project, `Pulumi.${stack}.yaml`);

/** Where the program's Kubernetes provider renders a stack's YAML (`outpost:renderYamlTo`). */
export const manifestsDir = (layout: EngineLayout, stack: string) =>
  join(layout.repo, '.run', 'manifests', stack);

/**
 * Starts a first setup from nothing: no state, fresh copies of the stack files, no manifests.
 * The passphrase is made once and kept (it only guards state under `.run/`).
 */
export function prepareLayout(layout: EngineLayout, stacks: string[]): void {
  for (const dir of [layout.state, layout.project, layout.logs, join(layout.root, 'checks')])
    rmSync(dir, { recursive: true, force: true });
  rmSync(layout.summaryFile, { force: true });
  for (const stack of stacks) rmSync(manifestsDir(layout, stack), { recursive: true, force: true });
  for (const dir of [layout.home, layout.state, layout.project, layout.logs])
    mkdirSync(dir, { recursive: true });
  if (!existsSync(layout.passphraseFile))
    writeFileSync(layout.passphraseFile, `${randomBytes(32).toString('base64url')}\n`, {
      mode: 0o600,
    });
  // Pulumi.yaml as it is, `main` pointing back at the program (an inline program runs it, but
  // the engine still resolves the program's folder from it).
  const project = parse(readFileSync(join(layout.repo, 'Pulumi.yaml'), 'utf8')) as {
    main?: string;
  };
  if (project.main) project.main = relative(layout.project, join(layout.repo, project.main));
  writeFileSync(
    join(layout.project, 'Pulumi.yaml'),
    `# Copied by infra/engine/layout.ts from Pulumi.yaml for a render run; do not edit.\n${stringify(project)}`,
  );
  for (const stack of stacks)
    copyFileSync(join(layout.repo, `Pulumi.${stack}.yaml`), configFile(layout, stack));
}

/**
 * The environment of every engine command: the Go-built binaries first on PATH (the engine finds
 * the provider there: no plugin download, ever), the engine's home and backend under `.run/`.
 */
export function engineEnv(layout: EngineLayout, binDirs: string[]): NodeJS.ProcessEnv {
  // Nothing of a developer's own Pulumi setup leaks in (a passphrase, a cloud login).
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('PULUMI_')),
  );
  return {
    ...inherited,
    PATH: [...binDirs, process.env.PATH ?? ''].join(':'),
    PULUMI_HOME: layout.home,
    PULUMI_BACKEND_URL: `file://${layout.state}`,
    PULUMI_CONFIG_PASSPHRASE_FILE: layout.passphraseFile,
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    PULUMI_SKIP_CONFIRMATIONS: 'true',
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: 'true',
  };
}

/** The pid of a render holding `.run/pulumi/lock`, if that process still runs. */
export function renderHolder(layout: EngineLayout): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(join(layout.root, 'lock'), 'utf8'));
  } catch {
    return null;
  }
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null; // left by a render that died
  }
}

/** Waits until no other render holds the lock (polling; renders take seconds). */
export async function waitForRender(
  layout: EngineLayout,
  onWait: (pid: number) => void = () => {},
): Promise<void> {
  let told = false;
  for (let pid = renderHolder(layout); pid !== null; pid = renderHolder(layout)) {
    if (!told) onWait(pid);
    told = true;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * Runs `fn` holding `.run/pulumi/lock` (a file holding the pid, made atomically with a hard
 * link): one render at a time per checkout, since two would wipe each other's state. Waits for
 * a live holder; takes over a lock whose process is gone.
 */
export async function withRenderLock<T>(
  layout: EngineLayout,
  fn: () => Promise<T>,
  onWait?: (pid: number) => void,
): Promise<T> {
  const lock = join(layout.root, 'lock');
  const mine = `${lock}.${process.pid}`;
  mkdirSync(layout.root, { recursive: true });
  writeFileSync(mine, String(process.pid));
  try {
    for (;;) {
      try {
        linkSync(mine, lock);
        break;
      } catch {
        await waitForRender(layout, onWait);
        if (renderHolder(layout) === null) rmSync(lock, { force: true }); // its render died
      }
    }
  } finally {
    rmSync(mine, { force: true });
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}
