import {
  DURATION_BUCKETS,
  MAX_FAULT_LATENCY_MS,
  METRIC_ATTRIBUTES,
  METRICS,
  UNMATCHED_ROUTE,
} from '@outpost/outputs';
import { describe, expect, it } from 'vitest';
import { prometheusNamingViews } from '../telemetry.ts';
import { ADMIN_TOKEN, testConfig, testServer } from '../testing/harness.ts';
import { ATTR, SPECS } from './instruments.ts';

// The API takes its metric catalogue and fault limits from the contract package instead of
// restating them, so a change there reaches the API, the rules and the dashboard at once.

describe('the metric catalogue comes from @outpost/outputs', () => {
  it('uses the contract objects themselves, not copies', () => {
    expect(SPECS).toBe(METRICS);
    expect(ATTR).toBe(METRIC_ATTRIBUTES);
  });

  it('renames each instrument on the direct Prometheus path to the series the contract names', () => {
    const views = prometheusNamingViews();
    for (const spec of Object.values(METRICS)) {
      const renamed = views.find((v) => v.instrumentName === spec.name)?.name ?? spec.name;
      const series = renamed.replace(/\./g, '_');
      // The exporter adds `_total` to counters itself.
      expect([series, `${series}_total`], spec.name).toContain(spec.prometheus);
    }
  });

  it('records durations with the contract buckets and unmatched routes with its fixed value', async () => {
    const h = await testServer(testConfig());
    await h.server.inject('/no/such/path');
    const rm = await h.metrics();
    await h.close();
    const duration = rm.scopeMetrics
      .flatMap((s) => s.metrics)
      .find((m) => m.descriptor.name === METRICS.requestDuration.name)!;
    const point = duration.dataPoints[0] as { value: { buckets: { boundaries: number[] } } };
    expect(point.value.buckets.boundaries).toEqual(DURATION_BUCKETS);
    expect(duration.dataPoints[0]!.attributes[METRIC_ATTRIBUTES.route]).toBe(UNMATCHED_ROUTE);
  });

  it('accepts a fault up to the contract latency limit and refuses one above', async () => {
    const h = await testServer(testConfig());
    const put = (latencyMs: number) =>
      h.server.inject({
        method: 'PUT',
        url: '/admin/faults',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        payload: { latencyMs, route: '/api/reports' },
      });
    const ok = await put(MAX_FAULT_LATENCY_MS);
    const tooLong = await put(MAX_FAULT_LATENCY_MS + 1);
    await h.close();
    expect(ok.statusCode).toBe(200);
    expect(tooLong.statusCode).toBe(400);
    expect(JSON.parse(tooLong.payload)).toMatchObject({ field: 'latencyMs', rule: 'number.max' });
  });
});
