/**
 * `jax.random.permutation(key, n)`: a uniformly random permutation of `0 … n−1`.
 */
import { invalidArgument } from '../errors.js';
import { fillBits } from './bits.js';
import { assertKey, type Key, resolveScheme, type SchemeOptions } from './key.js';
import { TF_OUT, threefryInto } from './threefry.js';
import { permutationWasm, threefryWordsWasm } from './threefryWasm.js';

/** Scratch buffers reused across calls (grown on demand): sort keys and the sorts' swap space. */
let sortKeys = new Uint32Array(0);
let keysTmp = new Uint32Array(0);
let valsTmp = new Int32Array(0);
/** Int32 views of `sortKeys` and `keysTmp`. */
let keysSigned = new Int32Array(0);
let keysTmpSigned = new Int32Array(0);
/** Bucket counts: 2¹⁶ + 1 for the bucket sort, 4 · 256 for the radix sort. */
const counts = new Int32Array(65537);
/** Up to this n, {@link bucketInsertionSort}; above, {@link radixSort}. */
const BUCKET_MAX = 65536;
/** Up to this n (one round), {@link smallIdentitySort}. */
const SMALL_MAX = 1625;
/**
 * {@link smallIdentitySort}'s counts and swap space, fixed-size module constants (20 KB): V8 compiles
 * loops over constant typed arrays tighter than over the reassigned scratch buffers above (measured
 * 2.3 → 1.3 µs for n = 200).
 */
const smallCounts = new Int32Array(512);
const smallKeysA = new Int32Array(SMALL_MAX);
const smallValsA = new Int32Array(SMALL_MAX);
const smallKeysB = new Int32Array(SMALL_MAX);

/**
 * Stable sort of `vals` by `keys` (uint32) for n ≤ 2¹⁶, in place: a stable counting scatter by the
 * top b bits (2ᵇ ≥ n buckets, so about one key per bucket), then an insertion sort by the whole key,
 * which only moves keys within a bucket. O(n) for random keys. With `identity`, `vals` is taken to
 * hold 0..n−1 and is not read. The insertion runs on the keys with
 * the sign bit flipped, read as int32 (same order, cheaper comparisons); `keys` is clobbered.
 */
function bucketInsertionSort(
  keys: Uint32Array,
  vals: Int32Array,
  n: number,
  identity: boolean,
): void {
  const b = Math.min(16, Math.max(4, Math.ceil(Math.log2(n))));
  const shift = 32 - b;
  const size = 1 << b;
  counts.fill(0, 0, size + 1);
  for (let i = 0; i < n; i++) counts[(keys[i]! >>> shift) + 1]!++;
  for (let j = 1; j <= size; j++) counts[j]! += counts[j - 1]!;
  const kb = keysTmpSigned;
  const vb = valsTmp;
  if (identity) {
    // vals is 0..n−1 (the first round): no need to read it.
    for (let i = 0; i < n; i++) {
      const k = keys[i]!;
      const pos = counts[k >>> shift]!++;
      kb[pos] = k ^ 0x80000000;
      vb[pos] = i;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const k = keys[i]!;
      const pos = counts[k >>> shift]!++;
      kb[pos] = k ^ 0x80000000;
      vb[pos] = vals[i]!;
    }
  }
  const ks = keysSigned;
  let last = -2147483648;
  for (let i = 0; i < n; i++) {
    const k = kb[i]!;
    const v = vb[i]!;
    if (k >= last) {
      ks[i] = k;
      vals[i] = v;
      last = k;
      continue;
    }
    let j = i - 1;
    // Strictly greater: equal keys keep their order (stability).
    while (j >= 0 && ks[j]! > k) {
      ks[j + 1] = ks[j]!;
      vals[j + 1] = vals[j]!;
      j--;
    }
    ks[j + 1] = k;
    vals[j + 1] = v;
  }
}

/**
 * The first round's stable sort of `0..n−1` by `keys` (uint32) into `out`, for small n (one round,
 * n ≤ 1625): a least-significant-digit radix sort on the keys' top 16 bits only (two 8-bit counting
 * scatters, no data-dependent branches), then one insertion pass by the whole key, which only has
 * work where two keys share their top 16 bits (rare for small n, so its branch is predictable; the
 * random-key branches of {@link bucketInsertionSort} cost more than the sort itself at n = 200).
 * Both scatters are stable and the insertion moves only past strictly greater keys, so equal keys
 * keep their index order, as `lax.sort_key_val` does. `keys` is not modified. Exported for its
 * tests only (not part of the package's API).
 *
 * @internal
 */
