import { ValidationError } from '@annlab/core';
import { formatValue } from '@annlab/core/internal';
import { type LearningRate, toSchedule } from '../schedules.js';
import {
  checkGrads,
  checkOptions,
  checkParams,
  describeRate,
  type GradientTransformation,
  makeState,
  nonNegative,
  type OptimizerState,
  positiveOption,
  scheduleField,
  unitInterval,
} from './types.js';

/** State of the Adam family: first and second moment estimates. */
export interface AdamState extends OptimizerState {
  readonly mu: Float64Array;
  readonly nu: Float64Array;
}

/** Options of {@link adam} and {@link scaleByAdam}. */
export interface AdamOptions {
  /** Decay of the first moment (default 0.9). */
  b1?: number;
  /** Decay of the second moment (default 0.999). */
  b2?: number;
  /** Added to √v̂ in the denominator (default 1e-8). */
  eps?: number;
}

/** Options of {@link adamw}. */
export interface AdamWOptions extends AdamOptions {
  /** Decoupled weight decay λ (default 1e-4, as optax). */
  weightDecay?: number;
}

function adamOptions(fn: string, options: AdamWOptions | undefined, extra: string[] = []) {
  const o = checkOptions(fn, options, ['b1', 'b2', 'eps', ...extra]);
  return {
    b1: unitInterval(fn, 'options.b1', o.b1 ?? 0.9),
    b2: unitInterval(fn, 'options.b2', o.b2 ?? 0.999),
    eps: positiveOption(fn, 'options.eps', o.eps ?? 1e-8),
    weightDecay: o.weightDecay,
  };
}

function adamState(fn: string, params: Float64Array): AdamState {
  const n = checkParams(fn, params).length;
  return makeState(n, { mu: new Float64Array(n), nu: new Float64Array(n) });
}

/**
 * The Adam step (fused, allocation-free). With t = count + 1:
 * 1. m ← b1 m + (1 − b1) g;  v ← b2 v + (1 − b2) g²
 * 2. m̂ = m / (1 − b1ᵗ);  v̂ = v / (1 − b2ᵗ)
 * 3. u = scale · (m̂ / (√v̂ + ε) + λ p)   (λ = 0 except for AdamW)
 */
function adamInto(
  g: Float64Array,
  s: AdamState,
  b1: number,
  b2: number,
  eps: number,
  scale: number,
  decay: number,
  params: Float64Array | undefined,
): void {
  const t = s.count + 1;
  const c1 = 1 / (1 - b1 ** t);
  const c2 = 1 / (1 - b2 ** t);
  const { mu, nu, updates: u } = s;
  const n = u.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    const m = b1 * mu[i]! + (1 - b1) * gi;
    const v = b2 * nu[i]! + (1 - b2) * gi * gi;
    mu[i] = m;
    nu[i] = v;
    u[i] = (m * c1) / (Math.sqrt(v * c2) + eps);
  }
  if (decay !== 0 && params !== undefined) {
    for (let i = 0; i < n; i++) u[i] = u[i]! + decay * params[i]!;
  }
  if (scale !== 1) for (let i = 0; i < n; i++) u[i] = scale * u[i]!;
}

/**
 * Adam (Kingma & Ba), as PyTorch and optax: updates `−η(t) · m̂ / (√v̂ + ε)` with bias-corrected
 * moments m̂, v̂.
 *
 * @example
 * ```ts
 * const opt = adam(0.01); // W3: lr 0.01, β 0.9 / 0.999, ε 1e-8
 * const state = opt.init(params);
 * applyUpdates(params, opt.update(grads, state)[0]);
 * ```
 */
export function adam(
  learningRate: LearningRate,
  options: AdamOptions = {},
): GradientTransformation<AdamState> {
  const lr = toSchedule('adam', learningRate);
  const { b1, b2, eps } = adamOptions('adam', options);
  return {
    learningRate: lr,
    config: {
      name: 'adam',
      learningRate: describeRate(learningRate),
      b1,
      b2,
      eps,
      ...scheduleField(learningRate),
    },
    init: (params) => adamState('adam.init', params),
    update(grads, state) {
      checkGrads('adam.update', grads, state);
      adamInto(grads, state, b1, b2, eps, -lr(state.count), 0, undefined);
      state.count++;
      return state.result;
    },
  };
}

/**
 * AdamW: Adam with decoupled weight decay, `updates = −η(t) · (m̂ / (√v̂ + ε) + λ p)` (needs
 * `params` in `update`).
 * @example `const opt = adamw(1e-3, { weightDecay: 1e-2 });`
 */
export function adamw(
  learningRate: LearningRate,
  options: AdamWOptions = {},
): GradientTransformation<AdamState> {
  const lr = toSchedule('adamw', learningRate);
  const { b1, b2, eps, weightDecay: wd } = adamOptions('adamw', options, ['weightDecay']);
  const weightDecay = nonNegative('adamw', 'options.weightDecay', wd ?? 1e-4);
  return {
    learningRate: lr,
    config: {
      name: 'adamw',
      learningRate: describeRate(learningRate),
      b1,
      b2,
      eps,
      weightDecay,
      ...scheduleField(learningRate),
    },
    init: (params) => adamState('adamw.init', params),
    update(grads, state, params) {
      checkGrads('adamw.update', grads, state);
      if (weightDecay !== 0) requireParams('adamw.update', params, state);
      adamInto(grads, state, b1, b2, eps, -lr(state.count), weightDecay, params);
      state.count++;
      return state.result;
    },
  };
}

/**
 * Adam's rescaling without the learning rate: updates `m̂ / (√v̂ + ε)`.
 * @example `chain(scaleByAdam(), scaleByLearningRate(0.01))` equals `adam(0.01)`.
 */
export function scaleByAdam(options: AdamOptions = {}): GradientTransformation<AdamState> {
  const { b1, b2, eps } = adamOptions('scaleByAdam', options);
  return {
    config: { name: 'scaleByAdam', b1, b2, eps },
    init: (params) => adamState('scaleByAdam.init', params),
    update(grads, state) {
      checkGrads('scaleByAdam.update', grads, state);
      adamInto(grads, state, b1, b2, eps, 1, 0, undefined);
      state.count++;
      return state.result;
    },
  };
}

function requireParams(fn: string, params: Float64Array | undefined, state: OptimizerState): void {
  if (!(params instanceof Float64Array) || params.length !== state.updates.length) {
    throw new ValidationError(
      `${fn}: params must be the Float64Array(${state.updates.length}) being optimised, got ${formatValue(params)}`,
      fn,
      'params',
    );
  }
}

/**
 * Adds decoupled weight decay: `updates = g + λ p` (needs `params`).
 * @example `chain(scaleByAdam(), addDecayedWeights(1e-4), scaleByLearningRate(1e-3))` equals `adamw(1e-3)`.
 */
export function addDecayedWeights(weightDecay: number): GradientTransformation {
  const wd = nonNegative('addDecayedWeights', 'weightDecay', weightDecay);
  return {
    config: { name: 'addDecayedWeights', weightDecay: wd },
    init: (params) => makeState(checkParams('addDecayedWeights.init', params).length, {}),
    update(grads, state, params) {
      checkGrads('addDecayedWeights.update', grads, state);
      requireParams('addDecayedWeights.update', params, state);
      const u = state.updates;
      const p = params!;
      for (let i = 0; i < u.length; i++) u[i] = grads[i]! + wd * p[i]!;
      state.count++;
      return state.result;
    },
  };
}
