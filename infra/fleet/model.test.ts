import { DURATION_BUCKETS } from '@outpost/outputs';
import { describe, expect, it } from 'vitest';
import {
  advance,
  conditionsAt,
  initialState,
  PlaneSimulation,
  planeProfile,
  REQUEST_SERIES,
  snapshot,
  STEP_SECONDS,
  type PlaneSnapshot,
} from './model.ts';
import { fleetPlanes } from './planes.ts';

const planes = fleetPlanes(100);

/** Every number of a snapshot that Prometheus reads as a counter, with a name for messages. */
function counters(s: PlaneSnapshot): Array<[string, number]> {
  return [
    ...s.requests.flatMap((r, i): Array<[string, number]> => [
      [`count ${i}`, r.count],
      [`sum ${i}`, r.sum],
      ...r.buckets.map((b, j): [string, number] => [`bucket ${i}/${DURATION_BUCKETS[j]}`, b]),
    ]),
    ['orders', s.ordersCreated],
    ['approved', s.paymentsApproved],
    ['declined', s.paymentsDeclined],
    ['search', s.searchQueries],
    ['reports', s.reportsGenerated],
    ['cpu user', s.cpuUserSeconds],
    ['cpu system', s.cpuSystemSeconds],
  ];
}

/**
 * What the dashboard sees of a plane between two scrapes: the 5xx share and the p95 by
 * histogram_quantile's rule (linear within the bucket that holds the rank).
 */
function windowOf(before: PlaneSnapshot, after: PlaneSnapshot) {
  let total = 0;
  let errors = 0;
  const buckets = DURATION_BUCKETS.map(() => 0);
  after.requests.forEach((r, i) => {
    const d = r.count - before.requests[i]!.count;
    total += d;
    if (REQUEST_SERIES[i]!.status >= 500) errors += d;
    r.buckets.forEach((b, j) => (buckets[j]! += b - before.requests[i]!.buckets[j]!));
  });
  const rank = 0.95 * total;
  let p95 = Infinity;
  for (let j = 0, lower = 0, below = 0; j < buckets.length; j += 1) {
    if (buckets[j]! >= rank) {
      p95 = lower + (DURATION_BUCKETS[j]! - lower) * ((rank - below) / (buckets[j]! - below || 1));
      break;
    }
    lower = DURATION_BUCKETS[j]!;
    below = buckets[j]!;
  }
  return { total, errorRatio: total === 0 ? 0 : errors / total, p95 };
}

describe('determinism', () => {
  it('gives the same plane the same traffic for a seed, whatever else the fleet holds', () => {
    const plane = planes[7]!;
    const a = new PlaneSimulation(1, plane);
    const b = new PlaneSimulation(1, { ...plane });
    expect(a.profile).toEqual(b.profile);
    for (const t of [0, 3.5, 61, 600, 3601]) expect(a.at(t)).toEqual(b.at(t));
  });

  it('gives another seed and another plane other traffic', () => {
    const plane = planes[7]!;
    expect(planeProfile(2, plane).baseRate).not.toBe(planeProfile(1, plane).baseRate);
    expect(planeProfile(1, planes[8]!).baseRate).not.toBe(planeProfile(1, plane).baseRate);
  });

  it('answers the same at t whether it was scraped on the way or not, and after going back', () => {
    const scraped = new PlaneSimulation(1, planes[3]!);
    for (let t = 0; t < 1800; t += 7.3) scraped.at(t);
    const fresh = new PlaneSimulation(1, planes[3]!);
    expect(scraped.at(1800)).toEqual(fresh.at(1800));
    expect(scraped.at(42)).toEqual(new PlaneSimulation(1, planes[3]!).at(42));
  });

  it('needs the state of the step that holds t', () => {
    const profile = planeProfile(1, planes[0]!);
    const state = advance(profile, initialState(profile));
    expect(() => snapshot(profile, state, STEP_SECONDS - 1)).toThrow(/step 1/);
    expect(() => snapshot(profile, state, 2 * STEP_SECONDS)).toThrow(/step 1/);
    expect(() => new PlaneSimulation(1, planes[0]!).at(-1)).toThrow(/>= 0/);
  });
});

