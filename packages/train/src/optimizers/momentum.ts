import { type LearningRate, toSchedule } from '../schedules.js';
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

/**
 * `m ← g + β m`; writes `m` (or, with Nesterov, `g + β m`) to `out`. Allocation-free kernel shared
 * by {@link trace}, {@link momentum} and `sgd`.
 */
export function traceInto(
  g: Float64Array,
  m: Float64Array,
  out: Float64Array,
  beta: number,
  nesterov: boolean,
): void {
  const n = out.length;
  if (nesterov) {
    for (let i = 0; i < n; i++) {
      const mi = g[i]! + beta * m[i]!;
      m[i] = mi;
      out[i] = g[i]! + beta * mi;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const mi = g[i]! + beta * m[i]!;
      m[i] = mi;
      out[i] = mi;
    }
  }
}

/** State of {@link trace} and {@link momentum}. */
export interface TraceState extends OptimizerState {
  readonly trace: Float64Array;
}

/**
 * Momentum accumulation without a learning rate: `m ← g + β m`, updates `m`
 * (Nesterov: `g + β m`). Compose with {@link scaleByLearningRate} in a {@link chain}.
 * @example `chain(trace({ decay: 0.9 }), scaleByLearningRate(0.01))` equals `momentum(0.01)`.
 */
export function trace(options: {
  decay: number;
  nesterov?: boolean;
}): GradientTransformation<TraceState> {
  const o = checkOptions('trace', options, ['decay', 'nesterov']);
  const beta = unitInterval('trace', 'options.decay', o.decay);
  const nesterov = booleanOption('trace', 'options.nesterov', o.nesterov, false);
  return {
    config: { name: 'trace', decay: beta, nesterov },
    init(params) {
      const n = checkParams('trace.init', params).length;
      return makeState(n, { trace: new Float64Array(n) });
    },
    update(grads, state) {
      checkGrads('trace.update', grads, state);
      traceInto(grads, state.trace, state.updates, beta, nesterov);
      state.count++;
      return state.result;
    },
  };
}

/**
 * Gradient descent with (heavy-ball or Nesterov) momentum: `m ← g + β m`, `updates = −η(t) m`
 * (Nesterov: `−η(t) (g + β m)`). Same as `sgd(lr, { momentum: beta, nesterov })`.
 *
 * @example
 * ```ts
 * const opt = momentum(0.01, { beta: 0.9, nesterov: true });
 * ```
 */
export function momentum(
  learningRate: LearningRate,
  options: { beta?: number; nesterov?: boolean } = {},
): GradientTransformation<TraceState> {
  const lr = toSchedule('momentum', learningRate);
  const o = checkOptions('momentum', options, ['beta', 'nesterov']);
  const beta = unitInterval('momentum', 'options.beta', o.beta ?? 0.9);
  const nesterov = booleanOption('momentum', 'options.nesterov', o.nesterov, false);
  return {
    learningRate: lr,
    config: {
      name: 'momentum',
      learningRate: describeRate(learningRate),
      beta,
      nesterov,
      ...scheduleField(learningRate),
    },
    init(params) {
      const n = checkParams('momentum.init', params).length;
      return makeState(n, { trace: new Float64Array(n) });
    },
    update(grads, state) {
      checkGrads('momentum.update', grads, state);
      const u = state.updates;
      traceInto(grads, state.trace, u, beta, nesterov);
      const s = -lr(state.count);
      for (let i = 0; i < u.length; i++) u[i] = s * u[i]!;
      state.count++;
      return state.result;
    },
  };
}
