import type { Attributes, ObservableResult } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { ActiveRequests } from './active-requests.ts';

function observed(active: ActiveRequests): Array<[number, Attributes | undefined]> {
  const seen: Array<[number, Attributes | undefined]> = [];
  active.observe({
    observe: (value, attributes) => seen.push([value, attributes]),
  } as ObservableResult);
  return seen;
}

describe('ActiveRequests', () => {
  it('counts per attribute set and keeps a set that went back to zero', () => {
    const get = Object.freeze({ 'http.request.method': 'GET', 'url.scheme': 'http' });
    const post = Object.freeze({ 'http.request.method': 'POST', 'url.scheme': 'http' });
    const active = new ActiveRequests();
    expect(observed(active)).toEqual([]);
    active.add(1, get);
    active.add(1, get);
    active.add(1, post);
    active.add(-1, post);
    expect(observed(active)).toEqual([
      [2, get],
      [0, post],
    ]);
  });
});
