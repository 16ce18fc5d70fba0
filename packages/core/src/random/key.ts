/**
 * JAX-compatible PRNG keys: `key(seed)` (`jax.random.PRNGKey`), `split`, `foldIn`.
 *
 * A key is JAX's raw `key_data` for the default `threefry2x32` implementation: a `Uint32Array` of
 * length 2. Keys are values: no function here mutates one.
 *
 * ## The two counter schemes
 * JAX derives child keys and random bits from a key by hashing counters with Threefry-2x32, in one of
 * two layouts chosen by the `jax_threefry_partitionable` flag, whose default became `True` in JAX
 * 0.5.0 and is still `True` in JAX 0.8 (`jax/_src/prng.py`, `_threefry_split`,
 * `threefry_random_bits`):
 *
 * - `'partitionable'` (default here, as in JAX ≥ 0.5): element `i` of a flat result of size `n` hashes
 *   the 64-bit counter `i` split into words `(hi, lo) = (⌊i / 2³²⌋, i mod 2³²)`
 *   (`iota_2x32_shape`). `split(key, n)[i]` is the pair `threefry(key, (hi, lo))`; `randomBits` gives
 *   `y0 ^ y1` of that pair.
 * - `'legacy'` (JAX < 0.5, or `jax_threefry_partitionable=False`): the counters `0 … m−1` are cut in
 *   halves (`m` padded to even with a 0), pair `j` is `(j, ⌈m/2⌉ + j)`, and the outputs are laid out
 *   as `[y0 of every pair, y1 of every pair]`, truncated to `m` (`threefry_2x32`). `split(key, n)`
 *   uses `m = 2n` and reads consecutive words as keys; `randomBits` uses `m = n`.
 *
 * `foldIn(key, d)` is `threefry(key, (0, d))` in both schemes, so in the partitionable scheme
 * `foldIn(key, i)` equals `split(key, n)[i]` for every `n > i`.
 */
import { formatValue, invalidArgument, ValidationError } from '../errors.js';
import { TF_OUT, threefryInto } from './threefry.js';

/** A PRNG key: JAX's `key_data` layout for threefry2x32, two uint32 words. */
export type Key = Uint32Array;

/** Counter layout used to derive keys and bits (see the module documentation). */
export type Scheme = 'partitionable' | 'legacy';

/** Options shared by every function that derives keys or bits. */
export interface SchemeOptions {
  /** Counter layout; `'partitionable'` (JAX ≥ 0.5 default) unless given. */
  scheme?: Scheme;
}

/** True when `value` is a valid key: a `Uint32Array` of length 2. */
export function isKey(value: unknown): value is Key {
  return value instanceof Uint32Array && value.length === 2;
}

/** Throws a ValidationError naming `fn` unless `value` is a key. */
export function assertKey(fn: string, value: unknown, arg = 'key'): asserts value is Key {
  if (!isKey(value)) {
    throw invalidArgument(fn, arg, value, 'a key (Uint32Array of length 2, from key() or split())');
  }
}

/** Resolves and validates the scheme option. */
export function resolveScheme(fn: string, opts: SchemeOptions | undefined): Scheme {
  const s = opts?.scheme ?? 'partitionable';
  if (s !== 'partitionable' && s !== 'legacy') {
    throw invalidArgument(fn, 'opts.scheme', s, "'partitionable' or 'legacy'");
  }
  return s;
}

const TWO32 = 4294967296n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Options of {@link key}. */
export interface KeyOptions {
  /**
   * Build the key as JAX does with `jax_enable_x64=True`: `[high word, low word]` of the seed's
   * int64 two's complement. Default `false`, JAX's default, where the seed becomes an int32 and the
   * key is `[0, seed mod 2³²]`.
   */
  x64?: boolean;
}

/**
 * `jax.random.PRNGKey(seed)`: a key from an integer seed.
 *
 * JAX (`random_seed` and `_threefry_seed` in `jax/_src/prng.py`) turns a Python int into an int64,
 * then, in its default 32-bit mode, into an int32, which keeps the low 32 bits; the key is
 * `[seed >> 32, seed & 0xFFFFFFFF]` of that int32, i.e. `[0, seed mod 2³²]`. So `key(-1)` is
 * `[0, 4294967295]` and `key(2 ** 32 + 5)` equals `key(5)`. With `{ x64: true }` the int64 is kept and
 * the key is `[high word, low word]` (`key(-1, { x64: true })` is `[4294967295, 4294967295]`).
 *
 * @param seed - an integer in the int64 range, as a number (safe integer) or a bigint.
 * @example
 * ```ts
 * key(1); // Uint32Array [0, 1]
 * ```
 */
