import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
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

// The whole platform as real processes: Prometheus and Alertmanager binaries, three APIs, the
// webhook receiver. Intervals are shortened through stack config so it runs in seconds.

const ROOT = join(import.meta.dirname, '..', '..');
let platform: RunningPlatform;
let prom: string;
let stopTraffic: () => void = () => {};

beforeAll(async () => {
  const offset = await findPortOffset(readStackConfigFile('local', ROOT));
  platform = await startPlatform({
    stack: 'local',
    portOffset: offset,
    runDir: mkdtempSync(join(tmpdir(), 'outpost-run-')),
    overrides: fastIntervals,
    dashboard: false,
  });
  prom = platform.outputs.prometheusUrl!;
  stopTraffic = startTraffic(platform.outputs.dataPlanes.map((dp) => dp.apiUrl));
}, 60_000);

afterAll(async () => {
  stopTraffic();
  await platform?.stop();
});

describe('process mode', () => {
  it('writes owner-only stack outputs in the shared schema', () => {
    const file = join(platform.runDir, 'outputs.json');
    const outputs = JSON.parse(readFileSync(file, 'utf8'));
    expect(outputs.platform).toBe('process');
    expect(outputs.dataPlanes.map((d: { environment: string }) => d.environment)).toEqual([
      'prod',
      'dev',
      'qa',
    ]);
  });

  it('every environment has series with the contract names and labels', async () => {
    const series = await eventually('request series from all three planes', async () => {
      const result = await promQuery(
        prom,
        'count by (__name__, customer, environment, data_plane) ({__name__=~"http_server_.+|app_.+|process_.+|nodejs_.+"})',
      );
      // Every plane has reported every kind of series (orders and searches included).
      const kinds = (env: string) =>
        new Set(result.filter((r) => r.metric.environment === env).map((r) => r.metric.__name__));
      return ['prod', 'dev', 'qa'].every((env) => kinds(env).size >= 9) ? result : null;
    });
    for (const env of ['prod', 'dev', 'qa']) {
      const names = series
        .filter((s) => s.metric.environment === env)
        .map((s) => s.metric.__name__);
      expect(names).toEqual(
        expect.arrayContaining([
          'http_server_request_duration_seconds_bucket',
          'http_server_request_duration_seconds_count',
          'http_server_active_requests',
          'app_orders_created_total',
          'app_search_queries_total',
          'process_cpu_time_seconds_total',
          'process_memory_usage_bytes',
          'nodejs_eventloop_delay_p99_seconds',
        ]),
      );
      expect(series.find((s) => s.metric.environment === env)?.metric).toMatchObject({
        customer: 'acme',
        data_plane: `acme-${env}-01`,
      });
    }
  });

  it('recording rules produce values for every plane', async () => {
    const rates = await eventually('recorded request rates', async () => {
      const result = await promQuery(prom, 'data_plane:http_server_requests:rate1m > 0');
      return result.length === 3 ? result : null;
    });
    expect(rates.map((r) => r.metric.environment).sort()).toEqual(['dev', 'prod', 'qa']);
  });

  it('delivers the Watchdog to the local webhook receiver', async () => {
    const receiver = `${platform.topology.controlPlane!.webhook.url}/alerts`;
    await eventually('the Watchdog notification', async () => {
      const received = (await fetch(receiver).then((r) => r.json())) as Array<{
        notification: { alerts: Array<{ labels: { alertname: string } }> };
      }>;
      return received.some((r) =>
        r.notification.alerts.some((a) => a.labels.alertname === 'Watchdog'),
      );
    });
  });

  it('a paused API makes exactly its plane DOWN with DataPlaneDown pending, and UP again on resume', async () => {
    const pid = platform.pids['acme-prod-api']!;
    process.kill(pid, 'SIGSTOP');
    try {
      await eventually('prod down and its alert pending', async () => {
        const up = await promQuery(prom, 'up{job=~"data-plane-.+"}');
        const down = up.filter((r) => r.value[1] === '0').map((r) => r.metric.data_plane);
        const pending = await promQuery(
          prom,
          'ALERTS{alertname="DataPlaneDown", alertstate="pending"}',
        );
        return (
          down.length === 1 &&
          down[0] === 'acme-prod-01' &&
          pending.some((a) => a.metric.data_plane === 'acme-prod-01')
        );
      });
      const others = await promQuery(prom, 'up{job=~"data-plane-acme-(dev|qa)-01"}');
      expect(others.map((r) => r.value[1])).toEqual(['1', '1']);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await eventually('prod up again', async () => {
      const up = await promQuery(prom, 'up{data_plane="acme-prod-01"}');
      return up[0]?.value[1] === '1';
    });
  });

  it('restarts a killed child', async () => {
    const before = platform.pids['acme-dev-api']!;
    process.kill(before, 'SIGKILL');
    const dev = platform.outputs.dataPlanes.find((d) => d.environment === 'dev')!;
    await eventually('the dev API restarted', async () => {
      const after = platform.pids['acme-dev-api'];
      return (
        after !== before &&
        (await fetch(`${dev.apiUrl}/ready`).then(
          (r) => r.ok,
          () => false,
        ))
      );
    });
    expect(platform.children.find((c) => c.spec.name === 'acme-dev-api')?.restarts).toBe(1);
  });
});
