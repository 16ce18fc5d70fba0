/**
 * Learning-rate schedules: pure functions of the step count (0 for the first update).
 * Every optimizer accepts either a number or a {@link Schedule}.
 *
 * @example
 * ```ts
 * const lr = warmupCosineDecay({ peak: 1e-2, warmupSteps: 100, decaySteps: 1000 });
 * const opt = adam(lr);
 * lr(0); // 0
 * lr(100); // 0.01
 * ```
 */
import { assertFiniteNumber, assertInteger, invalidArgument } from '@annlab/core/internal';

/** A learning rate (or any scalar) as a function of the step count `step ≥ 0`. */
export type Schedule = (step: number) => number;

/** A fixed learning rate or a schedule. */
export type LearningRate = number | Schedule;

const DESCRIPTIONS = new WeakMap<Schedule, string>();

/** Remembers how a built-in schedule was made (`stepDecay(0.1, {"stepSize":100,…})`). */
function described(schedule: Schedule, name: string, ...args: unknown[]): Schedule {
  DESCRIPTIONS.set(schedule, `${name}(${args.map((a) => JSON.stringify(a)).join(', ')})`);
  return schedule;
}

/**
 * How a built-in schedule was made, e.g. `'stepDecay(0.1, {"stepSize":100,"gamma":0.5})'`, or
 * undefined for any other function. Optimizer configs store it as `schedule`, so that a trainer
 * restored with another schedule is refused.
 * @example `describeSchedule(stepDecay(0.1, { stepSize: 100 }))`
 */
export function describeSchedule(schedule: unknown): string | undefined {
  return typeof schedule === 'function' ? DESCRIPTIONS.get(schedule as Schedule) : undefined;
}

function positive(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw invalidArgument(fn, arg, v, 'a finite number > 0');
  }
  return v;
}

function nonNegative(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw invalidArgument(fn, arg, v, 'a finite number ≥ 0');
  }
  return v;
}

/**
 * Checks a learning rate (a finite number > 0, or a function) and returns it as a schedule.
 * Used by every optimizer at construction.
 */
export function toSchedule(fn: string, learningRate: unknown): Schedule {
  if (typeof learningRate === 'function') return checkedSchedule(fn, learningRate as Schedule);
  const v = positive(fn, 'learningRate', learningRate);
  return constantSchedule(v);
}

/**
 * Wraps a user's schedule so that every value it returns is checked where it is used: a finite number
 * ≥ 0. A negative rate would silently ascend the loss, and a string such as `'0.1'` would be
 * converted by arithmetic; both are errors naming the optimizer and the step.
 */
function checkedSchedule(fn: string, schedule: Schedule): Schedule {
  return (step) => {
    const v: unknown = schedule(step);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw invalidArgument(
        fn,
        `learningRate(${step}) (the schedule's value at step ${step})`,
        v,
        'a finite number ≥ 0',
      );
    }
    return v;
  };
}

/**
 * The same value at every step.
 * @example `constantSchedule(0.01)(1234) === 0.01`
 */
export function constantSchedule(value: number): Schedule {
  assertFiniteNumber('constantSchedule', 'value', value);
  return described(() => value, 'constantSchedule', value);
}

/**
 * Step decay: `init · gamma^⌊step / stepSize⌋` (PyTorch's StepLR).
 * @example `stepDecay(0.1, { stepSize: 100, gamma: 0.5 })(250) === 0.025`
 */
export function stepDecay(init: number, options: { stepSize: number; gamma?: number }): Schedule {
  positive('stepDecay', 'init', init);
  assertInteger('stepDecay', 'options.stepSize', options?.stepSize, 1);
  const gamma = positive('stepDecay', 'options.gamma', options.gamma ?? 0.1);
  const { stepSize } = options;
  return described((step) => init * gamma ** Math.floor(step / stepSize), 'stepDecay', init, {
    stepSize,
    gamma,
  });
}

/**
 * Exponential decay: `init · rate^(step / transitionSteps)`, or with `staircase`
 * `init · rate^⌊step / transitionSteps⌋`; never below `endValue` (default 0).
 * @example `exponentialDecay(1, { rate: 0.5, transitionSteps: 10 })(20) === 0.25`
 */
