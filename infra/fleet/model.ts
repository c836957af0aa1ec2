import { DURATION_BUCKETS } from '@outpost/outputs';
import type { FleetPlane } from './planes.ts';
import {
  hash32,
  logNormalCdf,
  logNormalMean,
  logUniform,
  nextRandom,
  randomStream,
  uniform,
} from './random.ts';

// The traffic of one simulated data plane, as a pure function of the seed, the plane's id and
// the seconds since the simulator started. Time runs in steps of STEP_SECONDS; within a step the
// plane's conditions (request rate, error ratio, latency) are constant, so every counter is the
// exact integral of its rate: the totals at the step's start plus rate x elapsed. A step's
// conditions are a profile drawn once from (seed, id), times slow sinusoids, times bounded random
// walks that move once per step. Counters are the floors of those integrals: whole numbers that
// never decrease, and histogram buckets that stay cumulative and within `_count`.

/** Length of a step, seconds: conditions change at most this often. */
export const STEP_SECONDS = 10;

/** Share of planes that fail a lot by nature (a base error ratio of 5-20 % instead of 0.1-1 %). */
export const ERRORING_SHARE = 0.05;
/** Share of planes that are slow by nature (median 0.3-0.6 s and a wide spread: p95 over 1 s). */
export const SLOW_SHARE = 0.05;
/** The error ratio never exceeds this, however the drift goes. */
export const MAX_ERROR_RATIO = 0.4;

type Method = 'GET' | 'POST';

/** A route of the API the planes pretend to run (apps/api/src/plugins/shop.ts). */
interface Route {
  method: Method;
  route: string;
  /** Share of the plane's requests. */
  share: number;
  /** Its median latency relative to the plane's. */
  latency: number;
  /** Status of a success. */
  ok: number;
  /** Share of its requests answered 404 (an unknown id: a client error, not a failure). */
  notFound?: number;
  /** Whether its requests fail with 500 (the plane's errors are spread over these routes). */
  fails: boolean;
}

const ROUTES: readonly Route[] = [
  { method: 'GET', route: '/api/products', share: 0.32, latency: 1, ok: 200, fails: true },
  {
    method: 'GET',
    route: '/api/products/{id}',
    share: 0.25,
    latency: 0.6,
    ok: 200,
    notFound: 0.03,
    fails: false,
  },
  { method: 'GET', route: '/api/search', share: 0.2, latency: 1.2, ok: 200, fails: false },
  { method: 'POST', route: '/api/orders', share: 0.1, latency: 1.2, ok: 201, fails: true },
  { method: 'POST', route: '/api/payments', share: 0.1, latency: 1.5, ok: 200, fails: true },
  { method: 'GET', route: '/api/reports', share: 0.03, latency: 4, ok: 200, fails: false },
];
const FAILING_SHARE = ROUTES.reduce((s, r) => s + (r.fails ? r.share : 0), 0);

/** One `http.server.request.duration` series: a method, route template and status. */
export interface RequestSeries {
  method: Method;
  route: string;
  status: number;
  kind: 'ok' | 'notFound' | 'error';
  /** Index into ROUTES. */
  routeIndex: number;
}

/** Every request series a plane exposes, in exposition order. */
export const REQUEST_SERIES: readonly RequestSeries[] = ROUTES.flatMap((r, routeIndex) => {
  const base = { method: r.method, route: r.route, routeIndex };
  return [
    { ...base, status: r.ok, kind: 'ok' as const },
    ...(r.notFound ? [{ ...base, status: 404, kind: 'notFound' as const }] : []),
    ...(r.fails ? [{ ...base, status: 500, kind: 'error' as const }] : []),
  ];
});

/** Median latency of a kind of answer relative to its route's (a 404 is a quick lookup). */
const KIND_LATENCY = { ok: 1, notFound: 0.5, error: 0.8 } as const;

/** A slow sinusoid: amplitude x sin(2 pi t / period + phase). */
interface Wave {
  amplitude: number;
  periodSeconds: number;
  phase: number;
}

