import { createWriteStream, renameSync, statSync, type WriteStream } from 'node:fs';

/**
 * An append-only log file bounded in size: past `maxBytes` it is renamed to `<file>.1`
 * (replacing the previous one) and a new file starts, so a chatty child never fills the disk.
 */
export class BoundedLog {
  readonly path: string;
  readonly #maxBytes: number;
  #stream: WriteStream;
  #size: number;
  #closed = false;

  constructor(path: string, maxBytes = 5 * 1024 * 1024) {
    this.path = path;
    this.#maxBytes = maxBytes;
    this.#size = sizeOf(path);
    this.#stream = createWriteStream(path, { flags: 'a' });
  }

  write(chunk: Buffer | string): void {
    // A child's last output can arrive after its exit, once the log is closed: drop it
    // rather than throw (an unhandled stream error would end the supervisor).
    if (this.#closed) return;
    const bytes = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (this.#size + bytes > this.#maxBytes && this.#size > 0) this.#rotate();
    this.#stream.write(chunk);
    this.#size += bytes;
  }

  close(): Promise<void> {
    this.#closed = true;
    return new Promise((resolve) => this.#stream.end(resolve));
  }

  #rotate(): void {
    this.#stream.end();
    renameSync(this.path, `${this.path}.1`);
    this.#stream = createWriteStream(this.path, { flags: 'a' });
    this.#size = 0;
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
