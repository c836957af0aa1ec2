import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunStatus } from '../report/status.ts';
import { startControlServer, type Controllable } from './server.ts';

// The control endpoint on its own, with a run double that records every rate it is given
// (a request the endpoint refuses must never reach the run).

const STATUS = { state: 'running', targetRate: 50 } as RunStatus;

class RunDouble implements Controllable {
  readonly rates: number[] = [];
  status(): RunStatus {
    return STATUS;
  }
  setRate(rate: number): void {
    this.rates.push(rate);
  }
}

let run: RunDouble;
let control: { port: number; close(): Promise<void> };
beforeEach(async () => {
  run = new RunDouble();
  control = await startControlServer(run, 0);
});
afterEach(() => control.close());

/** A raw request (fetch cannot set Host), answered as status and parsed JSON. */
function call(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; json: { error?: string } & Partial<RunStatus> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: control.port, method, path, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as never }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('who may talk to the control endpoint', () => {
  it('answers requests addressed to 127.0.0.1:<port> or localhost:<port>', async () => {
    expect((await call('GET', '/status')).status).toBe(200);
    expect((await call('GET', '/status', { host: `localhost:${control.port}` })).status).toBe(200);
    expect((await call('GET', '/status', { host: `LocalHost:${control.port}` })).status).toBe(200);
  });

  it('refuses another Host (DNS rebinding) with 421, before the rate reaches the run', async () => {
    const rebound = await call(
      'PUT',
      '/rate',
      { host: `attacker.example:${control.port}` },
      '{"rate": 5000}',
    );
    expect(rebound.status).toBe(421);
    expect(rebound.json.error).toMatch(
      new RegExp(
        `Host 'attacker.example:${control.port}' is not this endpoint.*127\\.0\\.0\\.1:${control.port}`,
      ),
    );
    expect(run.rates).toEqual([]);
    // The right name on another port is another endpoint too.
    expect((await call('GET', '/status', { host: 'localhost:1' })).status).toBe(421);
  });

  it('refuses requests a web page of another origin sends (403)', async () => {
    const page = await call('PUT', '/rate', { origin: 'http://attacker.example' }, '{"rate": 9}');
    expect(page.status).toBe(403);
    expect(page.json.error).toMatch(/Origin 'http:\/\/attacker\.example'/);
    expect(run.rates).toEqual([]);
    const own = await call(
      'PUT',
      '/rate',
      { origin: `http://127.0.0.1:${control.port}` },
      '{"rate": 9}',
    );
    expect(own.status).toBe(200);
    expect(run.rates).toEqual([9]);
  });
});

describe('PUT /rate', () => {
  it.each([
    ['{"rate": -5}', '-5'],
    ['{"rate": 0}', '0'],
    ['{"rate": 100001}', '100001'],
    ['{"rate": 1e400}', 'Infinity'],
    ['{"rate": "200"}', '"200"'],
    ['{"rate": null}', 'null'],
    ['{"speed": 200}', 'none'],
    ['null', 'none'],
  ])('%s: 400 naming the field and the accepted range', async (body, got) => {
    const res = await call('PUT', '/rate', {}, body);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe(
      `rate: must be a number > 0 and <= 100000 (req/s), e.g. {"rate": 200}; got ${got}`,
    );
    expect(run.rates).toEqual([]);
  });

  it('not JSON: 400; the bounds themselves are accepted', async () => {
    expect((await call('PUT', '/rate', {}, 'rate=5')).status).toBe(400);
    expect((await call('PUT', '/rate', {}, '{"rate": 100000}')).status).toBe(200);
    expect((await call('PUT', '/rate', {}, '{"rate": 0.5}')).status).toBe(200);
    expect(run.rates).toEqual([100000, 0.5]);
  });
});
