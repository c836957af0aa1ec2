import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
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

// The local stack as real processes, as `npm start` runs it: three APIs, a collector per plane
// (qa pushes through the gateway over TLS with its token), Prometheus as two replicas with
// Thanos sidecars, Thanos Query, Store and Compactor, Alertmanager and its local receiver.
// Intervals are shortened through stack config so it runs in seconds.

const ROOT = join(import.meta.dirname, '..', '..');
let platform: RunningPlatform;
let query: string;
let stopTraffic: () => void = () => {};

beforeAll(async () => {
  const offset = await findPortOffset(readStackConfigFile('local', ROOT));
  platform = await startPlatform({
    stack: 'local',
    portOffset: offset,
    runDir: mkdtempSync(join(tmpdir(), 'outpost-run-')),
    overrides: (config) => {
      const fast = fastIntervals(config);
      const cp = fast.controlPlane!;
      return {
        ...fast,
        controlPlane: {
          ...cp,
          prometheusReplicas: 2,
          alerting: { ...cp.alerting, dataPlaneDownFor: '5s', pushSilentAfter: '15s' },
        },
      };
    },
    dashboard: false,
  });
  query = platform.outputs.queryUrl!;
  stopTraffic = startTraffic(platform.outputs.dataPlanes.map((dp) => dp.apiUrl));
}, 90_000);

afterAll(async () => {
  stopTraffic();
  await platform?.stop();
});

const planes = ['acme-prod-01', 'acme-dev-01', 'acme-qa-01'];
const firing = async (alertname: string) =>
  (await promQuery(query, `ALERTS{alertname="${alertname}", alertstate="firing"}`)).map(
    (a) => a.metric.data_plane,
  );

