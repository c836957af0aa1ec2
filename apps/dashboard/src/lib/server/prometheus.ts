// A small read-only client of Prometheus's HTTP API (or Thanos Query's, which is the same).
// Every call has a time-out; "unreachable" is told apart from "the query failed" so pages can
// show a banner and still render.

export class PrometheusUnreachable extends Error {
  override name = 'PrometheusUnreachable';
}

export class QueryError extends Error {
  override name = 'QueryError';
}

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

export class Prometheus {
  readonly baseUrl: string;
  readonly timeoutMs: number;

  constructor(baseUrl: string, timeoutMs = 5000) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.timeoutMs = timeoutMs;
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

  async #get<T>(path: string, params: URLSearchParams): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}?${params}`, {
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new PrometheusUnreachable(
        `cannot reach Prometheus at ${this.baseUrl}: ${(err as Error).message}`,
      );
    }
    const body = (await res.json().catch(() => null)) as ApiResponse<T> | null;
    if (!body)
      throw new PrometheusUnreachable(
        `Prometheus at ${this.baseUrl} answered ${res.status} without JSON`,
      );
    if (body.status !== 'success')
      throw new QueryError(body.error ?? `query failed (${res.status})`);
    return body.data;
  }
}
