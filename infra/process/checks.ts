import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

export class ProcessModeError extends Error {
  override name = 'ProcessModeError';
}

/** The Debian package that provides each binary process mode runs. */
const PACKAGES: Record<string, string> = {
  prometheus: 'prometheus',
  'prometheus-alertmanager': 'prometheus-alertmanager',
};

/** Absolute path of a binary on PATH, or null. */
export function which(binary: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** Resolves required binaries, failing with the command that installs the missing ones. */
export function requireBinaries(binaries: string[]): Record<string, string> {
  const found: Record<string, string> = {};
  const missing: string[] = [];
  for (const binary of binaries) {
    const path = which(binary);
    if (path) found[binary] = path;
    else missing.push(binary);
  }
  if (missing.length > 0) {
    const packages = missing.map((b) => PACKAGES[b] ?? b).join(' ');
    throw new ProcessModeError(
      `missing ${missing.join(', ')} on PATH. Install with: sudo apt-get install -y --no-install-recommends ${packages}` +
        ' (or run bash scripts/setup.sh)',
    );
  }
  return found;
}

/** Resolves when the port can be bound on 127.0.0.1, else rejects. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Fails naming every port in use and the stack key that sets it. */
export async function requirePortsFree(ports: Array<{ port: number; key: string }>): Promise<void> {
  const busy: string[] = [];
  for (const { port, key } of ports)
    if (!(await portFree(port))) busy.push(`port ${port} (${key})`);
  if (busy.length > 0) {
    throw new ProcessModeError(
      `in use: ${busy.join(', ')}. Stop what uses them, change those keys in the stack file, ` +
        'or shift every port with `npm start -- --port-offset N`.',
    );
  }
}

/** Polls a URL until it answers 2xx; rejects after `timeoutMs` naming the part. */
export async function waitHealthy(
  name: string,
  url: string,
  timeoutMs = 20_000,
  isAlive?: () => boolean,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (isAlive && !isAlive()) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new ProcessModeError(
    `${name} did not become healthy at ${url} within ${timeoutMs / 1000} s; see its log`,
  );
}
