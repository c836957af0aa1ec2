import type { Attributes } from '@opentelemetry/api';
import { ATTR } from './instruments.ts';

const KNOWN_METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'CONNECT',
  'TRACE',
];
/** hapi's lower-case method -> the semantic-convention value. */
const BY_HAPI_METHOD = new Map(KNOWN_METHODS.map((m) => [m.toLowerCase(), m]));

/** Semantic conventions: known methods upper-case, anything else `_OTHER`. */
export function semconvMethod(method: string): string {
  const known = BY_HAPI_METHOD.get(method);
  if (known !== undefined) return known;
  const upper = method.toUpperCase();
  return KNOWN_METHODS.includes(upper) ? upper : '_OTHER';
}

/**
 * The attribute sets of the HTTP server metrics, built once per distinct set and then reused
 * (frozen), so a request allocates no attribute objects. Every key is bounded: methods are
 * folded into the known ones or `_OTHER` before they key the cache, routes are hapi's templates
 * (or the one unmatched value), status codes are hapi's 100..599.
 */
export class HttpAttributes {
  readonly #scheme: string;
  /** semconv method -> `http.request.method`, `url.scheme`. */
  readonly #active = new Map<string, Attributes>();
  /** route -> semconv method -> status -> the duration histogram's attributes. */
  readonly #duration = new Map<string, Map<string, Map<number, Attributes>>>();

  constructor(scheme: string) {
    this.#scheme = scheme;
  }

  /** `http.request.method` and `url.scheme`, the attributes both HTTP server metrics carry. */
  active(hapiMethod: string): Attributes {
    const method = semconvMethod(hapiMethod);
    let attributes = this.#active.get(method);
    if (attributes === undefined) {
      attributes = Object.freeze({ [ATTR.method]: method, [ATTR.scheme]: this.#scheme });
      this.#active.set(method, attributes);
    }
    return attributes;
  }

  /** The active attributes plus `http.route` and the status; 5xx add `error.type`. */
  duration(route: string, hapiMethod: string, status: number): Attributes {
    const method = semconvMethod(hapiMethod);
    let byMethod = this.#duration.get(route);
    if (byMethod === undefined) this.#duration.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) byMethod.set(method, (byStatus = new Map()));
    let attributes = byStatus.get(status);
    if (attributes === undefined) {
      attributes = Object.freeze({
        ...this.active(method),
        [ATTR.route]: route,
        [ATTR.status]: status,
        // Semantic conventions: a server error's type is its status code, as a string.
        ...(status >= 500 ? { [ATTR.errorType]: String(status) } : {}),
      });
      byStatus.set(status, attributes);
    }
    return attributes;
  }
}
