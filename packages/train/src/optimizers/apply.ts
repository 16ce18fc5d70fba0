import { ShapeError } from '@annlab/core';

/**
 * Adds the updates to the parameters in place (`params[i] += updates[i]`) and returns `params`.
 * Optimizers already include the minus sign, so this is the descent step.
 * @example
 * ```ts
 * applyUpdates(params, opt.update(grads, state, params)[0]);
 * ```
 */
export function applyUpdates(params: Float64Array, updates: Float64Array): Float64Array {
  if (params.length !== updates.length) {
    throw new ShapeError(
      `applyUpdates: updates has length ${updates.length}, params has length ${params.length}`,
      'applyUpdates',
      'updates',
    );
  }
  for (let i = 0; i < params.length; i++) params[i] = params[i]! + updates[i]!;
  return params;
}