export function smallIdentitySort(keys: Uint32Array, out: Int32Array, n: number): void {
  const c = smallCounts;
  c.fill(0, 0, 512);
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    c[(k >>> 16) & 255]!++;
    c[256 + (k >>> 24)]!++;
  }
  let s0 = 0;
  let s1 = 0;
  for (let b = 0; b < 256; b++) {
    const a = c[b]!;
    c[b] = s0;
    s0 += a;
    const d = c[256 + b]!;
    c[256 + b] = s1;
    s1 += d;
  }
  // Pass 1 by bits 16..23, storing the keys with the sign bit flipped (int32 order = uint32 order).
  const kb = smallKeysA;
  const vb = smallValsA;
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    const pos = c[(k >>> 16) & 255]!++;
    kb[pos] = k ^ 0x80000000;
    vb[pos] = i;
  }
  // Pass 2 by bits 24..31 (of the unflipped key: top byte of the flipped one, xor 128).
  const ks = smallKeysB;
  for (let i = 0; i < n; i++) {
    const k = kb[i]!;
    const pos = c[256 + ((k >>> 24) ^ 128)]!++;
    ks[pos] = k;
    out[pos] = vb[i]!;
  }
  // Keys sharing their top 16 bits: insertion by the whole key (strictly greater moves: stable).
  let last = ks[0]!;
  for (let i = 1; i < n; i++) {
    const k = ks[i]!;
    if (k >= last) {
      last = k;
      continue;
    }
    const v = out[i]!;
    let j = i - 1;
    while (j >= 0 && ks[j]! > k) {
      ks[j + 1] = ks[j]!;
      out[j + 1] = out[j]!;
      j--;
    }
    ks[j + 1] = k;
    out[j + 1] = v;
  }
}

/**
 * Stable sort of `vals` by `keys` (uint32), in place: a least-significant-digit radix sort with four
 * 8-bit digits (one counting pass for all four histograms, then one stable scatter per digit,
 * skipping digits on which every key agrees). O(n); `keys` is clobbered.
 */
function radixSort(keys: Uint32Array, vals: Int32Array, n: number): void {
  counts.fill(0, 0, 1024);
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    counts[k & 255]!++;
    counts[256 + ((k >>> 8) & 255)]!++;
    counts[512 + ((k >>> 16) & 255)]!++;
    counts[768 + (k >>> 24)]!++;
  }
  let ka: Uint32Array = keys;
  let va: Int32Array = vals;
  let kb: Uint32Array = keysTmp;
  let vb: Int32Array = valsTmp;
  for (let d = 0; d < 4; d++) {
    const base = d * 256;
    const shift = 8 * d;
    // A digit shared by every key leaves the order as it is.
    if (counts[base + ((ka[0]! >>> shift) & 255)] === n) continue;
    let sum = 0;
    for (let b = 0; b < 256; b++) {
      const c = counts[base + b]!;
      counts[base + b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const k = ka[i]!;
      const pos = counts[base + ((k >>> shift) & 255)]!++;
      kb[pos] = k;
      vb[pos] = va[i]!;
    }
    const tk = ka;
    ka = kb;
    kb = tk;
    const tv = va;
    va = vb;
    vb = tv;
  }
  if (va !== vals) vals.set(va.subarray(0, n));
}

/**
 * JAX's `_shuffle` applied to `arange(n)` (int32), in `jax/_src/random.py`:
 *
 * 1. `rounds = ⌈3 · ln(max(1, n)) / ln(2³² − 1)⌉` (1 round up to n ≈ 1625, 2 up to ≈ 2.6 million).
 * 2. Each round: `key, subkey = split(key)`; draw `n` random uint32 sort keys from `subkey`; sort the
 *    current array by them, stably (`lax.sort_key_val`), so equal sort keys keep their order.
 *
 * Repeating with fresh 32-bit sort keys makes ties (which would bias the result) negligible. The
 * stable sort is a radix sort on the top 16 bits finished by insertion (one round, n ≤ 1625; run
 * with the hashing in a small WebAssembly module where available, see `threefryWasm.ts`), a
 * bucket sort on the keys' top bits finished by insertion (n ≤ 2¹⁶) or a radix
 * sort (larger n), both O(n) with scratch buffers reused across calls, so a permutation of 200
 * costs little more than drawing its 200 random words.
 *
 * @param n - length, an integer in [0, 2³¹ − 1].
 * @example
 * ```ts
 * const order = permutation(key(0), 200); // Int32Array, a shuffle of 0..199
 * ```
 */
