/**
 * `jax.random.permutation(key, n)`: a uniformly random permutation of `0 … n−1`.
 */
import { invalidArgument } from '../errors.js';
import { fillBits } from './bits.js';
import { assertKey, type Key, resolveScheme, type SchemeOptions, split } from './key.js';

/** Index bits packed under each sort key; n must stay below this for the packed fast path. */
const PACK = 2 ** 21;

/**
 * JAX's `_shuffle` applied to `arange(n)` (int32), in `jax/_src/random.py`:
 *
 * 1. `rounds = ⌈3 · ln(max(1, n)) / ln(2³² − 1)⌉` (1 round up to n ≈ 1625, 2 up to ≈ 2.6 million).
 * 2. Each round: `key, subkey = split(key)`; draw `n` random uint32 sort keys from `subkey`; sort the
 *    current array by them, stably (`lax.sort_key_val`), so equal sort keys keep their order.
 *
 * Repeating with fresh 32-bit sort keys makes ties (which would bias the result) negligible. The sort
 * packs `sortKey · 2²¹ + position` into one float64 (exact below 2⁵³), which sorts stably in one
 * typed-array sort; larger `n` fall back to a comparator sort.
 *
 * @param n - length, an integer in [0, 2³¹ − 1].
 * @example
 * ```ts
 * const order = permutation(key(0), 200); // Int32Array, a shuffle of 0..199
 * ```
 */
export function permutation(k: Key, n: number, opts?: SchemeOptions): Int32Array {
  const fn = 'permutation';
  assertKey(fn, k);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 2 ** 31 - 1) {
    throw invalidArgument(fn, 'n', n, 'an integer in [0, 2^31 - 1]');
  }
  const scheme = resolveScheme(fn, opts);
  let x = new Int32Array(n);
  for (let i = 0; i < n; i++) x[i] = i;
  const rounds = Math.ceil((3 * Math.log(Math.max(1, n))) / Math.log(4294967295));
  const sortKeys = new Uint32Array(n);
  const packed = n < PACK ? new Float64Array(n) : null;
  let next = new Int32Array(n);
  let current = k;
  for (let r = 0; r < rounds; r++) {
    const [carry, sub] = split(current, 2, { scheme });
    current = carry!;
    fillBits(sub!, sortKeys, scheme);
    if (packed) {
      for (let i = 0; i < n; i++) packed[i] = sortKeys[i]! * PACK + i;
      packed.sort();
      for (let i = 0; i < n; i++) next[i] = x[packed[i]! % PACK]!;
    } else {
      const idx = Array.from({ length: n }, (_, i) => i);
      idx.sort((a, b) => sortKeys[a]! - sortKeys[b]! || a - b);
      for (let i = 0; i < n; i++) next[i] = x[idx[i]!]!;
    }
    const t = x;
    x = next;
    next = t;
  }
  return x;
}
