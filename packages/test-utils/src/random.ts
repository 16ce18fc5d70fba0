/**
 * Seeded data for tests (independent of @annlab/core's JAX-compatible keys, so tests of those keys
 * do not depend on themselves). mulberry32 for uniforms, Box–Muller for normals.
 */
export interface SeededRandom {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number;
  /** Standard normal. */
  normal(): number;
  /** Integer in [lo, hi). */
  int(lo: number, hi: number): number;
  /** Float64Array of n uniforms in [lo, hi). */
  array(n: number, lo?: number, hi?: number): Float64Array;
  /** Float64Array of n standard normals, scaled. */
  normals(n: number, scale?: number): Float64Array;
}

export function seeded(seed: number): SeededRandom {
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    let u = uniform();
    while (u === 0) u = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
  return {
    uniform,
    range: (lo, hi) => lo + (hi - lo) * uniform(),
    normal,
    int: (lo, hi) => lo + Math.floor((hi - lo) * uniform()),
    array: (n, lo = 0, hi = 1) => {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * uniform();
      return out;
    },
    normals: (n, scale = 1) => {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = scale * normal();
      return out;
    },
  };
}