export function key(seed: number | bigint, opts: KeyOptions = {}): Key {
  const fn = 'key';
  let s: bigint;
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed)) throw invalidArgument(fn, 'seed', seed, 'a safe integer');
    s = BigInt(seed);
  } else if (typeof seed === 'bigint') {
    s = seed;
  } else {
    throw invalidArgument(fn, 'seed', seed, 'an integer (number or bigint)');
  }
  if (s < INT64_MIN || s > INT64_MAX) {
    throw invalidArgument(fn, 'seed', seed, 'in the int64 range [-2^63, 2^63 - 1]');
  }
  const u = ((s % (TWO32 * TWO32)) + TWO32 * TWO32) % (TWO32 * TWO32); // two's complement as uint64
  const lo = Number(u % TWO32);
  const hi = opts.x64 === true ? Number(u / TWO32) : 0;
  return Uint32Array.of(hi, lo);
}

/** Builds a key from two uint32 words (JAX's `wrap_key_data` for raw data). */
export function keyFromData(k0: number, k1: number): Key {
  for (const [arg, v] of [
    ['k0', k0],
    ['k1', k1],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      throw invalidArgument('keyFromData', arg, v, 'an integer in [0, 2^32 - 1]');
    }
  }
  return Uint32Array.of(k0, k1);
}

/** `"[k0, k1]"`, the way JAX prints key data. */
export function keyToString(k: Key): string {
  assertKey('keyToString', k);
  return `[${k[0]}, ${k[1]}]`;
}

/**
 * `jax.random.split(key, num)`: `num` new independent keys.
 *
 * @param num - number of keys, an integer ≥ 0 (default 2).
 * @param opts - `scheme`: counter layout (default `'partitionable'`, JAX ≥ 0.5).
 * @example
 * ```ts
 * const [wKey, bKey] = split(key(0));
 * ```
 */
export function split(k: Key, num = 2, opts?: SchemeOptions): Key[] {
  const fn = 'split';
  assertKey(fn, k);
  if (typeof num !== 'number' || !Number.isInteger(num) || num < 0 || num > 2 ** 31) {
    throw invalidArgument(fn, 'num', num, 'an integer in [0, 2^31]');
  }
  const scheme = resolveScheme(fn, opts);
  const k0 = k[0]!;
  const k1 = k[1]!;
  const out: Key[] = new Array(num);
  if (scheme === 'partitionable') {
    for (let i = 0; i < num; i++) {
      threefryInto(k0, k1, 0, i);
      out[i] = Uint32Array.of(TF_OUT[0]!, TF_OUT[1]!);
    }
    return out;
  }
  // legacy: counters 0..2n-1 as pairs (j, n + j); flat = [y0 of all pairs, y1 of all pairs].
  const flat = new Uint32Array(2 * num);
  for (let j = 0; j < num; j++) {
    threefryInto(k0, k1, j, num + j);
    flat[j] = TF_OUT[0]!;
    flat[num + j] = TF_OUT[1]!;
  }
  for (let i = 0; i < num; i++) out[i] = flat.slice(2 * i, 2 * i + 2);
  return out;
}

/**
 * `jax.random.fold_in(key, data)`: a new key that depends on `key` and the integer `data`
 * (`threefry(key, (0, data))`, identical in both schemes).
 *
 * @param data - an integer in [−2³¹, 2³² − 1]; negative values wrap to uint32, as `jnp.uint32` does
 *   for int32 inputs.
 * @example
 * ```ts
 * const stepKey = foldIn(key(0), 17);
 * ```
 */
export function foldIn(k: Key, data: number): Key {
  const fn = 'foldIn';
  assertKey(fn, k);
  if (
    typeof data !== 'number' ||
    !Number.isInteger(data) ||
    data < -(2 ** 31) ||
    data > 0xffffffff
  ) {
    throw invalidArgument(fn, 'data', data, 'an integer in [-2^31, 2^32 - 1]');
  }
  threefryInto(k[0]!, k[1]!, 0, data >>> 0);
  return Uint32Array.of(TF_OUT[0]!, TF_OUT[1]!);
}

/** Normalizes a shape argument (`n`, `[]`, `[n, m]`) to its element count, validating it. */
export function shapeSize(fn: string, shape: unknown): number {
  if (typeof shape === 'number') {
    if (!Number.isInteger(shape) || shape < 0) {
      throw invalidArgument(fn, 'shape', shape, 'a non-negative integer or an array of them');
    }
    return shape;
  }
  if (!Array.isArray(shape)) {
    throw invalidArgument(fn, 'shape', shape, 'a non-negative integer or an array of them');
  }
  let size = 1;
  for (let i = 0; i < shape.length; i++) {
    const d: unknown = shape[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new ValidationError(
        `${fn}: shape[${i}] must be a non-negative integer, got ${formatValue(d)}`,
        fn,
        'shape',
      );
    }
    size *= d;
  }
  if (size > 2 ** 32 - 1) {
    throw invalidArgument(fn, 'shape', shape, 'of size below 2^32');
  }
  return size;
}