describe('process mode runs the plan', () => {
  it('writes owner-only stack outputs: the query URL is Thanos Query, Prometheus the first replica', () => {
    const file = join(platform.runDir, 'outputs.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const outputs = JSON.parse(readFileSync(file, 'utf8'));
    expect(outputs.platform).toBe('process');
    expect(outputs.queryUrl).toBe(platform.topology.controlPlane!.thanos!.query.url);
    expect(outputs.prometheusUrl).toBe(
      platform.topology.controlPlane!.prometheus[0]!.prometheus.url,
    );
    expect(outputs.dataPlanes.map((d: { mode: string }) => d.mode)).toEqual([
      'pull',
      'pull',
      'push',
    ]);
    // One admin token per plane.
    expect(new Set(outputs.dataPlanes.map((d: { adminToken: string }) => d.adminToken)).size).toBe(
      3,
    );
  });

  it('every plane, pulled or pushed, has the contract series and labels, read through Thanos Query', async () => {
    const series = await eventually(
      'request series from all three planes',
      async () => {
        const result = await promQuery(
          query,
          'count by (__name__, job, customer, environment, data_plane) ({__name__=~"http_server_.+|app_.+|process_.+|nodejs_.+"})',
        );
        const kinds = (id: string) =>
          new Set(result.filter((r) => r.metric.data_plane === id).map((r) => r.metric.__name__));
        return planes.every((id) => kinds(id).size >= 9) ? result : null;
      },
      45_000,
    );
    for (const id of planes) {
      const mine = series.filter((s) => s.metric.data_plane === id);
      expect(mine.map((s) => s.metric.__name__)).toEqual(
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
      expect(mine[0]!.metric).toMatchObject({
        customer: 'acme',
        job: id === 'acme-qa-01' ? 'push-acme-qa-01' : 'data-plane-' + id,
      });
    }
    // Two replicas hold every series; Query answers with one copy (dedup=false shows both).
    const count = async (dedup: boolean) => {
      const url = `${query}/api/v1/query?query=${encodeURIComponent('count(http_server_active_requests)')}&dedup=${dedup}`;
      const body = (await fetch(url).then((r) => r.json())) as {
        data: { result: Array<{ value: [number, string] }> };
      };
      return Number(body.data.result[0]!.value[1]);
    };
    // Both replicas scrape (and receive) everything; right after a new series appears one may
    // not have it yet.
    await eventually(
      'both replicas to hold every series',
      async () => (await count(false)) === 2 * (await count(true)),
    );
  });

  it('recording rules produce values for every plane', async () => {
    const rates = await eventually('recorded request rates', async () => {
      const result = await promQuery(query, 'data_plane:http_server_requests:rate1m > 0');
      return result.length === 3 ? result : null;
    });
    expect(rates.map((r) => r.metric.environment).sort()).toEqual(['dev', 'prod', 'qa']);
  });

  it('the push gateway refuses a wrong token, no token and plain HTTP', () => {
    const gateway = platform.plan.workloads.find((w) => w.app === 'gateway')!;
    const port = gateway.containers[0]!.ports.find((p) => p.name === 'push-0')!.port;
    const ca = join(platform.runDir, 'acme-qa-collector', 'secrets', 'gateway-ca.crt');
    const post = (...args: string[]) =>
      execFileSync(
        'curl',
        [
          '-s',
          '-o',
          '/dev/null',
          '-w',
          '%{http_code}',
          '-X',
          'POST',
          '-H',
          'content-type: application/json',
          '-d',
          '{}',
          ...args,
        ],
        {
          encoding: 'utf8',
        },
      );
    const url = `https://127.0.0.1:${port}/v1/metrics`;
    expect(post('--cacert', ca, '-H', 'Authorization: Bearer wrong', url)).toBe('401');
    expect(post('--cacert', ca, url)).toBe('401');
    expect(post('-H', 'Authorization: Bearer wrong', `http://127.0.0.1:${port}/v1/metrics`)).toBe(
      '400',
    );
  });

  it('delivers the Watchdog to the local alert receiver', async () => {
    const receiver = `${platform.topology.controlPlane!.webhook.url}/alerts`;
    await eventually(
      'the Watchdog notification',
      async () => {
        const received = (await fetch(receiver).then((r) => r.json())) as Array<{
          notification: { alerts: Array<{ labels: { alertname: string } }> };
        }>;
        return received.some((r) =>
          r.notification.alerts.some((a) => a.labels.alertname === 'Watchdog'),
        );
      },
      30_000,
    );
  });
});

describe('failures show on the plane they hit, and only there', () => {
  it('a hung API behind a live collector: its plane goes DOWN and DataPlaneDown fires', async () => {
    const api = platform.child('acme-prod-api');
    process.kill(api.pid!, 'SIGSTOP');
    try {
      await eventually(
        'DataPlaneDown for prod only',
        async () => {
          const down = await firing('DataPlaneDown');
          return down.length === 1 && down[0] === 'acme-prod-01';
        },
        45_000,
      );
      // Its collector still answers: it is the API's series that are gone.
      const up = await promQuery(query, 'up{job="data-plane-acme-prod-01"}');
      expect(up[0]?.value[1]).toBe('1');
    } finally {
      process.kill(api.pid!, 'SIGCONT');
    }
  });

  it("a hung pull plane's collector: CollectorDown for that plane only", async () => {
    const collector = platform.child('acme-dev-collector');
    process.kill(collector.pid!, 'SIGSTOP');
    try {
      await eventually(
        'CollectorDown for dev only',
        async () => {
          const down = await firing('CollectorDown');
          return down.length === 1 && down[0] === 'acme-dev-01';
        },
        45_000,
      );
    } finally {
      process.kill(collector.pid!, 'SIGCONT');
    }
  });

  it('a stopped push plane: DataPlaneSilent once its newest sample is older than pushSilentAfter', async () => {
    const api = platform.child('acme-qa-api');
    process.kill(api.pid!, 'SIGSTOP');
    try {
      await eventually(
        'DataPlaneSilent for qa',
        async () => (await firing('DataPlaneSilent')).includes('acme-qa-01'),
        60_000,
      );
      expect(await firing('DataPlaneSilent')).toEqual(['acme-qa-01']);
    } finally {
      process.kill(api.pid!, 'SIGCONT');
    }
  });

  it(
    'one Prometheus replica hung: queries through Thanos Query keep answering without a gap',
    { timeout: 90_000 },
    async () => {
      const second = platform.child(
        `${platform.topology.controlPlane!.prometheus[1]!.name}-prometheus`,
      );
      const rangeQuery = async () => {
        const end = Date.now() / 1000;
        const url = `${query}/api/v1/query_range?query=${encodeURIComponent('sum(data_plane:http_server_requests:rate1m)')}&start=${end - 30}&end=${end}&step=1`;
        const body = (await fetch(url).then((r) => r.json())) as {
          data: { result: Array<{ values: unknown[] }> };
        };
        return body.data.result[0]?.values.length ?? 0;
      };
      process.kill(second.pid!, 'SIGSTOP');
      try {
        await new Promise((r) => setTimeout(r, 5000));
        // Every step of the last 30 s has a value: the first replica answers for both.
        expect(await rangeQuery()).toBeGreaterThanOrEqual(30);
      } finally {
        process.kill(second.pid!, 'SIGCONT');
      }
    },
  );

  it(
    'a silence a minute old survives Alertmanager being killed with SIGKILL',
    { timeout: 120_000 },
    async () => {
      const am = platform.outputs.alertmanagerUrl!;
      const res = await fetch(`${am}/api/v2/silences`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          matchers: [{ name: 'alertname', value: 'Watchdog', isRegex: false, isEqual: true }],
          startsAt: new Date().toISOString(),
          endsAt: new Date(Date.now() + 3_600_000).toISOString(),
          createdBy: 'platform test',
          comment: 'must survive a crash',
        }),
      });
      const { silenceID } = (await res.json()) as { silenceID: string };
      // Alertmanager snapshots silences every --data.maintenance-interval (1m in the plan).
      await new Promise((r) => setTimeout(r, 65_000));
      const child = platform.child('local-alertmanager');
      const before = child.pid!;
      process.kill(before, 'SIGKILL');
      const silences = await eventually('Alertmanager back with its silences', async () => {
        if (child.pid === before) return null;
        const list = await fetch(`${am}/api/v2/silences`).then(
          (r) => (r.ok ? r.json() : null),
          () => null,
        );
        return Array.isArray(list)
          ? (list as Array<{ id: string; status: { state: string } }>)
          : null;
      });
      expect(silences.find((s) => s.id === silenceID)?.status.state).toBe('active');
    },
  );

  it('restarts a killed child', async () => {
    const api = platform.child('acme-dev-api');
    const before = api.pid!;
    process.kill(before, 'SIGKILL');
    const dev = platform.outputs.dataPlanes.find((d) => d.environment === 'dev')!;
    await eventually('the dev API restarted', async () => {
      const res = await fetch(`${dev.apiUrl}/ready`).catch(() => null);
      return res?.ok && api.pid !== before;
    });
  });
});
