import { createServer } from 'node:net';

export class ProcessModeError extends Error {
  override name = 'ProcessModeError';
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
