/**
 * `init_network_params` of JAX's MLP tutorial, bit for bit.
 */

import { assertFiniteNumber, formatValue, ValidationError } from '../errors.js';
import { assertAllocation } from '../limits.js';
import { normal } from './distributions.js';
import { assertKey, type Key, type SchemeOptions, split } from './key.js';

/** One dense layer's parameters: `w` is n×m row-major (n outputs, m inputs), `b` has length n. */
export interface LayerParams {
  /** Weights, `n × m` row-major: `w[i * m + j]` multiplies input j into output i. */
  w: Float64Array;
  /** Biases, length n. */
  b: Float64Array;
  /** Inputs m. */
  inputs: number;
  /** Outputs n. */
  outputs: number;
}

/**
 * The tutorial's `init_network_params(sizes, key)` with `random_layer_params(m, n, key, scale)`:
 *
 * ```text
 * def random_layer_params(m, n, key, scale):
 *   w_key, b_key = random.split(key)
 *   return scale * random.normal(w_key, (n, m)), scale * random.normal(b_key, (n,))
 * def init_network_params(sizes, key):
 *   keys = random.split(key, len(sizes))
 *   return [random_layer_params(m, n, k) for m, n, k in zip(sizes[:-1], sizes[1:], keys)]
 * ```
 *
 * Note that `split` makes `len(sizes)` keys for `len(sizes) − 1` layers: the last key is unused, and
 * because the split layout depends on the count, the layers' keys differ from those of
 * `split(key, len(sizes) − 1)`. `scale · normal` is a float32 product (`scale` rounded to float32).
 * JAX gives the same value for shapes `()`, `(1,)` and `(1, 1)`, so a width-one network's `w` and `b`
 * are the first normal of their keys.
 *
 * @param sizes - layer widths `[m₀, m₁, …]`, at least two positive integers.
 * @param scale - standard deviation of the draws (default 1; the JAX tutorial uses 1e-2).
 * @example
 * ```ts
 * const params = initNetworkParams([1, 1, 1, 1], key(1)); // the lecture's width-one N = 3 network
 * ```
 */
export function initNetworkParams(
  sizes: readonly number[],
  k: Key,
  scale = 1,
  opts?: SchemeOptions,
): LayerParams[] {
  const fn = 'initNetworkParams';
  if (!Array.isArray(sizes) || sizes.length < 2) {
    throw new ValidationError(
      `${fn}: sizes must be an array of at least 2 layer widths, got ${formatValue(sizes)}`,
      fn,
      'sizes',
    );
  }
  sizes.forEach((s, i) => {
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 1) {
      throw new ValidationError(
        `${fn}: sizes[${i}] must be a positive integer, got ${formatValue(s)}`,
        fn,
        'sizes',
      );
    }
  });
  let total = 0;
  for (let l = 0; l + 1 < sizes.length; l++) total += sizes[l]! * sizes[l + 1]! + sizes[l + 1]!;
  assertAllocation(fn, 'sizes', total);
  assertKey(fn, k);
  assertFiniteNumber(fn, 'scale', scale);
  const s = Math.fround(scale);
  const keys = split(k, sizes.length, opts);
  const layers: LayerParams[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const m = sizes[l]!;
    const n = sizes[l + 1]!;
    const [wKey, bKey] = split(keys[l]!, 2, opts);
    const w = normal(wKey!, [n, m], opts);
    const b = normal(bKey!, [n], opts);
    if (s !== 1) {
      for (let i = 0; i < w.length; i++) w[i] = Math.fround(s * w[i]!);
      for (let i = 0; i < b.length; i++) b[i] = Math.fround(s * b[i]!);
    }
    layers.push({ w, b, inputs: m, outputs: n });
  }
  return layers;
}
