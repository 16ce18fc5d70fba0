import { ValidationError } from '@annlab/core';
import { formatValue } from '@annlab/core/internal';
import {
  checkParams,
  type GradientTransformation,
  type OptimizerState,
  type UpdateResult,
} from './types.js';

/** State of {@link chain}: one state per link; `updates` is the last link's buffer. */
export interface ChainState extends OptimizerState {
  readonly states: OptimizerState[];
}

/**
 * Composes transformations left to right: the updates of each feed the next, as optax's `chain`.
 *
 * @example
 * ```ts
 * const opt = chain(clipByGlobalNorm(1), scaleByAdam(), scaleByLearningRate(warmupCosineDecay({
 *   peak: 1e-3, warmupSteps: 100, decaySteps: 1000 })));
 * ```
 */
export function chain(...transforms: GradientTransformation[]): GradientTransformation<ChainState> {
  if (transforms.length === 0) {
    throw new ValidationError(
      'chain: needs at least one transformation, got none',
      'chain',
      'transforms',
    );
  }
  transforms.forEach((t, i) => {
    if (typeof t?.init !== 'function' || typeof t.update !== 'function') {
      throw new ValidationError(
        `chain: transforms[${i}] must be a gradient transformation, got ${formatValue(t)}`,
        'chain',
        `transforms[${i}]`,
      );
    }
  });
  const k = transforms.length;
  return {
    config: { name: 'chain', transforms: transforms.map((t) => t.config) },
    init(params) {
      checkParams('chain.init', params);
      const states = transforms.map((t) => t.init(params));
      const last = states[k - 1]!;
      const state = { count: 0, updates: last.updates, states, result: undefined as unknown };
      state.result = [last.updates, state] as const;
      return state as unknown as ChainState;
    },
    update(grads, state, params) {
      let g = grads;
      const states = state.states;
      for (let i = 0; i < k; i++) {
        const r: UpdateResult<OptimizerState> = transforms[i]!.update(g, states[i]!, params);
        g = r[0];
      }
      state.count++;
      return state.result;
    },
  };
}
