import { createHmac, timingSafeEqual } from 'node:crypto';

/** Dashboard login, on when all three variables are set (the prod stack sets them from secrets). */
export interface AuthConfig {
  user: string;
  password: string;
  secret: string;
  /** Session lifetime, seconds. */
  ttl: number;
}

export const SESSION_COOKIE = 'outpost_session';

export function authConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig | null {
  const {
    DASHBOARD_AUTH_USER: user,
    DASHBOARD_AUTH_PASSWORD: password,
    DASHBOARD_SESSION_SECRET: secret,
  } = env;
  if (!user && !password && !secret) return null;
  if (!user || !password || !secret || secret.length < 32) {
    throw new Error(
      'dashboard auth needs DASHBOARD_AUTH_USER, DASHBOARD_AUTH_PASSWORD and DASHBOARD_SESSION_SECRET (at least 32 characters), or none of them',
    );
  }
  return { user, password, secret, ttl: 8 * 3600 };
}

const sign = (payload: string, secret: string) =>
  createHmac('sha256', secret).update(payload).digest('base64url');

/** A signed session value: `user.expiry.signature`. */
export function createSession(config: AuthConfig, now = Date.now()): string {
  const payload = `${Buffer.from(config.user).toString('base64url')}.${Math.floor(now / 1000) + config.ttl}`;
  return `${payload}.${sign(payload, config.secret)}`;
}

/** The user of a valid, unexpired session, else null. */
export function verifySession(
  config: AuthConfig,
  value: string | undefined,
  now = Date.now(),
): string | null {
  if (!value) return null;
  const [user, expiry, signature] = value.split('.');
  if (!user || !expiry || !signature) return null;
  if (!safeEqual(signature, sign(`${user}.${expiry}`, config.secret))) return null;
  if (Number(expiry) * 1000 < now) return null;
  return Buffer.from(user, 'base64url').toString();
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
