import { DURATION_BUCKETS, METRICS } from '@outpost/outputs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderPlane } from './exposition.ts';
import { PlaneSimulation } from './model.ts';
import { fleetPlanes } from './planes.ts';
import { familyOf, freePort, parseExposition, startNode, type Sample } from './testing.ts';

const API_MAIN = join(import.meta.dirname, '..', '..', 'apps', 'api', 'src', 'main.ts');
const HISTOGRAMS = new Set([METRICS.requestDuration.prometheus]);
const CONTRACT = new Set(Object.values(METRICS).map((m) => m.prometheus));

const plane = fleetPlanes(1)[0]!;
const simulated = parseExposition(renderPlane(new PlaneSimulation(1, plane).at(4321)));

/** Per family, the distinct label-name sets of its series, sorted, as strings. */
function labelSets(samples: readonly Sample[]): Map<string, Set<string>> {
  const sets = new Map<string, Set<string>>();
  for (const s of samples) {
    const family = familyOf(s, HISTOGRAMS);
    const names = Object.keys(s.labels).sort().join(',');
    sets.set(family, (sets.get(family) ?? new Set()).add(names));
  }
  return sets;
}

describe('a plane exposition', () => {
  it('holds every contract series and under 200 series', () => {
    expect(new Set(simulated.map((s) => familyOf(s, HISTOGRAMS)))).toEqual(CONTRACT);
    expect(simulated.length).toBeLessThanOrEqual(200);
    const les = simulated.filter((s) => s.name.endsWith('_bucket')).map((s) => s.labels.le);
    expect(new Set(les)).toEqual(new Set([...DURATION_BUCKETS.map(String), '+Inf']));
  });

  it('carries no plane labels: Prometheus sets them from its scrape config', () => {
    for (const s of simulated) {
      for (const label of ['customer', 'environment', 'data_plane', 'job', 'instance']) {
        expect(s.labels, s.name).not.toHaveProperty(label);
      }
    }
  });

  it('puts error_type on 5xx only, as the API does', () => {
    for (const s of simulated.filter((x) => x.labels.http_response_status_code)) {
      const status = Number(s.labels.http_response_status_code);
      expect(s.labels.error_type, JSON.stringify(s.labels)).toBe(
        status >= 500 ? String(status) : undefined,
      );
    }
  });

  it('has the label names of a real API scrape, family by family', async () => {
    // The real thing, a fifth of its requests failing so that 5xx series exist. Twenty rounds make
    // a series that needs a success (a counter) or a failure (error_type) certain to appear.
    const metricsPort = await freePort();
    const api = await startNode(
      [API_MAIN],
      {
        PORT: '0',
        HOST: '127.0.0.1',
        OTEL_METRICS_EXPORTER: 'prometheus',
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
        API_REQUEST_LOG: 'off',
        API_ERROR_RATE: '0.2',
      },
      /"url":"(http:\/\/[^"]+)"/,
    );
    try {
      const base = api.match[1]!;
      const send = (path: string, body?: unknown) =>
        fetch(`${base}${path}`, {
          method: body === undefined ? 'GET' : 'POST',
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      for (let i = 0; i < 20; i += 1) {
        await send('/api/products');
        await send('/api/products/p-001');
        await send('/api/search?q=x');
        await send('/api/reports');
        const order = await send('/api/orders', { product_id: 'p-001', quantity: 1 });
        if (order.status === 201) {
          const { id } = (await order.json()) as { id: string };
          for (let j = 0; j < 2; j += 1)
            await send('/api/payments', { order_id: id, amount: 10, currency: 'EUR' });
        }
      }
      const real = parseExposition(
        await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text(),
      ).filter(
        // Resource attributes, which Prometheus replaces with its own plane labels.
        (s) => s.name !== 'target_info',
      );
      const realSets = labelSets(real);
      expect(new Set(realSets.keys())).toEqual(CONTRACT);
      expect(labelSets(simulated)).toEqual(realSets);
    } finally {
      await api.stop();
    }
  });
});
