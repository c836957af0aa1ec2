import { BodyTooLarge, MAX_UPSTREAM_BYTES, readCapped } from './read-capped.ts';

// A small read-only client of Prometheus's HTTP API (or Thanos Query's, which is the same).
// Every call has a time-out and reads at most MAX_UPSTREAM_BYTES of the answer; "unreachable"
// is told apart from "the query failed" and "the result is too large" so pages can show a
// banner and still render, and API routes can say what to change.

export class PrometheusUnreachable extends Error {
  override name = 'PrometheusUnreachable';
}

export class QueryError extends Error {
  override name = 'QueryError';
}

/** The answer was larger than the client reads; the fetch was aborted. */
export class ResultTooLarge extends Error {
  override name = 'ResultTooLarge';
  readonly limitBytes: number;

  constructor(limitBytes: number) {
    super(
      `the result is larger than ${formatMiB(limitBytes)}, the most the dashboard reads from Prometheus`,
    );
    this.limitBytes = limitBytes;
  }
}

const MiB = 1024 * 1024;
const formatMiB = (bytes: number) => (bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${bytes} bytes`);

export interface Sample {
  metric: Record<string, string>;
  value: number;
}

export interface Series {
  metric: Record<string, string>;
  /** [unix seconds, value] */
  points: Array<[number, number]>;
}

interface ApiResponse<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
}

/** One scrape target as the targets API reports it. */
export interface Target {
  labels: Record<string, string>;
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  lastScrape: string;
  lastScrapeDuration: number;
}

export class Prometheus {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly maxBytes: number;

  constructor(baseUrl: string, timeoutMs = 5000, maxBytes = MAX_UPSTREAM_BYTES) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.timeoutMs = timeoutMs;
    this.maxBytes = maxBytes;
  }

  async query(expr: string, time?: number): Promise<Sample[]> {
    const params = new URLSearchParams({ query: expr, timeout: `${this.timeoutMs / 1000}s` });
    if (time !== undefined) params.set('time', String(time));
    const data = await this.#get<{
      result: Array<{ metric: Record<string, string>; value: [number, string] }>;
    }>('/api/v1/query', params);
    return data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  }

  async queryRange(expr: string, start: number, end: number, step: number): Promise<Series[]> {
    const params = new URLSearchParams({
      query: expr,
      start: String(start),
      end: String(end),
      step: String(step),
      timeout: `${this.timeoutMs / 1000}s`,
    });
    const data = await this.#get<{
      result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }>;
    }>('/api/v1/query_range', params);
    return data.result.map((r) => ({
      metric: r.metric,
      points: r.values.map(([t, v]) => [t, Number(v)]),
    }));
  }

  /** Active alerts as Prometheus evaluates them (pending and firing). */
  async alerts(): Promise<
    Array<{
      labels: Record<string, string>;
      annotations: Record<string, string>;
      state: string;
      activeAt: string;
      value: string;
    }>
  > {
    const data = await this.#get<{
      alerts: Array<{
        labels: Record<string, string>;
        annotations: Record<string, string>;
        state: string;
        activeAt: string;
        value: string;
      }>;
    }>('/api/v1/alerts', new URLSearchParams());
    return data.alerts;
  }

  /**
   * Scrape targets and their health (Prometheus's, or every replica's through Thanos Query,
   * each target once).
   */
  async targets(): Promise<Target[]> {
    const data = await this.#get<{ activeTargets: Target[] }>(
      '/api/v1/targets',
      new URLSearchParams({ state: 'active' }),
    );
    const seen = new Map<string, Target>();
    for (const t of data.activeTargets) {
      const key = `${t.labels.job}|${t.scrapeUrl}`;
      const other = seen.get(key);
      // Replicas disagree while one is down: keep the worst news.
      if (!other || (other.health === 'up' && t.health !== 'up')) seen.set(key, t);
    }
    return [...seen.values()];
  }

  /**
   * Passes a request through to `/api/v1/<path>` and returns Prometheus's status and body as
   * they are (for the editor's completion proxy), within the same time-out and byte cap.
   */
  async forward(
    path: string,
    search: string,
    form?: string,
  ): Promise<{ status: number; body: string }> {
    return this.#fetch(`/api/v1/${path}${search}`, form);
  }

  async #get<T>(path: string, params: URLSearchParams): Promise<T> {
    const { status, body: text } = await this.#fetch(`${path}?${params}`);
    let body: ApiResponse<T> | null = null;
    try {
      body = JSON.parse(text) as ApiResponse<T>;
    } catch {
      // not JSON: said below
    }
    if (!body)
      throw new PrometheusUnreachable(
        `Prometheus at ${this.baseUrl} answered ${status} without JSON`,
      );
    if (body.status !== 'success') throw new QueryError(body.error ?? `query failed (${status})`);
    return body.data;
  }

  /** GET, or POST of a form; reads at most maxBytes, aborting the request past them. */
  async #fetch(pathAndQuery: string, form?: string): Promise<{ status: number; body: string }> {
    const cap = new AbortController();
    const signal = AbortSignal.any([AbortSignal.timeout(this.timeoutMs), cap.signal]);
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${pathAndQuery}`, {
        signal,
        ...(form === undefined
          ? {}
          : {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: form,
            }),
      });
    } catch (err) {
      throw new PrometheusUnreachable(
        `cannot reach Prometheus at ${this.baseUrl}: ${(err as Error).message}`,
      );
    }
    try {
      return { status: res.status, body: await readCapped(res, this.maxBytes, () => cap.abort()) };
    } catch (err) {
      if (err instanceof BodyTooLarge) throw new ResultTooLarge(err.limitBytes);
      throw new PrometheusUnreachable(
        `Prometheus at ${this.baseUrl} broke off its answer: ${(err as Error).message}`,
      );
    }
  }
}
