import { stackOutputs } from './config.ts';
import type { SilenceDraft } from './silence.ts';

// A small client of Alertmanager's v2 API for the alerts page: list, create and expire
// silences. Every call has a time-out; "unreachable" is told apart from "Alertmanager said no"
// (its message is shown next to the form).

export class AlertmanagerUnreachable extends Error {
  override name = 'AlertmanagerUnreachable';
}

export class AlertmanagerRejected extends Error {
  override name = 'AlertmanagerRejected';
}

export interface Silence {
  id: string;
  status: { state: 'active' | 'pending' | 'expired' };
  matchers: Array<{ name: string; value: string; isRegex: boolean; isEqual?: boolean }>;
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

export class Alertmanager {
  readonly baseUrl: string;
  readonly timeoutMs: number;

  constructor(baseUrl: string, timeoutMs = 3000) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.timeoutMs = timeoutMs;
  }

  /** Active and pending silences, the ones ending first on top. */
  async silences(): Promise<Silence[]> {
    const all = (await this.#call('GET', '/api/v2/silences')) as Silence[];
    return all
      .filter((s) => s.status.state !== 'expired')
      .sort((a, b) => a.endsAt.localeCompare(b.endsAt));
  }

  /**
   * Whether alerts reach anyone: Alertmanager's running configuration has at least one
   * integration (webhook, Slack, email, PagerDuty, ...). A stack with no receiver configured
   * renders receivers without one, and every alert then goes nowhere.
   */
  async delivers(): Promise<boolean> {
    const status = (await this.#call('GET', '/api/v2/status')) as {
      config?: { original?: string };
    };
    return hasIntegration(status.config?.original ?? '');
  }

  /** Creates a silence; returns its id. */
  async createSilence(silence: SilenceDraft): Promise<string> {
    const body = (await this.#call('POST', '/api/v2/silences', silence)) as { silenceID: string };
    return body.silenceID;
  }

  async expireSilence(id: string): Promise<void> {
    await this.#call('DELETE', `/api/v2/silence/${encodeURIComponent(id)}`);
  }

  async #call(method: string, path: string, body?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new AlertmanagerUnreachable(
        `cannot reach Alertmanager at ${this.baseUrl}: ${(err as Error).message}`,
      );
    }
    const text = await res.text();
    if (!res.ok) {
      throw new AlertmanagerRejected(
        `Alertmanager answered ${res.status}: ${text.trim().slice(0, 300) || res.statusText}`,
      );
    }
    return text ? JSON.parse(text) : null;
  }
}

/** This stack's Alertmanager, or null when it has none. */
export function alertmanager(): Alertmanager | null {
  const url = stackOutputs().alertmanagerUrl;
  return url ? new Alertmanager(url) : null;
}

/**
 * True when an Alertmanager configuration (its YAML, as /api/v2/status returns it) names at
 * least one integration: a `<kind>_configs:` list with an entry.
 */
export function hasIntegration(config: string): boolean {
  return /^\s*[a-z]+_configs:\s*\n\s*-\s/m.test(config);
}
