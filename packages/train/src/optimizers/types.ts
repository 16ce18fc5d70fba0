import { ShapeError, ValidationError } from '@annlab/core';
import { formatValue, invalidArgument } from '@annlab/core/internal';
import { describeSchedule, type LearningRate, type Schedule } from '../schedules.js';

/**
 * State of a gradient transformation. The state owns its buffers: `update` overwrites them in place
 * and returns the same `updates` array and state object every call, so nothing is allocated per step.
 * Copy `updates` if you need to keep it past the next call.
 */
export interface OptimizerState {
  /** Updates applied so far with this state (0 before the first `update`). */
  count: number;
  /** The buffer `update` writes into (same length as the parameters). */
  readonly updates: Float64Array;
  /** The tuple `update` returns, reused every call. */
  readonly result: UpdateResult<this>;
}

/** What `update` returns: `[updates, state]`, both owned by the state (see {@link OptimizerState}). */
export type UpdateResult<S> = readonly [updates: Float64Array, state: S];

/** JSON description of a transformation, stored in checkpoints and in training records. */
export interface OptimizerConfig {
  readonly name: string;
  readonly [option: string]: number | boolean | string | OptimizerConfig[] | undefined;
}

/**
 * A gradient transformation in the optax style: a pure pair of `init` and `update` that takes
 * gradients explicitly. `update(grads, state, params)` returns the updates to ADD to the parameters
 * (apply them with `applyUpdates`); optimizers already include the minus sign and learning rate.
 *
 * @example
 * ```ts
 * const opt = adam(1e-3);
 * const state = opt.init(params);
 * const [updates] = opt.update(grads, state, params);
 * applyUpdates(params, updates); // params += updates
 * ```
 */
export interface GradientTransformation<S extends OptimizerState = OptimizerState> {
  /** JSON-serialisable description (schedules appear as `'schedule'`). */
  readonly config: OptimizerConfig;
  /**
   * The learning rate as a function of the update count, for optimizers that have one (`sgd`,
   * `momentum`, `adam`, `adamw`, `scaleByLearningRate`): what a device trainer needs to follow a
   * schedule.
   */
  readonly learningRate?: Schedule;
  /** Allocates the state for parameters of this length. */
  init(params: Float64Array): S;
  /** Transforms `grads` into updates, advancing the state in place. */
  update(grads: Float64Array, state: S, params?: Float64Array): UpdateResult<S>;
}

/** Creates a state with its own update buffer and result tuple. */
export function makeState<E extends object>(n: number, extra: E): OptimizerState & E {
  const updates = new Float64Array(n);
  const state = { count: 0, updates, result: undefined as unknown, ...extra };
  state.result = [updates, state] as const;
  return state as unknown as OptimizerState & E;
}

/** Checks that `params` is a Float64Array (for `init`). */
export function checkParams(fn: string, params: unknown): Float64Array {
  if (!(params instanceof Float64Array)) {
    throw new ValidationError(
      `${fn}: params must be a Float64Array, got ${formatValue(params)}`,
      fn,
      'params',
    );
  }
  return params;
}

/** Checks that `grads` matches the state's length (one comparison: cheap enough for hot loops). */
export function checkGrads(fn: string, grads: Float64Array, state: OptimizerState): void {
  if (grads.length !== state.updates.length) {
    throw new ShapeError(
      `${fn}: grads has length ${grads.length}, but the state was initialised for ${state.updates.length} parameters`,
      fn,
      'grads',
    );
  }
}

/**
 * Checks an options argument: `undefined` (all defaults) or a plain object whose keys are all known.
 * `null`, a number or a misspelt key is a named error instead of a raw TypeError or a silent default.
 */
export function checkOptions<T extends object>(
  fn: string,
  options: T | undefined,
  known: readonly string[],
): Partial<T> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalidArgument(fn, 'options', options, 'an object');
  }
  for (const name of Object.keys(options)) {
    if (!known.includes(name)) {
      throw new ValidationError(
        `${fn}: unknown option ${JSON.stringify(name)} (options: ${known.join(', ')})`,
        fn,
        `options.${name}`,
      );
    }
  }
  return options;
}

/** Checks a boolean option (`nesterov: 'no'` is an error, not truthy). */
export function booleanOption(fn: string, arg: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalidArgument(fn, arg, value, 'true or false');
  return value;
}

/** Checks a finite number > 0 (Adam's ε: 0 gives 0/0 on a zero gradient). */
export function positiveOption(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw invalidArgument(fn, arg, value, 'a finite number > 0');
  }
  return value;
}

/** Checks a coefficient in [0, 1) (momentum, Adam's β). */
export function unitInterval(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw invalidArgument(fn, arg, value, 'a number in [0, 1)');
  }
  return value;
}

/** Checks a finite number ≥ 0 (ε, weight decay). */
export function nonNegative(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidArgument(fn, arg, value, 'a finite number ≥ 0');
  }
  return value;
}

/** Learning rate as stored in configs: the number, or `'schedule'`. */
export function describeRate(lr: LearningRate): number | string {
  return typeof lr === 'number' ? lr : 'schedule';
}

/** `{ schedule: description }` for a built-in schedule (see `describeSchedule`), else `{}`. */
export function scheduleField(lr: LearningRate): { schedule?: string } {
  const d = describeSchedule(lr);
  return d === undefined ? {} : { schedule: d };
}
