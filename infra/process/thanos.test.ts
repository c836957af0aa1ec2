import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStackConfigFile } from '../config.ts';
import { startPlatform, type RunningPlatform } from './platform.ts';
import {
  eventually,
  fastIntervals,
  findPortOffset,
  promQuery,
  startTraffic,
} from './test-support.ts';

// Long-term storage for real: Prometheus cuts one-minute blocks and keeps them two minutes; the
// sidecar uploads each to the filesystem bucket; the Store Gateway serves them, so Thanos Query
// still answers for minutes Prometheus no longer holds. Takes about four minutes.

const ROOT = join(import.meta.dirname, '..', '..');
let platform: RunningPlatform;
let stopTraffic: () => void = () => {};
const started = Date.now() / 1000;

beforeAll(async () => {
  const offset = await findPortOffset(readStackConfigFile('local', ROOT));
  platform = await startPlatform({
    stack: 'local',
    portOffset: offset,
    runDir: mkdtempSync(join(tmpdir(), 'outpost-thanos-')),
    overrides: (config) => {
      const fast = fastIntervals(config);
      const cp = fast.controlPlane!;
      return {
        ...fast,
        controlPlane: {
          ...cp,
          retention: '2m',
          thanos: { ...cp.thanos, blockDuration: '1m', syncInterval: '10s' },
        },
      };
    },
    dashboard: false,
  });
  stopTraffic = startTraffic(platform.outputs.dataPlanes.map((dp) => dp.apiUrl));
}, 90_000);

afterAll(async () => {
  stopTraffic();
  await platform?.stop();
});

/** Samples of the first minute of the run that a query server answers with. */
async function firstMinute(url: string): Promise<number> {
  const q = `${url}/api/v1/query_range?query=${encodeURIComponent('sum(up{job="prometheus"})')}&start=${started + 20}&end=${started + 60}&step=5`;
  const body = (await fetch(q).then((r) => r.json())) as {
    data: { result: Array<{ values: unknown[] }> };
  };
  return body.data.result[0]?.values.length ?? 0;
}

describe('Thanos long-term storage', () => {
  it('uploads blocks to the bucket and serves them after Prometheus dropped them', async () => {
    const bucket = join(platform.runDir, 'volumes', 'bucket');
    await eventually(
      'a block uploaded to the bucket',
      async () =>
        existsSync(bucket) &&
        readdirSync(bucket).some((d) => existsSync(join(bucket, d, 'meta.json'))),
      240_000,
    );
    const prometheus = platform.outputs.prometheusUrl!;
    // Retention lets Prometheus drop the first minute...
    await eventually(
      'Prometheus to have dropped the first minute',
      async () => (await firstMinute(prometheus)) === 0,
      300_000,
    );
    // ...which Thanos Query still serves, from the Store Gateway.
    expect(await firstMinute(platform.outputs.queryUrl!)).toBeGreaterThanOrEqual(8);
    const loaded = await promQuery(
      platform.outputs.queryUrl!,
      'max(thanos_bucket_store_blocks_loaded)',
    );
    expect(Number(loaded[0]?.value[1])).toBeGreaterThan(0);
  }, 600_000);
});
