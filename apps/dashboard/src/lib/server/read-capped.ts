/**
 * The most the dashboard reads of one Prometheus answer: 2 MiB. Prometheus's query API has no
 * limit on how much a query returns, and every answer is held in memory while it is parsed, so
 * the cap is on the bytes read (after decompression). The explore page's largest useful answer,
 * 50 series of 250 points, is about 0.85 MB; 2 MiB is room for about 120 such series.
 */
export const MAX_UPSTREAM_BYTES = 2 * 1024 * 1024;

export class BodyTooLarge extends Error {
  override name = 'BodyTooLarge';
  readonly limitBytes: number;

  constructor(limitBytes: number) {
    super(`the answer is larger than ${limitBytes} bytes`);
    this.limitBytes = limitBytes;
  }
}

/**
 * Reads a response body as text, at most `maxBytes` of it. Past the cap it calls `abort` (which
 * should abort the fetch, so the upstream stops sending), cancels the stream and throws
 * BodyTooLarge; a declared Content-Length over the cap is refused before reading anything.
 */
export async function readCapped(
  response: Response,
  maxBytes: number,
  abort: () => void,
): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (!response.headers.has('content-encoding') && declared > maxBytes) {
    abort();
    await response.body?.cancel().catch(() => {});
    throw new BodyTooLarge(maxBytes);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      abort();
      await reader.cancel().catch(() => {});
      throw new BodyTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