/** The random walks of a plane, each reflected into its bounds (natural-log offsets). */
export interface Walks {
  rate: number;
  error: number;
  latency: number;
}

/** Bounds and per-step move of each walk. */
export const WALK_BOUNDS = {
  rate: { low: -0.3, high: 0.3, step: 0.03 },
  error: { low: -1, high: 1.2, step: 0.08 },
  latency: { low: -0.4, high: 0.6, step: 0.05 },
} as const satisfies Record<keyof Walks, { low: number; high: number; step: number }>;

/** What a plane is like, drawn once from the seed and its id. */
export interface PlaneProfile {
  plane: FleetPlane;
  /** Requests per second before drift. */
  baseRate: number;
  /** Share of requests answered 5xx before drift. */
  baseErrorRatio: number;
  /** Median latency before drift, seconds; sigma is the spread of its logarithm. */
  baseMedianSeconds: number;
  sigma: number;
  /** Share of payments declined (a business outcome, not an error). */
  declineRatio: number;
  /** Resident set size at rest, bytes. */
  memoryBytes: number;
  /** Event-loop p99 delay at rest, seconds. */
  eventLoopSeconds: number;
  waves: { rate: Wave; error: Wave; latency: Wave; memory: Wave };
  /** Where the walks start and the seed of their moves. */
  walks: Walks;
  walkSeed: number;
}

export function planeProfile(seed: number, plane: FleetPlane): PlaneProfile {
  const next = randomStream(hash32(`${seed}/${plane.id}/profile`));
  const wave = (low: number, high: number, minPeriod: number, maxPeriod: number): Wave => ({
    amplitude: uniform(next(), low, high),
    periodSeconds: uniform(next(), minPeriod, maxPeriod),
    phase: uniform(next(), 0, 2 * Math.PI),
  });
  const erroring = next() < ERRORING_SHARE;
  const slow = next() < SLOW_SHARE;
  const walk = (b: { low: number; high: number }) => uniform(next(), b.low, b.high);
  return {
    plane,
    baseRate: logUniform(next(), 0.5, 20),
    baseErrorRatio: erroring ? logUniform(next(), 0.05, 0.2) : logUniform(next(), 0.001, 0.01),
    baseMedianSeconds: slow ? logUniform(next(), 0.3, 0.6) : logUniform(next(), 0.02, 0.2),
    sigma: slow ? uniform(next(), 0.8, 1) : uniform(next(), 0.35, 0.6),
    declineRatio: uniform(next(), 0.03, 0.12),
    memoryBytes: uniform(next(), 90e6, 160e6),
    eventLoopSeconds: uniform(next(), 0.01, 0.02),
    waves: {
      rate: wave(0.2, 0.5, 1800, 7200),
      error: wave(0.3, 1, 900, 5400),
      latency: wave(0.1, 0.5, 900, 5400),
      memory: wave(0.02, 0.1, 600, 3600),
    },
    walks: {
      rate: walk(WALK_BOUNDS.rate),
      error: walk(WALK_BOUNDS.error),
      latency: walk(WALK_BOUNDS.latency),
    },
    walkSeed: hash32(`${seed}/${plane.id}/walks`),
  };
}

const waveAt = (w: Wave, t: number) =>
  w.amplitude * Math.sin((2 * Math.PI * t) / w.periodSeconds + w.phase);

/** A plane's conditions during one step. */
export interface Conditions {
  /** Requests per second. */
  rate: number;
  /** Share of requests answered 5xx. */
  errorRatio: number;
  /** Median latency of the plane's base route, seconds, and the spread of its logarithm. */
  medianSeconds: number;
  sigma: number;
}

