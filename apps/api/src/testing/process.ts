import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

/** A free TCP port on 127.0.0.1 (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface ApiProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

export interface StartOptions {
  /** Soft limit on open files for the process (`ulimit -n`), e.g. to prove it survives a flood. */
  openFiles?: number;
  /** The program to run: main.ts by default, or a bundle (apps/api/build.ts). */
  main?: string;
  /** Its working directory. */
  cwd?: string;
}

/** Starts main.ts (or options.main) as a real process and waits until /ready answers 200. */
export async function startApi(
  env: Record<string, string>,
  options: StartOptions = {},
): Promise<ApiProcess> {
  const port = await freePort();
  const main = options.main ?? MAIN;
  const [command, args] =
    options.openFiles === undefined
      ? [process.execPath, [main]]
      : [
          'bash',
          ['-c', `ulimit -n ${options.openFiles} && exec "$0" "$1"`, process.execPath, main],
        ];
  const child = spawn(command, args, {
    ...(options.cwd ? { cwd: options.cwd } : {}),
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i += 1) {
    const ok = await fetch(`${url}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { child, url, output: () => output, exited };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`API did not become ready:\n${output}`);
}
