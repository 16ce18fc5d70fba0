import { type LearningRate, type Schedule, toSchedule } from '../schedules.js';
import { traceInto } from './momentum.js';
import {
  booleanOption,
  checkGrads,
  checkOptions,
  checkParams,
  describeRate,
  type GradientTransformation,
  makeState,
  type OptimizerState,
  scheduleField,
  unitInterval,
} from './types.js';

/** State of {@link sgd}: the momentum trace (empty without momentum). */
export interface SgdState extends OptimizerState {
  readonly trace: Float64Array;
}

/** Options of {@link sgd}. */
export interface SgdOptions {
  /** Momentum coefficient β ∈ [0, 1) (default 0: plain gradient descent). */
  momentum?: number;
  /** Nesterov momentum (default false). */
  nesterov?: boolean;
}

/**
 * Stochastic gradient descent: `updates = −η(t) · g`, or with momentum β
 * `m ← g + β m`, `updates = −η(t) · m` (Nesterov: `−η(t) · (g + β m)`), as in PyTorch and optax.
 *
 * @param learningRate η, a finite number > 0 or a {@link Schedule} of the step count.
 * @example
 * ```ts
 * const opt = sgd(0.01);
 * const state = opt.init(params);
 * applyUpdates(params, opt.update(grads, state)[0]);
 * ```
 */
export function sgd(
  learningRate: LearningRate,
  options: SgdOptions = {},
): GradientTransformation<SgdState> {
  const lr: Schedule = toSchedule('sgd', learningRate);
  const o = checkOptions('sgd', options, ['momentum', 'nesterov']);
  const beta = unitInterval('sgd', 'options.momentum', o.momentum ?? 0);
  const nesterov = booleanOption('sgd', 'options.nesterov', o.nesterov, false);
  return {
    learningRate: lr,
    config: {
      name: 'sgd',
      learningRate: describeRate(learningRate),
      momentum: beta,
      nesterov,
      ...scheduleField(learningRate),
    },
    init(params) {
      const n = checkParams('sgd.init', params).length;
      return makeState(n, { trace: new Float64Array(beta > 0 ? n : 0) });
    },
    update(grads, state) {
      checkGrads('sgd.update', grads, state);
      const eta = lr(state.count);
      const u = state.updates;
      if (beta > 0) traceInto(grads, state.trace, u, beta, nesterov);
      else u.set(grads);
      for (let i = 0; i < u.length; i++) u[i] = -eta * u[i]!;
      state.count++;
      return state.result;
    },
  };
}

/**
 * Multiplies the incoming updates by `−η(t)`: the last link of a {@link chain}.
 * @example `chain(clipByGlobalNorm(1), scaleByLearningRate(0.1))`
 */
export function scaleByLearningRate(learningRate: LearningRate): GradientTransformation {
  const lr = toSchedule('scaleByLearningRate', learningRate);
  return {
    learningRate: lr,
    config: {
      name: 'scaleByLearningRate',
      learningRate: describeRate(learningRate),
      ...scheduleField(learningRate),
    },
    init(params) {
      return makeState(checkParams('scaleByLearningRate.init', params).length, {});
    },
    update(grads, state) {
      checkGrads('scaleByLearningRate.update', grads, state);
      const s = -lr(state.count);
      const u = state.updates;
      for (let i = 0; i < u.length; i++) u[i] = s * grads[i]!;
      state.count++;
      return state.result;
    },
  };
}
