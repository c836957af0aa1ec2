import { describe, expect, it } from 'vitest';
import { addressKey, SignInThrottle, Throttle } from './throttle.ts';

const MINUTE = 60_000;

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('Throttle', () => {
  it('answers the first 5 failures, then waits 1 s, doubling per failure up to 15 min', () => {
    const c = clock();
    const throttle = new Throttle({ now: c.now });
    for (let i = 0; i < 4; i += 1) expect(throttle.fail('k')).toBe(0);
    expect(throttle.wait('k')).toBe(0);
    expect(throttle.fail('k')).toBe(1000);
    c.advance(400);
    expect(throttle.wait('k')).toBe(600);
    c.advance(600);
    expect(throttle.wait('k')).toBe(0);

    const waits = [];
    for (let i = 0; i < 12; i += 1) {
      const wait = throttle.fail('k');
      waits.push(wait / 1000);
      c.advance(wait);
    }
    expect(waits).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]);
  });

  it('forgets a key a window after its last failure or wait, whichever ends later', () => {
    const c = clock();
    const throttle = new Throttle({ now: c.now });
    for (let i = 0; i < 4; i += 1) throttle.fail('quiet');
    c.advance(15 * MINUTE);
    expect(throttle.fail('quiet')).toBe(0); // counted from 1 again
    expect(throttle.size).toBe(1);

    for (let i = 0; i < 15; i += 1) throttle.fail('loud'); // waits up to 512 s by now
    const wait = throttle.wait('loud');
    c.advance(wait + 15 * MINUTE - 1);
    expect(throttle.fail('loud')).toBe(900_000); // still remembered: the wait went on
    c.advance(900_000 + 15 * MINUTE);
    expect(throttle.fail('loud')).toBe(0);
  });

  it('forgets a key on reset', () => {
    const throttle = new Throttle({ now: clock().now });
    for (let i = 0; i < 5; i += 1) throttle.fail('k');
    expect(throttle.wait('k')).toBeGreaterThan(0);
    throttle.reset('k');
    expect(throttle.wait('k')).toBe(0);
    expect(throttle.size).toBe(0);
  });

  it('never tracks more than maxKeys, dropping the least recently failed first', () => {
    const c = clock();
    const throttle = new Throttle({ now: c.now, maxKeys: 100 });
    for (let i = 0; i < 5; i += 1) throttle.fail('victim');
    for (let i = 0; i < 10_000; i += 1) {
      throttle.fail(`spray-${i}`);
      if (i === 50) for (let j = 0; j < 2; j += 1) throttle.fail('recent');
      expect(throttle.size).toBeLessThanOrEqual(100);
    }
    expect(throttle.size).toBe(100);
    expect(throttle.wait('victim')).toBe(0); // evicted: the documented cost of the cap
    expect(throttle.wait('spray-9999')).toBe(0);
    expect(throttle.fail('spray-9999')).toBe(0); // its second failure: still tracked
  });

  it('drops stale keys as new failures arrive, without waiting for the cap', () => {
    const c = clock();
    const throttle = new Throttle({ now: c.now });
    for (let i = 0; i < 1000; i += 1) throttle.fail(`old-${i}`);
    c.advance(15 * MINUTE);
    throttle.fail('new');
    expect(throttle.size).toBe(1);
  });
});

describe('SignInThrottle', () => {
  it('throttles one address whatever user names it tries', () => {
    const throttle = new SignInThrottle({ now: clock().now });
    for (let i = 0; i < 5; i += 1) throttle.failed('203.0.113.7', `user-${i}`);
    expect(throttle.wait('203.0.113.7', 'someone-else')).toBe(1000);
    expect(throttle.wait('203.0.113.8', 'someone-else')).toBe(0);
  });

  it('throttles one user name whatever addresses guess it', () => {
    const throttle = new SignInThrottle({ now: clock().now });
    for (let i = 0; i < 5; i += 1) throttle.failed(`198.51.100.${i}`, 'ops');
    expect(throttle.wait('192.0.2.1', 'ops')).toBe(1000);
    expect(throttle.wait('192.0.2.1', 'dev')).toBe(0);
  });

  it('clears the user and the address on success', () => {
    const c = clock();
    const throttle = new SignInThrottle({ now: c.now });
    for (let i = 0; i < 4; i += 1) throttle.failed('192.0.2.1', 'ops');
    throttle.succeeded('192.0.2.1', 'ops');
    for (let i = 0; i < 4; i += 1) expect(throttle.failed('192.0.2.1', 'ops')).toBe(0);
    expect(throttle.failed('192.0.2.1', 'ops')).toBe(1000);
  });
});

describe('addressKey', () => {
  it('keeps IPv4, unwraps IPv4-mapped IPv6 and groups IPv6 by /64', () => {
    expect(addressKey('192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('2001:db8:a:b:1:2:3:4')).toBe('2001:db8:a:b::/64');
    expect(addressKey('2001:0db8:a:b::9')).toBe('2001:db8:a:b::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('not an address')).toBe('not an address');
  });
});
