import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prometheus, PrometheusUnreachable, QueryError, ResultTooLarge } from './prometheus.ts';
import { MAX_UPSTREAM_BYTES } from './read-capped.ts';

const MiB = 1024 * 1024;

/** What the fake upstream sent of its last streamed answer, and whether the client hung up. */
let streamed = { bytes: 0, closedEarly: false };

/** Writes `total` bytes of a valid matrix answer, honouring back-pressure, until the client leaves. */
async function streamMatrix(res: ServerResponse, total: number): Promise<void> {
  streamed = { bytes: 0, closedEarly: false };
  res.writeHead(200, { 'content-type': 'application/json' });
  const series = JSON.stringify({
    metric: { __name__: 'big', pad: 'x'.repeat(200) },
    values: Array.from({ length: 250 }, (_, i) => [1_700_000_000 + i, '1']),
  });
  const send = (text: string) => {
    streamed.bytes += Buffer.byteLength(text);
    return res.write(text);
  };
  send('{"status":"success","data":{"resultType":"matrix","result":[');
  let first = true;
  while (streamed.bytes < total) {
    if (res.destroyed) {
      streamed.closedEarly = true;
      return;
    }
    if (!send(`${first ? '' : ','}${series}`)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done).off('close', done);
          resolve();
        };
        res.on('drain', done).on('close', done);
      });
    }
    first = false;
  }
  res.end(']}}');
}

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const query = url.searchParams.get('query') ?? '';
    if (url.pathname === '/api/v1/query_range' && query === 'huge') {
      void streamMatrix(res, 64 * MiB);
    } else if (url.pathname === '/api/v1/query_range' && query === 'declared') {
      res.writeHead(200, { 'content-length': String(3 * MiB) });
      res.end();
    } else if (url.pathname === '/api/v1/query_range' && query === 'small') {
      void streamMatrix(res, 100_000);
    } else if (url.pathname === '/api/v1/query' && query === 'bad(') {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"status":"error","errorType":"bad_data","error":"parse error"}');
    } else if (url.pathname === '/api/v1/series') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"success","data":[]}');
    } else {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('Prometheus client', () => {
  it('stops reading a result past 2 MiB, and the upstream stops sending', async () => {
    expect(MAX_UPSTREAM_BYTES).toBe(2 * MiB);
    const started = performance.now();
    const error = await new Prometheus(base).queryRange('huge', 0, 1, 1).catch((e) => e);
    const ms = performance.now() - started;
    expect(error).toBeInstanceOf(ResultTooLarge);
    expect(error.message).toBe(
      'the result is larger than 2 MiB, the most the dashboard reads from Prometheus',
    );
    await expect.poll(() => streamed.closedEarly).toBe(true);
    // What was in flight when the fetch was aborted: the cap plus socket buffers, not 64 MiB.
    expect(streamed.bytes).toBeLessThan(16 * MiB);
    console.info(`cap hit after ${ms.toFixed(0)} ms; upstream sent ${streamed.bytes} bytes`);
  });

  it('refuses a declared Content-Length over the cap without reading', async () => {
    await expect(new Prometheus(base).queryRange('declared', 0, 1, 1)).rejects.toBeInstanceOf(
      ResultTooLarge,
    );
  });

  it('reads results under the cap, and takes the cap as an option', async () => {
    const series = await new Prometheus(base).queryRange('small', 0, 1, 1);
    expect(series.length).toBeGreaterThan(1);
    expect(series[0]!.points).toHaveLength(250);
    await expect(new Prometheus(base, 5000, 50_000).queryRange('small', 0, 1, 1)).rejects.toThrow(
      'the result is larger than 50000 bytes',
    );
  });

  it('tells query errors and unreachable servers apart', async () => {
    await expect(new Prometheus(base).query('bad(')).rejects.toBeInstanceOf(QueryError);
    await expect(new Prometheus('http://127.0.0.1:9').query('up')).rejects.toBeInstanceOf(
      PrometheusUnreachable,
    );
    await expect(new Prometheus(base).alerts()).rejects.toThrow(/answered 404 without JSON/);
  });

  it('forwards a request with Prometheus status and body as they are', async () => {
    await expect(new Prometheus(base).forward('series', '?match[]=up')).resolves.toEqual({
      status: 200,
      body: '{"status":"success","data":[]}',
    });
    await expect(new Prometheus(base).forward('labels', '')).resolves.toEqual({
      status: 404,
      body: 'not found',
    });
  });
});
