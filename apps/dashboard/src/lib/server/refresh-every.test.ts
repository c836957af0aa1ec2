import { describe, expect, it } from 'vitest';
import { ParamError } from './params.ts';
import { takeRefreshEvery } from './refresh-every.ts';

describe('refresh interval parameter', () => {
  it('defaults to 30 s and leaves the other parameters for parseView', () => {
    const r = takeRefreshEvery(new URLSearchParams('range=1h&every=5s'));
    expect(r.every).toBe('5s');
    expect(r.seconds).toBe(5);
    expect(r.rest.toString()).toBe('range=1h');
    expect(takeRefreshEvery(new URLSearchParams('')).seconds).toBe(30);
  });

  it('refuses values off the list, saying what is accepted', () => {
    expect(() => takeRefreshEvery(new URLSearchParams('every=1s'))).toThrow(ParamError);
    expect(() => takeRefreshEvery(new URLSearchParams('every=1s'))).toThrow(
      /accepted are 5s, 10s, 30s, 1m, 5m/,
    );
  });
});
