import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConfigError } from './config.ts';

/** Dashboard login, on when all three variables are set (the prod stack sets them from secrets). */
export interface AuthConfig {
  user: string;
  password: string;
  secret: string;
  /** Session lifetime, seconds. */
  ttl: number;
}

export const SESSION_COOKIE = 'outpost_session';

/** The weakest password accepted: a typed passphrase, not a PIN. */
export const MIN_PASSWORD_LENGTH = 12;
/** The session secret is an HMAC-SHA256 key: 32 characters of random text, at least. */
export const MIN_SECRET_LENGTH = 32;
/** A session lasts 8 hours (a working day) unless signed out sooner. */
const SESSION_TTL_S = 8 * 3600;

const VARIABLES = [
  'DASHBOARD_AUTH_USER',
  'DASHBOARD_AUTH_PASSWORD',
  'DASHBOARD_SESSION_SECRET',
] as const;

/**
 * The login settings, or null when auth is off (none of the three variables set). A partial
 * setup, a short or blank password or a short secret is a ConfigError naming the variable,
 * the rule and the fix; the values themselves are never printed.
 */
export function authConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig | null {
  const missing = VARIABLES.filter((name) => !env[name]);
  if (missing.length === VARIABLES.length) return null;
  if (missing.length > 0) {
    throw new ConfigError(
      `dashboard auth is half set up: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing. Set ${VARIABLES.join(', ')} together to turn the login on, or none of them to leave it off.`,
    );
  }
  const user = env.DASHBOARD_AUTH_USER!;
  const password = env.DASHBOARD_AUTH_PASSWORD!;
  const secret = env.DASHBOARD_SESSION_SECRET!;
  const weakness = (value: string, min: number) =>
    !value.trim()
      ? 'it is only whitespace'
      : length(value) < min
        ? `it has ${length(value)}`
        : null;
  const passwordWeakness = weakness(password, MIN_PASSWORD_LENGTH);
  if (passwordWeakness) {
    throw new ConfigError(
      `DASHBOARD_AUTH_PASSWORD is too weak: it must be at least ${MIN_PASSWORD_LENGTH} characters and not only whitespace (${passwordWeakness}). Choose a longer password, for example four random words.`,
    );
  }
  const secretWeakness = weakness(secret, MIN_SECRET_LENGTH);
  if (secretWeakness) {
    throw new ConfigError(
      `DASHBOARD_SESSION_SECRET is too short: it must be at least ${MIN_SECRET_LENGTH} characters and not only whitespace (${secretWeakness}). Generate one with \`openssl rand -base64 48\`.`,
    );
  }
  return { user, password, secret, ttl: SESSION_TTL_S };
}

/** Characters as people count them (code points), not UTF-16 units. */
const length = (value: string) => [...value].length;

const sign = (payload: string, secret: string) =>
  createHmac('sha256', secret).update(payload).digest('base64url');

/** What a valid session cookie says. */
export interface SessionClaims {
  user: string;
  /** Random, unique per sign-in: what sign-out revokes. */
  id: string;
  /** Milliseconds since the epoch. */
  issuedAt: number;
  expiresAt: number;
}

/** A signed session value: `user.issuedAt.id.signature` (user in base64url, issuedAt in ms). */
export function createSession(config: AuthConfig, now = Date.now()): string {
  const id = randomBytes(16).toString('base64url');
  const payload = `${Buffer.from(config.user).toString('base64url')}.${Math.floor(now)}.${id}`;
  return `${payload}.${sign(payload, config.secret)}`;
}

/**
 * The claims of a well-signed, unexpired session value, else null. Whether it was signed out
 * is for the session list (sessions.ts) to say.
 */
export function readSession(
  config: AuthConfig,
  value: string | undefined,
  now = Date.now(),
): SessionClaims | null {
  if (!value) return null;
  const parts = value.split('.');
  if (parts.length !== 4) return null;
  const [user, issued, id, signature] = parts as [string, string, string, string];
  if (!safeEqual(signature, sign(`${user}.${issued}.${id}`, config.secret))) return null;
  const issuedAt = Number(issued);
  const expiresAt = issuedAt + config.ttl * 1000;
  // A minute of leeway for replicas whose clocks differ a little.
  if (!Number.isSafeInteger(issuedAt) || issuedAt > now + 60_000 || expiresAt <= now) return null;
  return { user: Buffer.from(user, 'base64url').toString(), id, issuedAt, expiresAt };
}

export function checkCredentials(config: AuthConfig, user: string, password: string): boolean {
  // Both compared, always, so timing says nothing about which was wrong.
  const okUser = safeEqual(user, config.user);
  const okPassword = safeEqual(password, config.password);
  return okUser && okPassword;
}

function safeEqual(a: string, b: string): boolean {
  const x = createHmac('sha256', 'compare').update(a).digest();
  const y = createHmac('sha256', 'compare').update(b).digest();
  return timingSafeEqual(x, y);
}
