/**
 * JAX's float32 samplers: `uniform`, `normal`, `exponential`, `bernoulli`.
 *
 * Values are float32 numbers (JAX's default dtype when `jax_enable_x64` is off) stored in a
 * `Float64Array`, flattened row-major. Each follows the corresponding function of
 * `jax/_src/random.py` step by step, every float operation rounded to float32.
 */
import { invalidArgument } from '../errors.js';
import { fillBits, type RandomShape } from './bits.js';
import { erfinvF32 } from './float32.js';
import { assertKey, type Key, resolveScheme, type SchemeOptions, shapeSize } from './key.js';

const f = Math.fround;
const TWO_M23 = 2 ** -23;
/** `np.nextafter(float32(-1), float32(0))` = −(1 − 2⁻²⁴), the lower end of `normal`'s uniform. */
const NORMAL_LO = -(1 - 2 ** -24);
/** `np.sqrt(2)` as float32. */
const SQRT2_F32 = f(Math.SQRT2);

/** Options of {@link uniform}. */
export interface UniformOptions extends SchemeOptions {
  /** Inclusive lower end (default 0); rounded to float32 as JAX does. */
  minval?: number;
  /** Exclusive upper end (default 1); rounded to float32. */
  maxval?: number;
}

function bitsFor(
  fn: string,
  k: Key,
  shape: RandomShape,
  opts: SchemeOptions | undefined,
): Uint32Array {
  assertKey(fn, k);
  const n = shapeSize(fn, shape);
  const bits = new Uint32Array(n);
  fillBits(k, bits, resolveScheme(fn, opts));
  return bits;
}

/**
 * Maps random words to float32 uniforms in [lo, hi) in place of `out`, as JAX's `_uniform`:
 *
 * 1. `(bits >>> 9) | 0x3F800000` reinterpreted as float32 is a value in [1, 2) with 23 random
 *    mantissa bits; minus 1 gives `m · 2⁻²³` in [0, 1) exactly (`m = bits >>> 9`).
 * 2. `u · (hi − lo) + lo`, each operation rounded to float32.
 * 3. `max(lo, ·)`, so rounding cannot push a value below `lo`.
 */
function uniformFromBits(bits: Uint32Array, lo: number, hi: number, out: Float64Array): void {
  const span = f(hi - lo);
  for (let i = 0; i < bits.length; i++) {
    const u = (bits[i]! >>> 9) * TWO_M23;
    const v = f(f(u * span) + lo);
    out[i] = Math.max(v, lo);
  }
}

/**
 * `jax.random.uniform(key, shape, float32, minval, maxval)`: float32 uniforms in [minval, maxval).
 *
 * With the default range the values are multiples of 2⁻²³. XLA may fuse `u · span + lo` into one
 * fused multiply-add on some hardware; for the default range and for `normal`'s range both forms are
 * exact, otherwise they can differ in the last float32 bit.
 *
 * @example
 * ```ts
 * uniform(key(0), []); // Float64Array [0.9476670026779175] (JAX ≥ 0.5 prints 0.947667)
 * ```
 */
export function uniform(k: Key, shape: RandomShape, opts: UniformOptions = {}): Float64Array {
  const fn = 'uniform';
  const minval = opts.minval ?? 0;
  const maxval = opts.maxval ?? 1;
  if (typeof minval !== 'number' || !Number.isFinite(minval)) {
    throw invalidArgument(fn, 'opts.minval', minval, 'a finite number');
  }
  if (typeof maxval !== 'number' || !Number.isFinite(maxval)) {
    throw invalidArgument(fn, 'opts.maxval', maxval, 'a finite number');
  }
  const lo = f(minval);
  const hi = f(maxval);
  if (!(hi > lo)) {
    throw invalidArgument(fn, 'opts.maxval', maxval, `greater than minval (${minval}) in float32`);
  }
  const bits = bitsFor(fn, k, shape, opts);
  const out = new Float64Array(bits.length);
  uniformFromBits(bits, lo, hi, out);
  return out;
}

/**
 * `jax.random.normal(key, shape)` in float32: `√2 · erfinv(u)` with `u` uniform in
 * (nextafter(−1, 0), 1), as JAX's `_normal_real`:
 *
 * 1. `u = uniform(key, shape, minval = −(1 − 2⁻²⁴), maxval = 1)` (span rounds to exactly 2).
 * 2. `erfinv(u)` by XLA's float32 polynomial ({@link erfinvF32}).
 * 3. Multiply by `float32(√2)`.
 *
 * Bits and uniforms are bit-identical to JAX; the normals match JAX's published values (see the
 * tests), but can differ in the last bit where XLA's float32 `log1p` rounds differently from ours.
 *
 * @example
 * ```ts
 * const w = normal(key(1), [3, 2]); // 6 float32 normals, row-major 3×2
 * ```
 */
export function normal(k: Key, shape: RandomShape, opts?: SchemeOptions): Float64Array {
  const bits = bitsFor('normal', k, shape, opts);
  const out = new Float64Array(bits.length);
  uniformFromBits(bits, NORMAL_LO, 1, out);
  for (let i = 0; i < out.length; i++) out[i] = f(SQRT2_F32 * erfinvF32(out[i]!));
  return out;
}

/** Options of {@link exponential}. */
export interface ExponentialOptions extends SchemeOptions {
  /** Rate λ > 0 (default 1); the mean is 1/λ. */
  rate?: number;
}

/**
 * Exponential samples by inverse transform, as `jax.random.exponential`: `−log1p(−u)`, i.e.
 * `−log(1 − U)`, with `u = uniform(key, shape)` in [0, 1) (so the argument of log is in (0, 1]),
 * divided by `rate` (JAX has no rate; `rate = 1` gives JAX's values). Float32 throughout.
 *
 * @example
 * ```ts
 * exponential(key(3), 1000, { rate: 2 }); // mean ≈ 0.5
 * ```
 */
export function exponential(
  k: Key,
  shape: RandomShape,
  opts: ExponentialOptions = {},
): Float64Array {
  const fn = 'exponential';
  const rate = opts.rate ?? 1;
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0) {
    throw invalidArgument(fn, 'opts.rate', rate, 'a finite number > 0');
  }
  const r = f(rate);
  if (r === 0) throw invalidArgument(fn, 'opts.rate', rate, 'representable in float32 (≥ 1e-45)');
  const bits = bitsFor(fn, k, shape, opts);
  const out = new Float64Array(bits.length);
  uniformFromBits(bits, 0, 1, out);
  for (let i = 0; i < out.length; i++) {
    const e = -f(Math.log1p(-out[i]!));
    out[i] = r === 1 ? e : f(e / r);
  }
  return out;
}

/**
 * `jax.random.bernoulli(key, p, shape)`: 1 with probability `p`, else 0, as `uniform(key) < p` in
 * float32 (`p` rounded to float32).
 *
 * @example
 * ```ts
 * bernoulli(key(0), 0.3, 10); // Uint8Array of ten 0/1 values
 * ```
 */
export function bernoulli(k: Key, p: number, shape: RandomShape, opts?: SchemeOptions): Uint8Array {
  const fn = 'bernoulli';
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw invalidArgument(fn, 'p', p, 'a probability in [0, 1]');
  }
  const bits = bitsFor(fn, k, shape, opts);
  const pf = f(p);
  const out = new Uint8Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = (bits[i]! >>> 9) * TWO_M23 < pf ? 1 : 0;
  return out;
}
