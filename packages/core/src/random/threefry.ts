/**
 * The Threefry-2x32 block function (20 rounds), as JAX's default PRNG uses it.
 *
 * Threefry (Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC'11) maps a
 * 64-bit key and a 64-bit counter, each held as two uint32 words, to two pseudo-random uint32 words.
 * JAX's `jax/_src/prng.py` (`_threefry2x32_lowering`) computes it as follows, and so do we:
 *
 * 1. Key schedule `ks = [k0, k1, k0 ^ k1 ^ 0x1BD11BDA]`.
 * 2. Inject: `x0 += ks[0]`, `x1 += ks[1]`.
 * 3. Five groups of four rounds. A round with rotation `r` is
 *    `x0 += x1; x1 = rotl(x1, r); x1 ^= x0` (all arithmetic mod 2³²). The groups alternate the rotation
 *    sets `[13, 15, 26, 6]` and `[17, 29, 16, 24]`; after group `g` (1..5) the key words rotate and
 *    `x0 += ks[g % 3]`, `x1 += ks[(g + 1) % 3] + g`.
 *
 * The Random123 known-answer vectors (also in JAX's `tests/random_test.py`, `testThreefry2x32`) are
 * checked in `threefry.test.ts`.
 */
import { invalidArgument } from '../errors.js';
import { threefryXorWordsWasm } from './threefryWasm.js';

/** Scratch output of {@link threefryInto}; read `TF_OUT[0]`, `TF_OUT[1]` right after the call. */
export const TF_OUT = new Uint32Array(2);

/**
 * Hashes counter `(x0, x1)` under key `(k0, k1)` into `TF_OUT` without allocating. All inputs are
 * uint32 values (any number is reduced mod 2³²).
 */
export function threefryInto(k0: number, k1: number, x0: number, x1: number): void {
  const ks0 = k0 | 0;
  const ks1 = k1 | 0;
  const ks2 = ks0 ^ ks1 ^ 0x1bd11bda;
  let a = (x0 + ks0) | 0;
  let b = (x1 + ks1) | 0;
  // group 1: rotations 13, 15, 26, 6
  a = (a + b) | 0;
  b = ((b << 13) | (b >>> 19)) ^ a;
  a = (a + b) | 0;
  b = ((b << 15) | (b >>> 17)) ^ a;
  a = (a + b) | 0;
  b = ((b << 26) | (b >>> 6)) ^ a;
  a = (a + b) | 0;
  b = ((b << 6) | (b >>> 26)) ^ a;
  a = (a + ks1) | 0;
  b = (b + ks2 + 1) | 0;
  // group 2: rotations 17, 29, 16, 24
  a = (a + b) | 0;
  b = ((b << 17) | (b >>> 15)) ^ a;
  a = (a + b) | 0;
  b = ((b << 29) | (b >>> 3)) ^ a;
  a = (a + b) | 0;
  b = ((b << 16) | (b >>> 16)) ^ a;
  a = (a + b) | 0;
  b = ((b << 24) | (b >>> 8)) ^ a;
  a = (a + ks2) | 0;
  b = (b + ks0 + 2) | 0;
  // group 3
  a = (a + b) | 0;
  b = ((b << 13) | (b >>> 19)) ^ a;
  a = (a + b) | 0;
  b = ((b << 15) | (b >>> 17)) ^ a;
  a = (a + b) | 0;
  b = ((b << 26) | (b >>> 6)) ^ a;
  a = (a + b) | 0;
  b = ((b << 6) | (b >>> 26)) ^ a;
  a = (a + ks0) | 0;
  b = (b + ks1 + 3) | 0;
  // group 4
  a = (a + b) | 0;
  b = ((b << 17) | (b >>> 15)) ^ a;
  a = (a + b) | 0;
  b = ((b << 29) | (b >>> 3)) ^ a;
  a = (a + b) | 0;
  b = ((b << 16) | (b >>> 16)) ^ a;
  a = (a + b) | 0;
  b = ((b << 24) | (b >>> 8)) ^ a;
  a = (a + ks1) | 0;
  b = (b + ks2 + 4) | 0;
  // group 5
  a = (a + b) | 0;
  b = ((b << 13) | (b >>> 19)) ^ a;
  a = (a + b) | 0;
  b = ((b << 15) | (b >>> 17)) ^ a;
  a = (a + b) | 0;
  b = ((b << 26) | (b >>> 6)) ^ a;
  a = (a + b) | 0;
  b = ((b << 6) | (b >>> 26)) ^ a;
  a = (a + ks2) | 0;
  b = (b + ks0 + 5) | 0;
  TF_OUT[0] = a;
  TF_OUT[1] = b;
}