export function permutation(k: Key, n: number, opts?: SchemeOptions): Int32Array {
  const fn = 'permutation';
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 2 ** 31 - 1) {
    assertKey(fn, k);
    throw invalidArgument(fn, 'n', n, 'an integer in [0, 2^31 - 1]');
  }
  return fillPermutation(fn, k, new Int32Array(n), opts);
}

/**
 * {@link permutation} written into `out` (its length is n): the same values, without allocating
 * the result, for loops that draw a new order every epoch.
 *
 * @example
 * ```ts
 * const order = new Int32Array(200);
 * for (let e = 0; e < 500; e++) permutationInto(foldIn(key(0), e), order); // epoch e's order
 * ```
 */
export function permutationInto(k: Key, out: Int32Array, opts?: SchemeOptions): Int32Array {
  if (!(out instanceof Int32Array)) {
    assertKey('permutationInto', k);
    throw invalidArgument('permutationInto', 'out', out, 'an Int32Array');
  }
  return fillPermutation('permutationInto', k, out, opts);
}

/** The key pair of `split(current, 2)` without allocating: [carry, sub]. */
const roundKeys = [new Uint32Array(2), new Uint32Array(2)] as const;

function splitTwoInto(k: Key, scheme: 'partitionable' | 'legacy'): void {
  const [carry, sub] = roundKeys;
  const k0 = k[0]!;
  const k1 = k[1]!;
  if (scheme === 'partitionable') {
    // split: key i = threefry(key, (0, i)).
    threefryInto(k0, k1, 0, 0);
    const c0 = TF_OUT[0]!;
    const c1 = TF_OUT[1]!;
    threefryInto(k0, k1, 0, 1);
    carry[0] = c0;
    carry[1] = c1;
    sub[0] = TF_OUT[0]!;
    sub[1] = TF_OUT[1]!;
    return;
  }
  // legacy, num = 2: pairs (0, 2) and (1, 3); flat = [y0 of both, y1 of both] = [carry, sub].
  threefryInto(k0, k1, 0, 2);
  const a0 = TF_OUT[0]!;
  const a1 = TF_OUT[1]!;
  threefryInto(k0, k1, 1, 3);
  carry[0] = a0;
  carry[1] = TF_OUT[0]!;
  sub[0] = a1;
  sub[1] = TF_OUT[1]!;
}

function fillPermutation(
  fn: string,
  k: Key,
  x: Int32Array,
  opts: SchemeOptions | undefined,
): Int32Array {
  assertKey(fn, k);
  const scheme = resolveScheme(fn, opts);
  const n = x.length;
  const rounds = n <= 1 ? 0 : Math.ceil((3 * Math.log(n)) / Math.log(4294967295));
  if (rounds === 1 && scheme === 'partitionable') {
    // One round: the whole permutation in the WebAssembly module (SIMD words, then the same
    // top-16-bit radix sort and insertion as smallIdentitySort); else its words sorted in JS.
    splitTwoInto(k, scheme);
    if (permutationWasm(roundKeys[1][0]!, roundKeys[1][1]!, x)) return x;
    const words = threefryWordsWasm(roundKeys[1][0]!, roundKeys[1][1]!, n);
    if (words !== null) {
      smallIdentitySort(words, x, n);
      return x;
    }
  }
  const bucket = n <= BUCKET_MAX;
  // The bucket sort writes every entry of its first round itself.
  if (!bucket || rounds === 0) for (let i = 0; i < n; i++) x[i] = i;
  if (sortKeys.length < n) {
    sortKeys = new Uint32Array(n);
    keysTmp = new Uint32Array(n);
    valsTmp = new Int32Array(n);
    keysSigned = new Int32Array(sortKeys.buffer);
    keysTmpSigned = new Int32Array(keysTmp.buffer);
  }
  const bits = n === sortKeys.length ? sortKeys : sortKeys.subarray(0, n);
  let current: Key = k;
  for (let r = 0; r < rounds; r++) {
    splitTwoInto(current, scheme);
    fillBits(roundKeys[1], bits, scheme);
    if (rounds === 1 && n <= SMALL_MAX) smallIdentitySort(bits, x, n);
    else if (bucket) bucketInsertionSort(bits, x, n, r === 0);
    else radixSort(bits, x, n);
    current = roundKeys[0];
  }
  return x;
}
