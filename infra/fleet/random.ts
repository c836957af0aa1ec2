// Deterministic randomness and the latency distribution of the fleet model: a string hash to
// seed each plane, a small PRNG whose state is a plain number (so a model state can carry it),
// and the log-normal CDF that turns a median and a spread into histogram bucket shares.

/** A 32-bit hash of a string (FNV-1a, then a murmur3 finalizer to spread the bits). */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** One draw of mulberry32: the next state and a uniform value in [0, 1). */
export function nextRandom(state: number): { state: number; value: number } {
  const next = (state + 0x6d2b79f5) >>> 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 15), z | 1);
  z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
  return { state: next, value: ((z ^ (z >>> 14)) >>> 0) / 4294967296 };
}

/** A stream of uniform values in [0, 1) from a seed, for drawing a profile in one go. */
export function randomStream(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    const draw = nextRandom(state);
    state = draw.state;
    return draw.value;
  };
}

/** A value whose logarithm is uniform between log(low) and log(high). */
export function logUniform(u: number, low: number, high: number): number {
  return low * Math.exp(u * Math.log(high / low));
}

export function uniform(u: number, low: number, high: number): number {
  return low + u * (high - low);
}

/** The error function (Abramowitz and Stegun 7.1.26, absolute error below 1.5e-7). */
export function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * Math.exp(-a * a));
}

/** P(X <= x) for a log-normal X with this median and sigma (the spread of ln X). */
export function logNormalCdf(x: number, median: number, sigma: number): number {
  if (x <= 0) return 0;
  return Math.min(1, Math.max(0, 0.5 * (1 + erf(Math.log(x / median) / (sigma * Math.SQRT2)))));
}

/** The mean of that log-normal X. */
export function logNormalMean(median: number, sigma: number): number {
  return median * Math.exp((sigma * sigma) / 2);
}
