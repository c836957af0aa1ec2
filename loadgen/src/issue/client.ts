import { Pool, type Dispatcher } from 'undici';
import type { PlannedRequest } from './routes.ts';

// One keep-alive connection pool per target (undici). Requests go through `dispatch` with a
// small handler rather than `request()`: it costs less per send and tells exactly when the
// request went on the wire (onRequestStart), which the uncorrected latency needs. Requests
// beyond the pool's connections wait in undici's queue; the run bounds how many are in
// flight in total, so that queue is bounded too.

export interface ClientOptions {
  /** Most keep-alive connections to the target; undici opens them as needed. */
  connections: number;
  /** Time allowed for headers and for the body, milliseconds. */
  timeoutMs: number;
}

export interface SendCallbacks {
  /** The request went on the wire (performance.now() ms). */
  sent(atMs: number): void;
  /** A full response arrived; `body` only when asked for. */
  response(status: number, body: string | undefined): void;
  /** No response: refused, reset, timed out, aborted. */
  failure(err: Error): void;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

export class TargetClient {
  readonly origin: string;
  readonly #prefix: string;
  readonly #pool: Pool;

  constructor(url: string, options: ClientOptions) {
    const parsed = new URL(url);
    this.origin = parsed.origin;
    // A target URL may carry a path prefix (behind a proxy); routes are appended to it.
    this.#prefix = parsed.pathname.replace(/\/+$/, '');
    this.#pool = new Pool(this.origin, {
      connections: options.connections,
      pipelining: 1,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      keepAliveTimeout: 30_000,
    });
  }

  send(request: PlannedRequest, wantBody: boolean, callbacks: SendCallbacks): void {
    let status = 0;
    let chunks: Buffer[] | undefined;
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart() {
        callbacks.sent(performance.now());
      },
      onResponseStart(_controller, statusCode) {
        status = statusCode;
        if (wantBody) chunks = [];
      },
      onResponseData(_controller, chunk) {
        chunks?.push(chunk);
      },
      onResponseEnd() {
        callbacks.response(status, chunks ? Buffer.concat(chunks).toString('utf8') : undefined);
      },
      onResponseError(_controller, err) {
        callbacks.failure(err);
      },
    };
    this.#pool.dispatch(
      {
        origin: this.origin,
        method: request.method,
        path: this.#prefix + request.path,
        ...(request.body === undefined ? {} : { body: request.body, headers: JSON_HEADERS }),
      },
      handler,
    );
  }

  /** A plain GET for setup (product ids), with the pool's timeouts. */
  async getText(path: string): Promise<{ status: number; text: string }> {
    const res = await this.#pool.request({ method: 'GET', path: this.#prefix + path });
    return { status: res.statusCode, text: await res.body.text() };
  }

  /**
   * Opens the pool's connections before the run (one concurrent GET per connection), so the
   * first sends do not pay for TCP set-up and the schedule starts on warm sockets.
   */
  async preconnect(connections: number, path = '/health'): Promise<void> {
    await Promise.all(
      Array.from({ length: connections }, async () => {
        const res = await this.#pool.request({ method: 'GET', path: this.#prefix + path });
        await res.body.dump();
      }),
    );
  }

  /** Closes idle connections and aborts what is still running. */
  async destroy(): Promise<void> {
    await this.#pool.destroy();
  }

  /** Waits for queued requests to finish, then closes. */
  async close(): Promise<void> {
    await this.#pool.close();
  }
}
