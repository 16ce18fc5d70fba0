/**
 * Activation functions and their derivatives, in float64, stable for any input.
 *
 * Every function maps NaN to NaN, never overflows (inputs of ±1000 and beyond give the limits), and
 * each derivative is with respect to the pre-activation z in y = f(z).
 */
import { assertInteger, invalidArgument } from '../errors.js';
import { erf, GeluMode, geluLoop } from './erf.js';

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 0.3989422804014327; // 1/√(2π)
const SQRT_2_OVER_PI = 0.7978845608028654; // √(2/π)
const GELU_TANH_C = 0.044715;

/** σ(x) = 1 / (1 + e^(−x)), evaluated through e^(−|x|) so it never overflows. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** σ'(x) = σ(x)(1 − σ(x)) ∈ (0, ¼]. */
export function sigmoidDerivative(x: number): number {
  const s = sigmoid(x);
  return s * (1 - s);
}

/** tanh(x). */
export function tanh(x: number): number {
  return Math.tanh(x);
}

/** tanh'(x) = 1 − tanh²(x) = 4e^(−2|x|) / (1 + e^(−2|x|))², accurate also where tanh² rounds to 1. */
export function tanhDerivative(x: number): number {
  const e = Math.exp(-2 * Math.abs(x));
  const d = 1 + e;
  return (4 * e) / (d * d);
}

/** relu(x) = max(0, x). */
export function relu(x: number): number {
  return x > 0 ? x : x <= 0 ? 0 : Number.NaN;
}

/** relu'(x) = 1 for x > 0, else 0 (0 at x = 0, as in PyTorch and JAX). */
export function reluDerivative(x: number): number {
  return x > 0 ? 1 : x <= 0 ? 0 : Number.NaN;
}

/** Leaky ReLU: x for x > 0, slope·x otherwise (slope 0.01 by default). */
export function leakyRelu(x: number, slope = 0.01): number {
  return x > 0 ? x : slope * x;
}

/** Leaky ReLU derivative: 1 for x > 0, slope otherwise. */
export function leakyReluDerivative(x: number, slope = 0.01): number {
  return x > 0 ? 1 : x <= 0 ? slope : Number.NaN;
}

/** Exact GELU, x·Φ(x) = ½x(1 + erf(x/√2)) (PyTorch's default). */
export function gelu(x: number): number {
  if (x < -40) return x === Number.NEGATIVE_INFINITY ? 0 : -0;
  return 0.5 * x * (1 + erf(x * SQRT1_2));
}

