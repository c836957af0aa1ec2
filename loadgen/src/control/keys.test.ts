import { describe, expect, it } from 'vitest';
import { handleKey, type KeyActions } from './keys.ts';

describe('keys', () => {
  it('map arrows and letters to rate changes, spike, pause, quit and interrupt', () => {
    const calls: string[] = [];
    const actions: KeyActions = {
      adjust: (m) => calls.push(`adjust ${m}`),
      spike: () => calls.push('spike'),
      togglePause: () => calls.push('pause'),
      quit: () => calls.push('quit'),
      interrupt: () => calls.push('interrupt'),
    };
    for (const key of ['\u001b[A', '+', '\u001b[B', '-', 's', 'p', ' ', 'q', '\u0003']) {
      expect(handleKey(key, actions)).toBe(true);
    }
    expect(handleKey('x', actions)).toBe(false);
    expect(calls).toEqual([
      'adjust 1.1',
      'adjust 1.1',
      'adjust 0.9',
      'adjust 0.9',
      'spike',
      'pause',
      'pause',
      'quit',
      'interrupt',
    ]);
  });
});
