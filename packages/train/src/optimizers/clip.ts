import { assertPositive } from '@annlab/core/internal';
import { checkGrads, checkParams, type GradientTransformation, makeState } from './types.js';

/** The Euclidean norm of a vector: √(Σ gᵢ²), computed with scaling so it cannot overflow. */
export function globalNorm(g: Float64Array): number {
  let scale = 0;
  for (let i = 0; i < g.length; i++) {
    const a = Math.abs(g[i]!);
    if (a > scale) scale = a;
  }
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let i = 0; i < g.length; i++) {
    const r = g[i]! / scale;
    s += r * r;
  }
  return scale * Math.sqrt(s);
}

/**
 * Clips the updates by their global norm: `g · min(1, maxNorm / ‖g‖₂)`. Put it first in a
 * {@link chain}.
 * @example `chain(clipByGlobalNorm(1), adam(1e-3))`
 */
export function clipByGlobalNorm(maxNorm: number): GradientTransformation {
  assertPositive('clipByGlobalNorm', 'maxNorm', maxNorm);
  return {
    config: { name: 'clipByGlobalNorm', maxNorm },
    init: (params) => makeState(checkParams('clipByGlobalNorm.init', params).length, {}),
    update(grads, state) {
      checkGrads('clipByGlobalNorm.update', grads, state);
      const norm = globalNorm(grads);
      const s = norm > maxNorm ? maxNorm / norm : 1;
      const u = state.updates;
      for (let i = 0; i < u.length; i++) u[i] = s * grads[i]!;
      state.count++;
      return state.result;
    },
  };
}