/** Exact GELU derivative: Φ(x) + x·φ(x). */
export function geluDerivative(x: number): number {
  if (x < -40) return 0;
  if (x > 40) return 1;
  const cdf = 0.5 * (1 + erf(x * SQRT1_2));
  return cdf + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

function isFloatArray(v: unknown): v is Float64Array | Float32Array {
  return v instanceof Float64Array || v instanceof Float32Array;
}

/** O(1) checks of the array forms (argument types, n within every array); returns n. */
function checkArrays(fn: string, z: unknown, g: unknown, out: unknown, n: unknown): number {
  const what = 'a Float64Array or Float32Array';
  if (!isFloatArray(z)) throw invalidArgument(fn, 'z', z, what);
  if (!isFloatArray(g)) throw invalidArgument(fn, 'g', g, what);
  if (!isFloatArray(out)) throw invalidArgument(fn, 'out', out, what);
  assertInteger(fn, 'n', n, 0, Math.min(z.length, g.length, out.length));
  return n;
}

/**
 * Exact GELU over an array: `out[i] = gelu(z[i])` for i < n (n defaults to `z.length`), bit-identical
 * to {@link gelu} but with erf evaluated inside the loop, so it makes no per-element calls and
 * allocates nothing (the dense-network hot path). `out` may be `z`; Float32Array results are the
 * float64 values rounded once on the store.
 *
 * @example
 * ```ts
 * const z = new Float64Array([-1, 0, 1]);
 * const y = new Float64Array(3);
 * geluArray(z, y); // y = [gelu(-1), 0, gelu(1)] = [-0.15865525393145707, 0, 0.8413447460685429]
 * ```
 */
export function geluArray(
  z: Float64Array | Float32Array,
  out: Float64Array | Float32Array,
  n: number = z.length,
): void {
  geluLoop(GeluMode.Value, z, z, out, checkArrays('geluArray', z, z, out, n));
}

/**
 * Exact GELU derivative over an array: `out[i] = geluDerivative(z[i])` for i < n, bit-identical to
 * {@link geluDerivative}, allocation- and call-free per element like {@link geluArray}. `out` may be
 * `z`.
 *
 * @example
 * ```ts
 * const d = new Float64Array(1);
 * geluDerivativeArray(new Float64Array([0]), d); // d[0] = 0.5
 * ```
 */
export function geluDerivativeArray(
  z: Float64Array | Float32Array,
  out: Float64Array | Float32Array,
  n: number = z.length,
): void {
  geluLoop(GeluMode.Derivative, z, z, out, checkArrays('geluDerivativeArray', z, z, out, n));
}

/**
 * Backward step through an exact-GELU layer: `out[i] = g[i]·geluDerivative(z[i])` for i < n, turning
 * ∂L/∂a into ∂L/∂z. Bit-identical to the scalar product, allocation- and call-free per element like
 * {@link geluArray}. `out` may be `g` (or `z`).
 *
 * @example
 * ```ts
 * const g = new Float64Array([2, 2]);
 * geluDerivativeMul(new Float64Array([0, 100]), g, g); // g = [1, 2]
 * ```
 */
export function geluDerivativeMul(
  z: Float64Array | Float32Array,
  g: Float64Array | Float32Array,
  out: Float64Array | Float32Array,
  n: number = z.length,
): void {
  geluLoop(GeluMode.DerivativeMul, z, g, out, checkArrays('geluDerivativeMul', z, g, out, n));
}

/** GELU, tanh approximation: ½x(1 + tanh(√(2/π)(x + 0.044715x³))). */
export function geluTanh(x: number): number {
  if (x < -40) return x === Number.NEGATIVE_INFINITY ? 0 : -0;
  if (x > 40) return x;
  const u = SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x);
  return 0.5 * x * (1 + Math.tanh(u));
}

/** Derivative of the tanh-approximated GELU. */
export function geluTanhDerivative(x: number): number {
  if (x < -40) return 0;
  if (x > 40) return 1;
  const u = SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x);
  const t = Math.tanh(u);
  const du = SQRT_2_OVER_PI * (1 + 3 * GELU_TANH_C * x * x);
  return 0.5 * (1 + t) + 0.5 * x * tanhDerivative(u) * du;
}

/** identity(x) = x. */
export function identity(x: number): number {
  return x;
}

/** identity'(x) = 1 (NaN for NaN). */
export function identityDerivative(x: number): number {
  return Number.isNaN(x) ? Number.NaN : 1;
}

/** softplus(x) = log(1 + eˣ) = max(x, 0) + log1p(e^(−|x|)). */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** softplus'(x) = σ(x). */
export function softplusDerivative(x: number): number {
  return sigmoid(x);
}

/** ELU: x for x > 0, α(eˣ − 1) otherwise (α = 1 by default). */
export function elu(x: number, alpha = 1): number {
  return x > 0 ? x : alpha * Math.expm1(x);
}

/** ELU derivative: 1 for x > 0, α·eˣ otherwise. */
export function eluDerivative(x: number, alpha = 1): number {
  return x > 0 ? 1 : alpha * Math.exp(x);
}

function isArrayLike(v: unknown): v is ArrayLike<number> {
  return (
    v !== null && typeof v === 'object' && typeof (v as { length?: unknown }).length === 'number'
  );
}