export function exponentialDecay(
  init: number,
  options: { rate: number; transitionSteps?: number; staircase?: boolean; endValue?: number },
): Schedule {
  positive('exponentialDecay', 'init', init);
  const rate = positive('exponentialDecay', 'options.rate', options?.rate);
  const transitionSteps = options.transitionSteps ?? 1;
  assertInteger('exponentialDecay', 'options.transitionSteps', transitionSteps, 1);
  const endValue = nonNegative('exponentialDecay', 'options.endValue', options.endValue ?? 0);
  const staircase = options.staircase ?? false;
  const f: Schedule = (step) => {
    const p = staircase ? Math.floor(step / transitionSteps) : step / transitionSteps;
    const v = init * rate ** p;
    return rate < 1 ? Math.max(v, endValue) : v;
  };
  return described(f, 'exponentialDecay', init, { rate, transitionSteps, staircase, endValue });
}

/**
 * Cosine decay from `init` to `init · alpha` over `decaySteps`, constant afterwards:
 * `init · ((1 − alpha) · ½(1 + cos(π · min(step, decaySteps) / decaySteps)) + alpha)`.
 * @example `cosineDecay(1, { decaySteps: 100 })(50) ≈ 0.5`
 */
export function cosineDecay(
  init: number,
  options: { decaySteps: number; alpha?: number },
): Schedule {
  positive('cosineDecay', 'init', init);
  assertInteger('cosineDecay', 'options.decaySteps', options?.decaySteps, 1);
  const alpha = nonNegative('cosineDecay', 'options.alpha', options.alpha ?? 0);
  const { decaySteps } = options;
  const f: Schedule = (step) => {
    const t = Math.min(step, decaySteps) / decaySteps;
    return init * ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * t)) + alpha);
  };
  return described(f, 'cosineDecay', init, { decaySteps, alpha });
}

/**
 * Linear interpolation from `from` to `to` over `steps`, then constant at `to`
 * (a linear warm-up when `from < to`).
 * @example `linearSchedule({ from: 0, to: 0.1, steps: 10 })(5) === 0.05`
 */
export function linearSchedule(options: { from: number; to: number; steps: number }): Schedule {
  assertFiniteNumber('linearSchedule', 'options.from', options?.from);
  assertFiniteNumber('linearSchedule', 'options.to', options.to);
  assertInteger('linearSchedule', 'options.steps', options.steps, 1);
  const { from, to, steps } = options;
  return described(
    (step) => from + (to - from) * (Math.min(step, steps) / steps),
    'linearSchedule',
    { from, to, steps },
  );
}

/**
 * Linear warm-up followed by another schedule: `peak · step / warmupSteps` for
 * `step < warmupSteps`, then `after(step − warmupSteps)` (by default the constant `peak`).
 * @example `linearWarmup({ peak: 0.1, warmupSteps: 10 })(5) === 0.05`
 */
export function linearWarmup(options: {
  peak: number;
  warmupSteps: number;
  after?: Schedule;
}): Schedule {
  const peak = positive('linearWarmup', 'options.peak', options?.peak);
  assertInteger('linearWarmup', 'options.warmupSteps', options.warmupSteps, 0);
  if (options.after !== undefined && typeof options.after !== 'function') {
    throw invalidArgument('linearWarmup', 'options.after', options.after, 'a schedule function');
  }
  const { warmupSteps } = options;
  const after = options.after ?? (() => peak);
  const f: Schedule = (step) =>
    step < warmupSteps ? (peak * step) / warmupSteps : after(step - warmupSteps);
  if (options.after !== undefined && describeSchedule(options.after) === undefined) return f;
  return described(f, 'linearWarmup', {
    peak,
    warmupSteps,
    ...(options.after ? { after: describeSchedule(options.after) } : {}),
  });
}

/**
 * Linear warm-up from 0 to `peak` over `warmupSteps`, then cosine decay to `peak · alpha` over
 * the following `decaySteps`.
 * @example `warmupCosineDecay({ peak: 1, warmupSteps: 10, decaySteps: 100 })(10) === 1`
 */
export function warmupCosineDecay(options: {
  peak: number;
  warmupSteps: number;
  decaySteps: number;
  alpha?: number;
}): Schedule {
  const cos = cosineDecay(options?.peak, {
    decaySteps: options.decaySteps,
    alpha: options.alpha ?? 0,
  });
  return linearWarmup({ peak: options.peak, warmupSteps: options.warmupSteps, after: cos });
}
