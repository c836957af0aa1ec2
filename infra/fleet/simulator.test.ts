import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METRICS } from '@outpost/outputs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goBinary } from '../process/binaries.ts';
import { fleetPlanes } from './planes.ts';
import { parseExposition, runNode, startNode, type Sample, type Started } from './testing.ts';

// The simulator as process mode runs it: a child process with three planes, scraped over HTTP.

const SIMULATOR = join(import.meta.dirname, 'simulator.ts');
const planes = fleetPlanes(3);
const dir = mkdtempSync(join(tmpdir(), 'outpost-fleet-'));
const fleetFile = join(dir, 'fleet.json');
writeFileSync(fleetFile, JSON.stringify(planes));

let simulator: Started;
let base: string;

beforeAll(async () => {
  simulator = await startNode(
    [SIMULATOR],
    { HOST: '127.0.0.1', PORT: '0', FLEET_FILE: fleetFile, FLEET_SEED: '7' },
    /planes on (http:\/\/\S+) /,
  );
  base = simulator.match[1]!;
});

afterAll(async () => {
  expect(await simulator.stop()).toBe(0);
});

const scrape = async (id: string) => {
  const res = await fetch(`${base}/planes/${id}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4');
  return res.text();
};

/** The promtool the images ship, or null while it is not built on this machine. */
function promtool(): string | null {
  try {
    return goBinary('promtool');
  } catch {
    return null;
  }
}

describe('the simulator, three planes', () => {
  it('serves every contract series for each plane', async () => {
    for (const plane of planes) {
      const names = new Set(parseExposition(await scrape(plane.id)).map((s) => s.name));
      for (const spec of Object.values(METRICS)) {
        const expected =
          spec === METRICS.requestDuration
            ? ['_bucket', '_sum', '_count'].map((suffix) => `${spec.prometheus}${suffix}`)
            : [spec.prometheus];
        for (const name of expected) expect(names, `${plane.id} ${name}`).toContain(name);
      }
    }
  });

  it('serves expositions that promtool check metrics accepts', async (ctx) => {
    const binary = promtool();
    if (!binary) {
      ctx.skip(
        'promtool is not built yet (bash scripts/setup-go-tools.sh prometheus): the exposition was not checked by promtool',
      );
      return;
    }
    for (const plane of planes) {
      // Exit 0 and no output: no parse error and no lint problem.
      const out = execFileSync(binary, ['check', 'metrics'], {
        input: await scrape(plane.id),
        encoding: 'utf8',
      });
      expect(out.trim(), plane.id).toBe('');
    }
  });

  it('shows counters grown a few seconds later, none gone down', async () => {
    const counters = (samples: Sample[]) =>
      new Map(
        samples
          .filter((s) => /_(total|bucket|sum|count)$/.test(s.name))
          .map((s) => [`${s.name}${JSON.stringify(s.labels)}`, s.value]),
      );
    const first = await Promise.all(
      planes.map(async (p) => counters(parseExposition(await scrape(p.id)))),
    );
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const second = await Promise.all(
      planes.map(async (p) => counters(parseExposition(await scrape(p.id)))),
    );
    let requestsGrown = 0;
    planes.forEach((plane, i) => {
      for (const [key, before] of first[i]!) {
        expect(second[i]!.get(key), `${plane.id} ${key}`).toBeGreaterThanOrEqual(before);
        if (key.startsWith(`${METRICS.requestDuration.prometheus}_count`))
          requestsGrown += second[i]!.get(key)! - before;
      }
      const cpu = `${METRICS.processCpuTime.prometheus}{"cpu_mode":"user","otel_scope_name":"@outpost/api","otel_scope_version":"0.1.0"}`;
      expect(second[i]!.get(cpu), `${plane.id} CPU time`).toBeGreaterThan(first[i]!.get(cpu)!);
    });
    expect(requestsGrown).toBeGreaterThan(0);
  });

  it('answers health and readiness for each plane as simulated', async () => {
    for (const plane of planes) {
      for (const endpoint of ['health', 'ready']) {
        const res = await fetch(`${base}/planes/${plane.id}/${endpoint}`);
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ status: 'ok', simulated: true });
      }
    }
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('answers 404 with a JSON error for an unknown plane or path, 405 for other methods', async () => {
    for (const path of [
      '/planes/cust-999-prod-01/metrics',
      '/planes/cust-001-prod-01/other',
      '/metrics',
      '/',
    ]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(await res.json()).toHaveProperty('error');
    }
    const post = await fetch(`${base}/healthz`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('the simulator, misconfigured', () => {
  it.each([
    [{ PORT: 'http' }, /PORT must be a port number/],
    [{ FLEET_SEED: 'x' }, /FLEET_SEED must be an integer/],
    [{ FLEET_FILE: join(dir, 'missing.json') }, /FLEET_FILE .*missing\.json cannot be read/],
  ])('exits 2 on %j, naming the variable', async (env, message) => {
    const run = await runNode([SIMULATOR], {
      HOST: '127.0.0.1',
      PORT: '0',
      FLEET_FILE: fleetFile,
      ...env,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('exits 2 when PORT is taken', async () => {
    const port = new URL(base).port;
    const run = await runNode([SIMULATOR], {
      HOST: '127.0.0.1',
      PORT: port,
      FLEET_FILE: fleetFile,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`PORT ${port}: EADDRINUSE`));
  });
});
