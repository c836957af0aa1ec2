import { describe, expect, it } from 'vitest';
import { authConfig, checkCredentials, createSession, verifySession } from './auth.ts';

const env = {
  DASHBOARD_AUTH_USER: 'ops',
  DASHBOARD_AUTH_PASSWORD: 'pw',
  DASHBOARD_SESSION_SECRET: 'x'.repeat(32),
};

describe('dashboard auth', () => {
  it('is off without variables and refuses a partial or weak setup', () => {
    expect(authConfig({})).toBeNull();
    expect(() => authConfig({ DASHBOARD_AUTH_USER: 'ops' })).toThrow(/DASHBOARD_AUTH_PASSWORD/);
    expect(() => authConfig({ ...env, DASHBOARD_SESSION_SECRET: 'short' })).toThrow(/at least 32/);
  });

  it('signs sessions that verify, and rejects tampered or expired ones', () => {
    const config = authConfig(env)!;
    const session = createSession(config, 0);
    expect(verifySession(config, session, 1000)).toBe('ops');
    expect(
      verifySession(
        config,
        session.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
        1000,
      ),
    ).toBeNull();
    expect(verifySession(config, session, (config.ttl + 1) * 1000)).toBeNull();
    expect(verifySession({ ...config, secret: 'y'.repeat(32) }, session, 1000)).toBeNull();
  });

  it('checks credentials', () => {
    const config = authConfig(env)!;
    expect(checkCredentials(config, 'ops', 'pw')).toBe(true);
    expect(checkCredentials(config, 'ops', 'nope')).toBe(false);
  });
});
