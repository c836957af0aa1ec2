import { describe, expect, it } from 'vitest';
import { authConfig, checkCredentials, createSession, readSession } from './auth.ts';
import { ConfigError } from './config.ts';

const env = {
  DASHBOARD_AUTH_USER: 'ops',
  DASHBOARD_AUTH_PASSWORD: 'correct horse battery',
  DASHBOARD_SESSION_SECRET: 'x'.repeat(32),
};

describe('dashboard auth settings', () => {
  it('is off without variables and names what a partial setup lacks', () => {
    expect(authConfig({})).toBeNull();
    expect(() => authConfig({ DASHBOARD_AUTH_USER: 'ops' })).toThrow(
      /DASHBOARD_AUTH_PASSWORD and DASHBOARD_SESSION_SECRET are missing/,
    );
    expect(() => authConfig({ ...env, DASHBOARD_SESSION_SECRET: '' })).toThrow(ConfigError);
  });

  it('refuses a password shorter than 12 characters or only whitespace', () => {
    for (const password of ['pw', 'elevenchars', ' '.repeat(12), '\t\n'.repeat(8)]) {
      const attempt = () => authConfig({ ...env, DASHBOARD_AUTH_PASSWORD: password });
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(
        /^DASHBOARD_AUTH_PASSWORD is too weak: it must be at least 12 characters and not only whitespace/,
      );
    }
    // Characters, not UTF-16 units: six emoji are six characters (and twelve units).
    expect(() => authConfig({ ...env, DASHBOARD_AUTH_PASSWORD: '🔑'.repeat(6) })).toThrow(
      /it has 6/,
    );
    expect(authConfig({ ...env, DASHBOARD_AUTH_PASSWORD: 'twelve chars' })?.password).toBe(
      'twelve chars',
    );
  });

  it('refuses a session secret shorter than 32 characters', () => {
    const attempt = () => authConfig({ ...env, DASHBOARD_SESSION_SECRET: 's'.repeat(31) });
    expect(attempt).toThrow(
      /^DASHBOARD_SESSION_SECRET is too short: it must be at least 32 characters.*\(it has 31\)/,
    );
    expect(() => authConfig({ ...env, DASHBOARD_SESSION_SECRET: ' '.repeat(40) })).toThrow(
      /only whitespace/,
    );
  });

  it('never puts the rejected value in the message', () => {
    try {
      authConfig({ ...env, DASHBOARD_AUTH_PASSWORD: 'hunter2' });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2');
    }
  });
});

describe('session cookies', () => {
  const config = authConfig(env)!;

  it('sign sessions that verify, and reject tampered, expired, foreign or old-format ones', () => {
    const session = createSession(config, 0);
    expect(readSession(config, session, 1000)).toMatchObject({
      user: 'ops',
      issuedAt: 0,
      expiresAt: config.ttl * 1000,
    });
    const tampered = session.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect(readSession(config, tampered, 1000)).toBeNull();
    expect(readSession(config, session, config.ttl * 1000)).toBeNull();
    expect(readSession({ ...config, secret: 'y'.repeat(32) }, session, 1000)).toBeNull();
    // The format before sign-out existed: user.expiry.signature.
    expect(readSession(config, 'b3Bz.99999999999.c2ln', 1000)).toBeNull();
    expect(readSession(config, undefined)).toBeNull();
  });

  it('give every sign-in its own id', () => {
    const a = readSession(config, createSession(config, 0), 0)!;
    const b = readSession(config, createSession(config, 0), 0)!;
    expect(a.id).not.toBe(b.id);
    expect(a.id).toMatch(/^[\w-]{22}$/);
  });

  it('checks credentials', () => {
    expect(checkCredentials(config, 'ops', 'correct horse battery')).toBe(true);
    expect(checkCredentials(config, 'ops', 'nope')).toBe(false);
    expect(checkCredentials(config, 'root', 'correct horse battery')).toBe(false);
  });
});
