import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';

// Failed sign-ins slow down exponentially per key (a client address, a user name), in memory
// with a fixed cap, so a flood of guesses costs the server neither time nor unbounded memory.

export interface ThrottleOptions {
  /** Failures answered normally before waits begin. Default 5. */
  limit?: number;
  /** A key is forgotten this long after its last failure or wait, whichever ends later. Default 15 min. */
  windowMs?: number;
  /** The wait after the `limit`-th failure; each further failure doubles it. Default 1 s. */
  baseDelayMs?: number;
  /** The longest wait. Default 15 min. */
  maxDelayMs?: number;
  /** Keys tracked at most (about 170 bytes each); the least recently failed leaves first. Default 10,000. */
  maxKeys?: number;
  /** The clock, for tests. Default `Date.now`. */
  now?: () => number;
}

interface Entry {
  failures: number;
  lastFailure: number;
  /** 0 while under the limit. */
  blockedUntil: number;
}

const MINUTE = 60_000;

export class Throttle {
  readonly limit: number;
  readonly windowMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxKeys: number;
  readonly #now: () => number;
  /** In order of last failure, oldest first (an update moves a key to the end). */
  readonly #entries = new Map<string, Entry>();

  constructor({
    limit = 5,
    windowMs = 15 * MINUTE,
    baseDelayMs = 1000,
    maxDelayMs = 15 * MINUTE,
    maxKeys = 10_000,
    now = Date.now,
  }: ThrottleOptions = {}) {
    this.limit = limit;
    this.windowMs = windowMs;
    this.baseDelayMs = baseDelayMs;
    this.maxDelayMs = maxDelayMs;
    this.maxKeys = maxKeys;
    this.#now = now;
  }

  /** Milliseconds until `key` may try again; 0 when it may now. */
  wait(key: string): number {
    const now = this.#now();
    const entry = this.#live(key, now);
    return entry ? Math.max(0, entry.blockedUntil - now) : 0;
  }

  /** Records a failure; returns the wait it starts (0 while under the limit). */
  fail(key: string): number {
    const now = this.#now();
    const entry = this.#live(key, now) ?? { failures: 0, lastFailure: now, blockedUntil: 0 };
    entry.failures += 1;
    entry.lastFailure = now;
    if (entry.failures >= this.limit) {
      const doublings = Math.min(entry.failures - this.limit, 40);
      entry.blockedUntil = now + Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** doublings);
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    this.#prune(now);
    return Math.max(0, entry.blockedUntil - now);
  }

  reset(key: string): void {
    this.#entries.delete(key);
  }

  /** Keys tracked now. */
  get size(): number {
    return this.#entries.size;
  }

  #stale(entry: Entry, now: number): boolean {
    return now - Math.max(entry.lastFailure, entry.blockedUntil) >= this.windowMs;
  }

  #live(key: string, now: number): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry && this.#stale(entry, now)) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** From the oldest: drops stale keys, and any beyond the cap. Amortised O(1) per failure. */
  #prune(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (this.#entries.size <= this.maxKeys && !this.#stale(entry, now)) break;
      this.#entries.delete(key);
    }
  }
}

/**
 * The sign-in policy: a wait applies when either the client address or the user name has too
 * many recent failures, and a success clears both.
 */
export class SignInThrottle {
  readonly #byAddress: Throttle;
  readonly #byUser: Throttle;

  constructor(options: ThrottleOptions = {}) {
    this.#byAddress = new Throttle(options);
    this.#byUser = new Throttle(options);
  }

  /** Milliseconds before an attempt from `address` for `user` may be checked; 0 when now. */
  wait(address: string, user: string): number {
    return Math.max(this.#byAddress.wait(addressKey(address)), this.#byUser.wait(userKey(user)));
  }

  /** Records a failed attempt; returns the wait it starts (0 while under the limit). */
  failed(address: string, user: string): number {
    return Math.max(this.#byAddress.fail(addressKey(address)), this.#byUser.fail(userKey(user)));
  }

  succeeded(address: string, user: string): void {
    this.#byAddress.reset(addressKey(address));
    this.#byUser.reset(userKey(user));
  }
}

/**
 * The throttling key of a client address: IPv4 as is (also when IPv4-mapped), IPv6 by its /64
 * prefix, since one subscriber commonly holds a whole /64.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  const bare = address.replace(/%.*$/, '');
  if (!isIPv6(bare) || bare.includes('.')) return address;
  const [head = '', tail = ''] = bare.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = bare.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/** User names are keys by hash: bounded in size whatever is typed, and never kept in clear. */
function userKey(user: string): string {
  return createHash('sha256').update(user).digest('base64url');
}
