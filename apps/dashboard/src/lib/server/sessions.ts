import { createSession, readSession, type AuthConfig } from './auth.ts';

/** Signed-out sessions remembered at most (about 200 bytes each: 2 MiB in all). */
export const MAX_REVOKED = 10_000;

/**
 * Sessions are signed cookies, so any replica can check them; this process also keeps the
 * sessions signed out before they expired, and refuses their cookies from then on.
 *
 * The list is bounded and fails closed: an entry leaves when its session would have expired
 * anyway, and if the list is ever full of live entries, every session issued so far is refused
 * instead (everyone signs in again) rather than letting a signed-out cookie back in. For the
 * same reason sessions issued before this process started are refused: a restart forgets the
 * list, so it signs everyone out.
 */
export class Sessions {
  readonly #config: AuthConfig;
  readonly #now: () => number;
  readonly #maxRevoked: number;
  /** Signed-out session id -> when it would have expired (ms). */
  readonly #revoked = new Map<string, number>();
  /** Sessions issued before this instant (ms) are refused. */
  #notBefore: number;

  constructor(
    config: AuthConfig,
    { now = Date.now, maxRevoked = MAX_REVOKED }: { now?: () => number; maxRevoked?: number } = {},
  ) {
    this.#config = config;
    this.#now = now;
    this.#maxRevoked = maxRevoked;
    this.#notBefore = now();
  }

  /** A new session cookie value for the configured user. */
  create(): string {
    return createSession(this.#config, this.#now());
  }

  /** The user of a valid, unexpired session that was not signed out, else null. */
  verify(value: string | undefined): string | null {
    const claims = readSession(this.#config, value, this.#now());
    if (!claims || claims.issuedAt < this.#notBefore || this.#revoked.has(claims.id)) return null;
    return claims.user;
  }

  /** Signs a session out for good. False when the value was no live session. */
  revoke(value: string | undefined): boolean {
    const now = this.#now();
    const claims = readSession(this.#config, value, now);
    if (!claims || claims.issuedAt < this.#notBefore) return false;
    if (this.#revoked.size >= this.#maxRevoked) {
      for (const [id, expiresAt] of this.#revoked) if (expiresAt <= now) this.#revoked.delete(id);
    }
    if (this.#revoked.size >= this.#maxRevoked) {
      console.warn(
        `dashboard: ${this.#revoked.size} sessions signed out within their lifetime; signing everyone out to keep the list bounded`,
      );
      this.#notBefore = now + 1;
      this.#revoked.clear();
      return true;
    }
    this.#revoked.set(claims.id, claims.expiresAt);
    return true;
  }

  /** Signed-out sessions remembered now. */
  get revokedCount(): number {
    return this.#revoked.size;
  }
}
