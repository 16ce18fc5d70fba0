/**
 * Random 32-bit words from a key, laid out as JAX's `random_bits(key, 32, shape)` (see `key.ts` for
 * the two counter schemes).
 */
import { assertKey, type Key, resolveScheme, type SchemeOptions, shapeSize } from './key.js';
import { TF_OUT, threefryInto, threefryXorWords } from './threefry.js';

/** A shape: `n` for a vector, `[]` for a scalar (one element), `[n, m]` for a row-major matrix. */
export type RandomShape = number | readonly number[];

const TWO32 = 4294967296;

/** Fills `out` with the 32-bit random words of JAX's `random_bits` for a flat size `out.length`. */
export function fillBits(k: Key, out: Uint32Array, scheme: 'partitionable' | 'legacy'): void {
  const k0 = k[0]!;
  const k1 = k[1]!;
  const n = out.length;
  if (scheme === 'partitionable') {
    // element i hashes the 64-bit counter i = (hi, lo); the word is y0 ^ y1. Below 2³² the high
    // word is 0, and one loop with the rounds inlined does it.
    if (n <= TWO32) {
      threefryXorWords(k0, k1, out);
      return;
    }
    for (let i = 0; i < n; i++) {
      threefryInto(k0, k1, Math.floor(i / TWO32), i % TWO32);
      out[i] = TF_OUT[0]! ^ TF_OUT[1]!;
    }
    return;
  }
  // legacy: counters 0..n-1 padded to even with a 0; pair j = (j, half + j); layout [y0s, y1s][:n].
  const half = (n + 1) >>> 1;
  for (let j = 0; j < half; j++) {
    const c1 = half + j < n ? half + j : 0;
    threefryInto(k0, k1, j, c1);
    out[j] = TF_OUT[0]!;
    if (half + j < n) out[half + j] = TF_OUT[1]!;
  }
}

/**
 * `jax.random.bits(key, shape, uint32)`: uniformly random uint32 words, flattened row-major.
 *
 * JAX gives the same words for shapes `()`, `(1,)` and `(1, 1)` (one element, counter 0) in both
 * schemes; more generally the words depend only on the flat size, not on how it is shaped.
 *
 * @example
 * ```ts
 * randomBits(key(0), []); // Uint32Array [4070199207]
 * ```
 */
export function randomBits(k: Key, shape: RandomShape, opts?: SchemeOptions): Uint32Array {
  const fn = 'randomBits';
  assertKey(fn, k);
  const n = shapeSize(fn, shape);
  const scheme = resolveScheme(fn, opts);
  const out = new Uint32Array(n);
  fillBits(k, out, scheme);
  return out;
}
