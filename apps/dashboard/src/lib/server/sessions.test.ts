import { describe, expect, it, vi } from 'vitest';
import { authConfig } from './auth.ts';
import { Sessions } from './sessions.ts';

const config = authConfig({
  DASHBOARD_AUTH_USER: 'ops',
  DASHBOARD_AUTH_PASSWORD: 'correct horse battery',
  DASHBOARD_SESSION_SECRET: 'x'.repeat(32),
})!;

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('Sessions', () => {
  it('refuses a signed-out session, and only that one', () => {
    const sessions = new Sessions(config);
    const a = sessions.create();
    const b = sessions.create();
    expect(sessions.verify(a)).toBe('ops');
    expect(sessions.revoke(a)).toBe(true);
    expect(sessions.verify(a)).toBeNull();
    expect(sessions.verify(b)).toBe('ops');
    expect(sessions.revoke('forged.0.id.sig')).toBe(false);
    expect(sessions.revoke(undefined)).toBe(false);
  });

  it('lasts 8 hours', () => {
    const c = clock();
    const sessions = new Sessions(config, { now: c.now });
    const session = sessions.create();
    c.advance(8 * 3600_000 - 1);
    expect(sessions.verify(session)).toBe('ops');
    c.advance(1);
    expect(sessions.verify(session)).toBeNull();
  });

  it('refuses sessions issued before the process started (a restart forgets sign-outs)', () => {
    const c = clock();
    const before = new Sessions(config, { now: c.now }).create();
    c.advance(1);
    expect(new Sessions(config, { now: c.now }).verify(before)).toBeNull();
  });

  it('forgets a sign-out once the session would have expired anyway', () => {
    const c = clock();
    const sessions = new Sessions(config, { now: c.now, maxRevoked: 3 });
    for (let i = 0; i < 3; i += 1) sessions.revoke(sessions.create());
    expect(sessions.revokedCount).toBe(3);
    c.advance(8 * 3600_000);
    const live = sessions.create();
    sessions.revoke(sessions.create());
    expect(sessions.revokedCount).toBe(1);
    expect(sessions.verify(live)).toBe('ops');
  });

  it('stays bounded by signing everyone out when full of live sign-outs', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const c = clock();
    const sessions = new Sessions(config, { now: c.now, maxRevoked: 3 });
    const revoked = Array.from({ length: 3 }, () => sessions.create());
    for (const s of revoked) sessions.revoke(s);
    const bystander = sessions.create();
    const fourth = sessions.create();
    c.advance(1);
    expect(sessions.revoke(fourth)).toBe(true);
    expect(sessions.revokedCount).toBe(0);
    for (const s of [...revoked, fourth, bystander]) expect(sessions.verify(s)).toBeNull();
    c.advance(1);
    expect(sessions.verify(sessions.create())).toBe('ops');
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });
});