/** The conditions of a plane at time t (seconds) with these walk values. */
export function conditionsAt(profile: PlaneProfile, walks: Walks, t: number): Conditions {
  const { waves } = profile;
  return {
    rate: profile.baseRate * (1 + waveAt(waves.rate, t)) * Math.exp(walks.rate),
    errorRatio: Math.min(
      MAX_ERROR_RATIO,
      profile.baseErrorRatio * Math.exp(waveAt(waves.error, t) + walks.error),
    ),
    medianSeconds: profile.baseMedianSeconds * Math.exp(waveAt(waves.latency, t) + walks.latency),
    sigma: profile.sigma,
  };
}

/** Share of all requests and median latency of each request series under these conditions. */
function seriesMix(c: Conditions): Array<{ share: number; medianSeconds: number }> {
  const failing = Math.min(1, c.errorRatio / FAILING_SHARE);
  return REQUEST_SERIES.map((s) => {
    const r = ROUTES[s.routeIndex]!;
    const notFound = r.notFound ?? 0;
    const error = r.fails ? failing : 0;
    const within =
      s.kind === 'ok' ? 1 - notFound - error : s.kind === 'notFound' ? notFound : error;
    return {
      share: r.share * within,
      medianSeconds: c.medianSeconds * r.latency * KIND_LATENCY[s.kind],
    };
  });
}

/** The exact (fractional) totals of one request series: count, sum of seconds, per-bucket counts. */
export interface SeriesTotals {
  count: number;
  sum: number;
  /** Requests at or under each of DURATION_BUCKETS, cumulative. */
  buckets: readonly number[];
}

/** A plane's totals at the start of step `step`, and its walks and PRNG during that step. */
export interface PlaneState {
  step: number;
  walks: Walks;
  rng: number;
  series: readonly SeriesTotals[];
}

export function initialState(profile: PlaneProfile): PlaneState {
  const zero = { count: 0, sum: 0, buckets: DURATION_BUCKETS.map(() => 0) };
  return {
    step: 0,
    walks: profile.walks,
    rng: profile.walkSeed,
    series: REQUEST_SERIES.map(() => zero),
  };
}

/** The totals after `seconds` more of these conditions. */
function accrue(series: readonly SeriesTotals[], c: Conditions, seconds: number): SeriesTotals[] {
  const mix = seriesMix(c);
  return series.map((totals, i) => {
    const { share, medianSeconds } = mix[i]!;
    const requests = c.rate * share * seconds;
    if (requests === 0) return totals;
    // Running max: the CDF approximation must not make a bucket smaller than the one before.
    let atOrUnder = 0;
    return {
      count: totals.count + requests,
      sum: totals.sum + requests * logNormalMean(medianSeconds, c.sigma),
      buckets: totals.buckets.map((b, j) => {
        atOrUnder = Math.max(atOrUnder, logNormalCdf(DURATION_BUCKETS[j]!, medianSeconds, c.sigma));
        return b + requests * atOrUnder;
      }),
    };
  });
}

/** Moves a walk one step: a uniform move, reflected back into its bounds. */
function stepWalk(
  value: number,
  u: number,
  bounds: { low: number; high: number; step: number },
): number {
  let v = value + bounds.step * (2 * u - 1);
  if (v > bounds.high) v = 2 * bounds.high - v;
  if (v < bounds.low) v = 2 * bounds.low - v;
  return v;
}

/** The state one step later. */
export function advance(profile: PlaneProfile, state: PlaneState): PlaneState {
  const c = conditionsAt(profile, state.walks, state.step * STEP_SECONDS);
  let rng = state.rng;
  const draw = () => {
    const d = nextRandom(rng);
    rng = d.state;
    return d.value;
  };
  const walks = {
    rate: stepWalk(state.walks.rate, draw(), WALK_BOUNDS.rate),
    error: stepWalk(state.walks.error, draw(), WALK_BOUNDS.error),
    latency: stepWalk(state.walks.latency, draw(), WALK_BOUNDS.latency),
  };
  return { step: state.step + 1, walks, rng, series: accrue(state.series, c, STEP_SECONDS) };
}