describe('counters and histograms', () => {
  it('never lets a counter go down, scraped at any moment, inside steps or across them', () => {
    for (const plane of planes.slice(0, 10)) {
      const sim = new PlaneSimulation(1, plane);
      let previous = counters(sim.at(0));
      for (let t = 0.4; t < 2 * 3600; t += 4.1) {
        const current = counters(sim.at(t));
        current.forEach(([name, value], i) => {
          if (value < previous[i]![1]) expect.fail(`${plane.id} ${name} went down at t=${t}s`);
        });
        previous = current;
      }
    }
  });

  it('keeps buckets cumulative, within _count, whole, and the business counters in line', () => {
    for (const plane of planes.slice(0, 20)) {
      const s = new PlaneSimulation(1, plane).at(5432.1);
      s.requests.forEach((r, i) => {
        const at = `${plane.id} ${REQUEST_SERIES[i]!.route} ${REQUEST_SERIES[i]!.status}`;
        expect(r.buckets, at).toHaveLength(DURATION_BUCKETS.length);
        for (let j = 1; j < r.buckets.length; j += 1)
          expect(r.buckets[j]!, at).toBeGreaterThanOrEqual(r.buckets[j - 1]!);
        expect(r.buckets.at(-1)!, at).toBeLessThanOrEqual(r.count);
        expect([r.count, ...r.buckets].every(Number.isInteger), at).toBe(true);
        expect(r.sum, at).toBeGreaterThan(0);
      });
      const countOf = (route: string, status: number) =>
        s.requests[REQUEST_SERIES.findIndex((x) => x.route === route && x.status === status)]!
          .count;
      expect(s.ordersCreated).toBe(countOf('/api/orders', 201));
      expect(s.searchQueries).toBe(countOf('/api/search', 200));
      expect(s.reportsGenerated).toBe(countOf('/api/reports', 200));
      const payments = countOf('/api/payments', 200);
      expect(s.paymentsApproved + s.paymentsDeclined).toBeGreaterThanOrEqual(payments - 1);
      expect(s.paymentsApproved + s.paymentsDeclined).toBeLessThanOrEqual(payments);
    }
  });

  it('counts requests at the rate of the conditions of each step', () => {
    const profile = planeProfile(1, planes[5]!);
    let state = initialState(profile);
    for (let k = 0; k < 30; k += 1) state = advance(profile, state);
    const c = conditionsAt(profile, state.walks, state.step * STEP_SECONDS);
    const total = (s: PlaneSnapshot) => s.requests.reduce((n, r) => n + r.count, 0);
    const start = state.step * STEP_SECONDS;
    const grown =
      total(snapshot(profile, state, start + 9)) - total(snapshot(profile, state, start));
    // Each series is floored on its own: at most one request lost per series at each end.
    expect(Math.abs(grown - c.rate * 9)).toBeLessThanOrEqual(REQUEST_SERIES.length);
  });

  it('keeps the gauges plausible', () => {
    for (const plane of planes) {
      const s = new PlaneSimulation(1, plane).at(1234);
      expect(s.memoryBytes).toBeGreaterThan(50e6);
      expect(s.memoryBytes).toBeLessThan(400e6);
      expect(s.eventLoopP99Seconds).toBeGreaterThan(0.005);
      expect(s.eventLoopP99Seconds).toBeLessThan(0.2);
      for (const n of Object.values(s.activeRequests)) {
        expect(Number.isInteger(n) && n >= 0 && n < 100).toBe(true);
      }
    }
  });
});

describe('the fleet at 100 planes', () => {
  const profiles = planes.map((p) => planeProfile(1, p));

  it('draws base rates of 0.5-20 req/s, mostly small error ratios and latencies', () => {
    for (const p of profiles) {
      expect(p.baseRate).toBeGreaterThanOrEqual(0.5);
      expect(p.baseRate).toBeLessThanOrEqual(20);
    }
    const lowErrors = profiles.filter((p) => p.baseErrorRatio <= 0.01).length;
    const fast = profiles.filter((p) => p.baseMedianSeconds <= 0.2).length;
    expect(lowErrors).toBeGreaterThanOrEqual(85);
    expect(lowErrors).toBeLessThan(100);
    expect(fast).toBeGreaterThanOrEqual(85);
    expect(fast).toBeLessThan(100);
  });

  it('has a handful of planes over 5 % errors or a 1 s p95 at every moment, not always the same', () => {
    const WINDOW = 300; // the dashboard's 5-minute rate window
    const sims = planes.map((p) => new PlaneSimulation(1, p));
    let previous = sims.map((s) => s.at(0));
    const everUnhealthy = new Set<string>();
    const counts: number[] = [];
    for (let t = WINDOW; t <= 3 * 3600; t += WINDOW) {
      const current = sims.map((s) => s.at(t));
      const unhealthy = planes.filter((_, i) => {
        const w = windowOf(previous[i]!, current[i]!);
        return w.errorRatio > 0.05 || w.p95 > 1;
      });
      counts.push(unhealthy.length);
      for (const p of unhealthy) everUnhealthy.add(p.id);
      previous = current;
    }
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(3);
    expect(Math.max(...counts)).toBeLessThanOrEqual(20);
    // Drift: more planes go through a bad spell than are bad at any one moment.
    expect(everUnhealthy.size).toBeGreaterThan(Math.max(...counts));
  });

  it('has both kinds of trouble: errors on some planes, slowness on others', () => {
    const sims = planes.map((p) => new PlaneSimulation(1, p));
    const windows = sims.map((s) => windowOf(s.at(3600), s.at(3900)));
    expect(windows.filter((w) => w.errorRatio > 0.05).length).toBeGreaterThanOrEqual(1);
    expect(windows.filter((w) => w.p95 > 1).length).toBeGreaterThanOrEqual(1);
    // Most planes are fine; drift takes some of them to 1-5 % errors for a while.
    expect(windows.filter((w) => w.errorRatio < 0.01 && w.p95 < 1).length).toBeGreaterThanOrEqual(
      60,
    );
  });
});
