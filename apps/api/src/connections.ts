import { readFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';

// One client must not be able to take the API down by holding connections open: every
// connection costs a file descriptor, and at the fd limit the process could not even read its
// own memory use. So connections are capped below the limit, idle and slow ones are closed
// within seconds, and a small reserve keeps health probes answering at the cap.

/** Connections accepted beyond API_MAX_CONNECTIONS for health probes; past it, refused. */
export const PROBE_RESERVE = 16;
/** File descriptors kept for the process itself: stdio, event loop, exporters, files. */
export const FD_HEADROOM = 64;
/** A connection in the probe reserve must send its request within this, milliseconds. */
export const RESERVE_IDLE_MS = 1000;
/** How often node checks connections against the client timeout, milliseconds. */
const CONNECTIONS_CHECK_MS = 1000;

export interface ListenerOptions {
  keepAliveTimeoutMs: number;
  clientTimeoutMs: number;
}

/**
 * The node HTTP server hapi listens with: idle keep-alive connections close after
 * `keepAliveTimeoutMs`; a client that has not sent its whole request within `clientTimeoutMs`
 * (a connection that sends nothing included) is answered 400 by hapi and closed.
 */
export function createListener({ keepAliveTimeoutMs, clientTimeoutMs }: ListenerOptions) {
  return createServer({
    keepAliveTimeout: keepAliveTimeoutMs,
    headersTimeout: clientTimeoutMs,
    requestTimeout: clientTimeoutMs,
    connectionsCheckingInterval: CONNECTIONS_CHECK_MS,
  });
}

/**
 * Counts connections on a listener. The first `maxConnections` are served; the next
 * PROBE_RESERVE are accepted for health probes only (the shedding plugin answers anything else
 * with 503, and closes them after one response or RESERVE_IDLE_MS idle); node refuses the rest.
 */
export class ConnectionGuard {
  readonly maxConnections: number;
  #open = 0;
  #refused = 0;
  readonly #reserve = new WeakSet<Socket>();

  constructor(
    listener: HttpServer,
    maxConnections: number,
    onError: (err: Error) => void = logListenerError,
  ) {
    this.maxConnections = maxConnections;
    listener.maxConnections = maxConnections + PROBE_RESERVE;
    listener.on('drop', () => {
      this.#refused += 1;
    });
    listener.on('connection', (socket: Socket) => {
      this.#open += 1;
      socket.once('close', () => {
        this.#open -= 1;
      });
      if (this.#open > maxConnections) {
        this.#reserve.add(socket);
        socket.setTimeout(RESERVE_IDLE_MS, () => socket.destroy());
      }
    });
    // accept() can still fail at the fd limit (other files, other ports): node reports it as an
    // 'error' on the listener, which would end the process if nobody listened. While starting,
    // hapi's own handler reports errors such as EADDRINUSE.
    listener.on('error', (err) => {
      if (listener.listening) onError(err);
    });
  }

  /** Connections open now. */
  get open(): number {
    return this.#open;
  }

  /** Connections refused at the cap since start. */
  get refused(): number {
    return this.#refused;
  }

  /** True for a connection taken beyond API_MAX_CONNECTIONS, in the probe reserve. */
  inReserve(socket: Socket | undefined): boolean {
    return socket !== undefined && this.#reserve.has(socket);
  }
}

let lastErrorLog = 0;
let errorsSinceLog = 0;

/** One JSON line on stderr per second at most: accept() may fail for every connection. */
function logListenerError(err: Error): void {
  errorsSinceLog += 1;
  const now = Date.now();
  if (now - lastErrorLog < 1000) return;
  process.stderr.write(
    JSON.stringify({
      time: new Date(now).toISOString(),
      level: 'warn',
      msg: 'listener error',
      error: err.message,
      count: errorsSinceLog,
    }) + '\n',
  );
  lastErrorLog = now;
  errorsSinceLog = 0;
}

/** The soft limit on open files (Linux `/proc/self/limits`); null where it cannot be read. */
export function openFileLimit(
  read: () => string = () => readFileSync('/proc/self/limits', 'utf8'),
): number | null {
  let text: string;
  try {
    text = read();
  } catch {
    return null;
  }
  const soft = /^Max open files\s+(\S+)/m.exec(text)?.[1];
  return soft && /^\d+$/.test(soft) ? Number(soft) : null;
}

/**
 * API_MAX_CONNECTIONS lowered, if needed, to what the open-file limit can hold beside the probe
 * reserve and the process's own files (at least 1).
 */
export function connectionLimit(configured: number, fdLimit: number | null): number {
  if (fdLimit === null) return configured;
  return Math.max(1, Math.min(configured, fdLimit - FD_HEADROOM - PROBE_RESERVE));
}