/** What one scrape of a plane shows. Counters are whole numbers; histogram buckets cumulative. */
export interface PlaneSnapshot {
  /** Aligned with REQUEST_SERIES. */
  requests: Array<{ count: number; sum: number; buckets: number[] }>;
  activeRequests: Record<Method, number>;
  ordersCreated: number;
  paymentsApproved: number;
  paymentsDeclined: number;
  searchQueries: number;
  reportsGenerated: number;
  cpuUserSeconds: number;
  cpuSystemSeconds: number;
  memoryBytes: number;
  eventLoopP99Seconds: number;
}

/** CPU seconds at rest per second, and per request. */
const CPU = { user: { idle: 0.002, request: 0.0012 }, system: { idle: 0.0006, request: 0.0003 } };

/**
 * A scrape at time t (seconds since start) of a plane in `state`, which must be the state at
 * step floor(t / STEP_SECONDS).
 */
export function snapshot(profile: PlaneProfile, state: PlaneState, t: number): PlaneSnapshot {
  const stepStart = state.step * STEP_SECONDS;
  if (t < stepStart || t >= stepStart + STEP_SECONDS) {
    throw new RangeError(`state is at step ${state.step}, not at t=${t}s`);
  }
  const c = conditionsAt(profile, state.walks, stepStart);
  const series = accrue(state.series, c, t - stepStart);
  const requests = series.map((s) => ({
    count: Math.floor(s.count),
    sum: s.sum,
    buckets: s.buckets.map(Math.floor),
  }));
  const countOf = (route: string, status: number) => {
    const i = REQUEST_SERIES.findIndex((s) => s.route === route && s.status === status);
    return series[i]?.count ?? 0;
  };
  const payments = countOf('/api/payments', 200);
  const total = series.reduce((n, s) => n + s.count, 0);
  const mix = seriesMix(c);
  // Little's law: requests in flight = arrival rate x mean time in the system.
  const active = (method: Method) =>
    Math.round(
      REQUEST_SERIES.reduce(
        (n, s, i) =>
          s.method === method
            ? n + c.rate * mix[i]!.share * logNormalMean(mix[i]!.medianSeconds, c.sigma)
            : n,
        0,
      ),
    );
  return {
    requests,
    activeRequests: { GET: active('GET'), POST: active('POST') },
    ordersCreated: Math.floor(countOf('/api/orders', 201)),
    paymentsApproved: Math.floor(payments * (1 - profile.declineRatio)),
    paymentsDeclined: Math.floor(payments * profile.declineRatio),
    searchQueries: Math.floor(countOf('/api/search', 200)),
    reportsGenerated: Math.floor(countOf('/api/reports', 200)),
    cpuUserSeconds: CPU.user.idle * t + CPU.user.request * total,
    cpuSystemSeconds: CPU.system.idle * t + CPU.system.request * total,
    memoryBytes: Math.round(
      profile.memoryBytes * (1 + waveAt(profile.waves.memory, t)) + 2e6 * c.rate,
    ),
    eventLoopP99Seconds: profile.eventLoopSeconds * (1 + c.rate / 40),
  };
}

/**
 * One plane over time: the pure functions above with the state kept between scrapes, so a
 * scrape only advances the steps since the previous one. Asking for an earlier time starts over.
 */
export class PlaneSimulation {
  readonly profile: PlaneProfile;
  #state: PlaneState;

  constructor(seed: number, plane: FleetPlane) {
    this.profile = planeProfile(seed, plane);
    this.#state = initialState(this.profile);
  }

  /** The plane as scraped t seconds after the simulator started. */
  at(t: number): PlaneSnapshot {
    if (!(t >= 0)) throw new RangeError(`time must be >= 0 s, got ${t}`);
    const step = Math.floor(t / STEP_SECONDS);
    if (step < this.#state.step) this.#state = initialState(this.profile);
    while (this.#state.step < step) this.#state = advance(this.profile, this.#state);
    return snapshot(this.profile, this.#state, t);
  }
}
