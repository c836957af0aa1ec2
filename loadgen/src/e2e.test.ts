import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStackConfigFile } from '../../infra/config.ts';
import { startPlatform, type RunningPlatform } from '../../infra/process/platform.ts';
import {
  eventually,
  fastIntervals,
  findPortOffset,
  promQuery,
} from '../../infra/process/test-support.ts';

// The load generator against the real platform: the APIs of process mode, its outputs file,
// and Prometheus counting what was sent.
const CLI = join(import.meta.dirname, 'cli.ts');
let platform: RunningPlatform;

beforeAll(async () => {
  const root = join(import.meta.dirname, '..', '..');
  platform = await startPlatform({
    stack: 'local',
    portOffset: await findPortOffset(readStackConfigFile('local', root)),
    runDir: mkdtempSync(join(tmpdir(), 'outpost-loadgen-')),
    overrides: fastIntervals,
    dashboard: false,
  });
}, 60_000);

afterAll(async () => platform?.stop());

const run = (...args: string[]) =>
  spawnSync(
    process.execPath,
    [CLI, '--outputs', join(platform.runDir, 'outputs.json'), '--json', '-q', '--no-keys', ...args],
    {
      encoding: 'utf8',
      timeout: 30_000,
    },
  );

describe('loadgen against the process-mode platform', () => {
  it('drives every data plane from the stack outputs, holds its thresholds, and Prometheus sees it', async () => {
    const result = run(
      '-r',
      '30',
      '-d',
      '3',
      '--threshold',
      'errors<20%',
      '--threshold',
      'dropped==0',
    );
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as {
      targets: Array<{ name: string; productIds: string; stats: { completed: number } }>;
    };
    expect(report.targets.map((t) => t.name).sort()).toEqual([
      'acme-dev-01',
      'acme-prod-01',
      'acme-qa-01',
    ]);
    for (const target of report.targets) {
      expect(target.productIds).toBe('from-api');
      expect(target.stats.completed).toBeGreaterThan(10);
    }
    const prom = platform.outputs.prometheusUrl!;
    await eventually('requests counted for every plane', async () => {
      const counted = await promQuery(
        prom,
        'sum by (data_plane) (http_server_request_duration_seconds_count{http_route!="unmatched"})',
      );
      return counted.length === 3 && counted.every((r) => Number(r.value[1]) > 10);
    });
  });

  it('the production incident injects faults on prod and clears them at the end', async () => {
    const result = run(
      'scenario',
      'production-incident',
      '-d',
      '4s',
      '--spike-at',
      '1s',
      '--spike-for',
      '2s',
      '-r',
      '20',
    );
    expect([0, 99]).toContain(result.status);
    expect(result.stderr).toMatch(/fault injected on acme-prod-01/);
    expect(result.stderr).toMatch(/faults cleared on acme-prod-01/);
    const prod = platform.outputs.dataPlanes.find((d) => d.environment === 'prod')!;
    // Asked through eventually(): a keep-alive socket the API closed meanwhile fails a fetch once.
    await eventually('the faults cleared on prod', async () => {
      const res = await fetch(`${prod.apiUrl}/admin/faults`, {
        headers: { authorization: `Bearer ${prod.adminToken}` },
      });
      const body = (await res.json()) as { faults: unknown[] };
      return res.ok && body.faults.length === 0;
    });
    await eventually('the injected 5xx counted on prod', async () => {
      const errors = await promQuery(
        platform.outputs.prometheusUrl!,
        'sum by (data_plane) (http_server_request_duration_seconds_count{http_response_status_code="500"})',
      );
      return errors.some((r) => r.metric.data_plane === 'acme-prod-01' && Number(r.value[1]) > 0);
    });
  });
});