/**
 * The Threefry-2x32 hash of one counter under one key: `[y0, y1]` as uint32 numbers.
 *
 * @example
 * ```ts
 * threefry2x32([0, 0], [0, 0]); // [0x6b200159, 0x99ba4efe] (Random123 known answer)
 * ```
 */
export function threefry2x32(
  key: readonly [number, number] | Uint32Array,
  counter: readonly [number, number] | Uint32Array,
): [number, number] {
  for (const [arg, v] of [
    ['key', key],
    ['counter', counter],
  ] as const) {
    const ok =
      (v instanceof Uint32Array || Array.isArray(v)) &&
      v.length === 2 &&
      Array.from(v).every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff);
    if (!ok) throw invalidArgument('threefry2x32', arg, v, 'two uint32 words');
  }
  threefryInto(key[0]!, key[1]!, counter[0]!, counter[1]!);
  return [TF_OUT[0]!, TF_OUT[1]!];
}

/**
 * `out[i] = y0 ^ y1` of the hash of counter (0, i) under key (k0, k1), for i < out.length (< 2³²):
 * the words of `randomBits` in the partitionable scheme. The rounds of {@link threefryInto} inlined
 * in the loop (a call per word costs as much as the hash at this size); checked against
 * `threefryInto` word for word in `threefry.test.ts`. From 8 words on, the WebAssembly SIMD module
 * of `threefryWasm.ts` (four words at a time) computes the same words where it is available.
 */
export function threefryXorWords(k0: number, k1: number, out: Uint32Array): void {
  if (out.length >= 8 && threefryXorWordsWasm(k0, k1, out)) return;
  const ks0 = k0 | 0;
  const ks1 = k1 | 0;
  const ks2 = ks0 ^ ks1 ^ 0x1bd11bda;
  const n = out.length;
  for (let i = 0; i < n; i++) {
    let a = ks0;
    let b = (i + ks1) | 0;
    // group 1: rotations 13, 15, 26, 6
    a = (a + b) | 0;
    b = ((b << 13) | (b >>> 19)) ^ a;
    a = (a + b) | 0;
    b = ((b << 15) | (b >>> 17)) ^ a;
    a = (a + b) | 0;
    b = ((b << 26) | (b >>> 6)) ^ a;
    a = (a + b) | 0;
    b = ((b << 6) | (b >>> 26)) ^ a;
    a = (a + ks1) | 0;
    b = (b + ks2 + 1) | 0;
    // group 2: rotations 17, 29, 16, 24
    a = (a + b) | 0;
    b = ((b << 17) | (b >>> 15)) ^ a;
    a = (a + b) | 0;
    b = ((b << 29) | (b >>> 3)) ^ a;
    a = (a + b) | 0;
    b = ((b << 16) | (b >>> 16)) ^ a;
    a = (a + b) | 0;
    b = ((b << 24) | (b >>> 8)) ^ a;
    a = (a + ks2) | 0;
    b = (b + ks0 + 2) | 0;
    // group 3
    a = (a + b) | 0;
    b = ((b << 13) | (b >>> 19)) ^ a;
    a = (a + b) | 0;
    b = ((b << 15) | (b >>> 17)) ^ a;
    a = (a + b) | 0;
    b = ((b << 26) | (b >>> 6)) ^ a;
    a = (a + b) | 0;
    b = ((b << 6) | (b >>> 26)) ^ a;
    a = (a + ks0) | 0;
    b = (b + ks1 + 3) | 0;
    // group 4
    a = (a + b) | 0;
    b = ((b << 17) | (b >>> 15)) ^ a;
    a = (a + b) | 0;
    b = ((b << 29) | (b >>> 3)) ^ a;
    a = (a + b) | 0;
    b = ((b << 16) | (b >>> 16)) ^ a;
    a = (a + b) | 0;
    b = ((b << 24) | (b >>> 8)) ^ a;
    a = (a + ks1) | 0;
    b = (b + ks2 + 4) | 0;
    // group 5
    a = (a + b) | 0;
    b = ((b << 13) | (b >>> 19)) ^ a;
    a = (a + b) | 0;
    b = ((b << 15) | (b >>> 17)) ^ a;
    a = (a + b) | 0;
    b = ((b << 26) | (b >>> 6)) ^ a;
    a = (a + b) | 0;
    b = ((b << 6) | (b >>> 26)) ^ a;
    a = (a + ks2) | 0;
    b = (b + ks0 + 5) | 0;
    out[i] = a ^ b;
  }
}
