/**
 * The lecture's initialisation of the width-one network, through JAX's MLP-tutorial initialiser.
 */

import { assertInteger } from '../../errors.js';
import { assertAllocation } from '../../limits.js';
import { initNetworkParams, type Key, type SchemeOptions } from '../../random/index.js';
import { type ChainParams, chainParamsView } from './params.js';

/**
 * Random parameters for a width-one network of depth N, as the lecture draws them: the
 * `init_network_params([1] * (N + 1), key, scale=1)` of JAX's MLP tutorial, so w_i and b_i are
 * standard normals (float32 values, exactly as JAX gives them) from layer i's keys:
 * w_i = layer i's W[0][0], b_i = its b[0]. Deterministic in the key.
 *
 * Steps: 1. `initNetworkParams(new Array(N + 1).fill(1), key, 1, opts)`; 2. copy each layer's single
 * weight and bias into `data = [w_1..w_N, b_1..b_N]`.
 *
 * @param opts - the key scheme (`'partitionable'`, JAX ≥ 0.5's default, or `'legacy'`).
 *
 * @example
 * ```ts
 * const params = initChain(key(0), 3); // Example 1 of the lecture
 * params.w; // Float64Array(3)
 * ```
 */
export function initChain(key: Key, depth: number, opts?: SchemeOptions): ChainParams {
  assertInteger('initChain', 'depth', depth, 1);
  assertAllocation('initChain', `depth = ${depth}`, 2 * depth);
  const layers = initNetworkParams(new Array<number>(depth + 1).fill(1), key, 1, opts);
  const data = new Float64Array(2 * depth);
  for (let i = 0; i < depth; i++) {
    data[i] = layers[i]!.w[0]!;
    data[depth + i] = layers[i]!.b[0]!;
  }
  return chainParamsView(data, depth);
}
