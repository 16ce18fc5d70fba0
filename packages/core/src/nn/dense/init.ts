/**
 * Random initial parameters for a dense network, from an explicit key.
 */

import type { FloatArray } from '../../activations/index.js';
import { assertPositive, invalidArgument } from '../../errors.js';
import { assertAllocation } from '../../limits.js';
import { isKey, type Key, normal, split, uniform } from '../../random/index.js';
import type { MlpDtype } from './mlp.js';
import { type MlpSpec, resolveSpec } from './spec.js';

/** Initialisation schemes of {@link initMlp}. */
export type MlpInit = 'pytorch' | 'xavier' | 'he' | 'normal';

/** Options of {@link initMlp}. */
export interface InitMlpOptions {
  /** Scheme (default `'pytorch'`). */
  init?: MlpInit;
  /** Multiplies every bound or standard deviation (default 1). */
  scale?: number;
  /** Element type of the returned parameters (default `'float64'`). */
  dtype?: MlpDtype;
}

/**
 * Random flat parameters for `spec`, in {@link mlpLayout} order. For layer l with fan-in m and
 * fan-out n, and s = `scale`:
 *
 * - `'pytorch'` (default): W and b ~ U(−s/√m, s/√m), as `torch.nn.Linear`.
 * - `'xavier'`: W ~ U(±s·√(6/(m + n))) (Glorot uniform), b = 0.
 * - `'he'`: W ~ N(0, s²·2/m) (Kaiming normal, for ReLU), b = 0.
 * - `'normal'`: W and b ~ N(0, s²) (the lecture's w, b ~ N(0, 1)).
 *
 * Keys: `split(key, L)` gives one key per layer, and each layer's key is split in two for W and b
 * (`random`'s JAX-compatible `uniform` and `normal`, so the draws are float32 values).
 *
 * @example
 * ```ts
 * const spec = mlpSpec([1, 32, 32, 1], 'tanh');
 * const params = initMlp(spec, key(0)); // Float64Array(1153)
 * const p32 = initMlp(spec, key(0), { init: 'xavier', dtype: 'float32' });
 * ```
 */
export function initMlp(spec: MlpSpec, key: Key, opts: InitMlpOptions = {}): FloatArray {
  const fn = 'initMlp';
  const { layout } = resolveSpec(fn, spec);
  if (!isKey(key)) {
    throw invalidArgument(fn, 'key', key, 'a key (Uint32Array of length 2, from key() or split())');
  }
  const init = opts.init ?? 'pytorch';
  if (init !== 'pytorch' && init !== 'xavier' && init !== 'he' && init !== 'normal') {
    throw invalidArgument(fn, 'opts.init', init, "'pytorch', 'xavier', 'he' or 'normal'");
  }
  const scale = opts.scale ?? 1;
  assertPositive(fn, 'opts.scale', scale);
  const dtype = opts.dtype ?? 'float64';
  if (dtype !== 'float64' && dtype !== 'float32') {
    throw invalidArgument(fn, 'opts.dtype', dtype, "'float64' or 'float32'");
  }
  assertAllocation(fn, 'spec (parameter count)', layout.size);
  const params =
    dtype === 'float32' ? new Float32Array(layout.size) : new Float64Array(layout.size);
  const keys = split(key, layout.layers.length);
  layout.layers.forEach(({ inSize: m, outSize: n, wOffset, bOffset }, l) => {
    const [wKey, bKey] = split(keys[l]!, 2);
    if (init === 'pytorch' || init === 'xavier') {
      const bound = scale * (init === 'pytorch' ? 1 / Math.sqrt(m) : Math.sqrt(6 / (m + n)));
      params.set(uniform(wKey!, [n, m], { minval: -bound, maxval: bound }), wOffset);
      if (init === 'pytorch')
        params.set(uniform(bKey!, [n], { minval: -bound, maxval: bound }), bOffset);
    } else {
      const std = init === 'he' ? scale * Math.sqrt(2 / m) : scale;
      const w = normal(wKey!, [n, m]);
      for (let k = 0; k < w.length; k++) params[wOffset + k] = std * w[k]!;
      if (init === 'normal') {
        const b = normal(bKey!, [n]);
        for (let k = 0; k < n; k++) params[bOffset + k] = std * b[k]!;
      }
    }
  });
  return params;
}