/** O(1) checks of softmax-style arguments: `xs` array-like, `out` a Float64Array long enough. */
function checkVectorArgs(fn: string, xs: unknown, out: unknown, argX = 'xs'): void {
  if (!isArrayLike(xs)) throw invalidArgument(fn, argX, xs, 'an array of numbers');
  if (!(out instanceof Float64Array) || out.length < xs.length) {
    throw invalidArgument(
      fn,
      'out',
      out,
      `a Float64Array of length ≥ ${argX}.length = ${xs.length}`,
    );
  }
}

/**
 * Softmax, stable: subtracts the maximum first. NaN anywhere gives NaN everywhere; +∞ entries
 * share the mass equally; −∞ entries get 0; all −∞ gives NaN (undefined). Writes into `out` (a new
 * array by default) and returns it.
 *
 * @example
 * ```ts
 * softmax([0, Math.log(3)]); // Float64Array [0.25, 0.75]
 * ```
 */
export function softmax(
  xs: ArrayLike<number>,
  out: Float64Array = new Float64Array(isArrayLike(xs) ? xs.length : 0),
): Float64Array {
  checkVectorArgs('softmax', xs, out);
  const n = xs.length;
  let max = Number.NEGATIVE_INFINITY;
  let hasNaN = false;
  for (let i = 0; i < n; i++) {
    const v = xs[i]!;
    if (Number.isNaN(v)) hasNaN = true;
    else if (v > max) max = v;
  }
  if (hasNaN || max === Number.NEGATIVE_INFINITY) return out.fill(Number.NaN, 0, n);
  if (max === Number.POSITIVE_INFINITY) {
    let count = 0;
    for (let i = 0; i < n; i++) if (xs[i] === max) count++;
    for (let i = 0; i < n; i++) out[i] = xs[i] === max ? 1 / count : 0;
    return out;
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(xs[i]! - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < n; i++) out[i]! /= sum;
  return out;
}

/**
 * log-softmax, stable: xᵢ − max − log Σ e^(xⱼ − max). Writes into `out` (a new array by default).
 *
 * @example
 * ```ts
 * logSoftmax([0, 0]); // Float64Array [−ln 2, −ln 2]
 * ```
 */
export function logSoftmax(
  xs: ArrayLike<number>,
  out: Float64Array = new Float64Array(isArrayLike(xs) ? xs.length : 0),
): Float64Array {
  checkVectorArgs('logSoftmax', xs, out);
  const n = xs.length;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) if (xs[i]! > max || Number.isNaN(xs[i]!)) max = xs[i]!;
  if (!Number.isFinite(max)) return out.fill(Number.NaN, 0, n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(xs[i]! - max);
  const lse = max + Math.log(sum);
  for (let i = 0; i < n; i++) out[i] = xs[i]! - lse;
  return out;
}

/**
 * Vector–Jacobian product of softmax: given s = softmax(x) and an upstream gradient g,
 * returns Jᵀg = s ⊙ (g − ⟨g, s⟩).
 *
 * @example
 * ```ts
 * softmaxVjp([0.5, 0.5], [1, 0]); // Float64Array [0.25, −0.25]
 * ```
 */
export function softmaxVjp(
  s: ArrayLike<number>,
  g: ArrayLike<number>,
  out: Float64Array = new Float64Array(isArrayLike(s) ? s.length : 0),
): Float64Array {
  checkVectorArgs('softmaxVjp', s, out, 's');
  if (!isArrayLike(g) || g.length !== s.length) {
    throw invalidArgument('softmaxVjp', 'g', g, `an array of s.length = ${s.length} numbers`);
  }
  let dot = 0;
  for (let i = 0; i < s.length; i++) dot += s[i]! * g[i]!;
  for (let i = 0; i < s.length; i++) out[i] = s[i]! * (g[i]! - dot);
  return out;
}
