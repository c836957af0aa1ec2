import { ParamError } from './params.ts';

// The metrics page's auto-refresh interval, URL `every` (the rest of its parameters are
// params.ts's): a fixed list, like every other value the URL may carry.

export const REFRESH_EVERY = ['5s', '10s', '30s', '1m', '5m'] as const;
export type RefreshEvery = (typeof REFRESH_EVERY)[number];
const SECONDS: Record<RefreshEvery, number> = {
  '5s': 5,
  '10s': 10,
  '30s': 30,
  '1m': 60,
  '5m': 300,
};

/**
 * Takes `every` out of the page's parameters: the interval (default 30s) and the parameters
 * left for parseView. A value off the list is a ParamError that says what is accepted.
 */
export function takeRefreshEvery(query: URLSearchParams): {
  every: RefreshEvery;
  seconds: number;
  rest: URLSearchParams;
} {
  const rest = new URLSearchParams(query);
  const value = rest.get('every') ?? '30s';
  rest.delete('every');
  if (!(REFRESH_EVERY as readonly string[]).includes(value))
    throw new ParamError(`every=${value}: accepted are ${REFRESH_EVERY.join(', ')}`);
  const every = value as RefreshEvery;
  return { every, seconds: SECONDS[every], rest };
}
