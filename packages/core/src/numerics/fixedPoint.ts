/**
 * Fixed-point iteration with convergence diagnostics.
 */

import { assertFiniteNumber, assertInteger, formatValue, ValidationError } from '../errors.js';
import { assertAllocation } from '../limits.js';

/** Options of {@link fixedPoint}. */
export interface FixedPointOptions {
  /** Converged when `|x_{k+1} − x_k| ≤ tol` (default 1e-12); must be > 0. */
  tol?: number;
  /** Most iterations (default 1000). */
  maxIter?: number;
  /** Keep every iterate, `x₀` first (default false). */
  history?: boolean;
  /** Stop as diverged when `|x_k|` exceeds this (default 1e12). */
  divergenceBound?: number;
}

/** Why {@link fixedPoint} stopped. */
export type FixedPointReason = 'converged' | 'maxIter' | 'diverged' | 'nonFinite';

/** Result of {@link fixedPoint}. */
export interface FixedPointResult {
  /** Last iterate. */
  x: number;
  /** True only when `reason === 'converged'`. */
  converged: boolean;
  /** Number of applications of g. */
  iterations: number;
  /** Why the iteration stopped. */
  reason: FixedPointReason;
  /** `|g(x) − x|` at the last step (`|x_k − x_{k−1}|`). */
  residual: number;
  /**
   * Last ratio `|x_{k+1} − x_k| / |x_k − x_{k−1}|`: the linear convergence rate, which tends to
   * `|g'(x*)|` when the iteration converges; NaN before two steps.
   */
  rateEstimate: number;
  /** Every iterate, when asked for. */
  history?: number[];
}

/**
 * Iterates `x_{k+1} = g(x_k)` from `x0` until successive iterates agree to `tol`.
 *
 * Algorithm: repeat `x ← g(x)`; after each step compute the step `d = |x_new − x|` and the rate
 * `d / d_prev`. Stop with `'converged'` when `d ≤ tol`, `'nonFinite'` when `g` returns NaN or ±∞,
 * `'diverged'` when `|x|` exceeds `divergenceBound`, `'maxIter'` after `maxIter` steps. Failure is
 * reported in the result, never hidden: check `converged` and `reason`.
 *
 * @example
 * ```ts
 * fixedPoint(Math.cos, 1).x; // 0.7390851332151607 (the Dottie number)
 * ```
 */
export function fixedPoint(
  g: (x: number) => number,
  x0: number,
  opts: FixedPointOptions = {},
): FixedPointResult {
  const fn = 'fixedPoint';
  if (typeof g !== 'function') {
    throw new ValidationError(`${fn}: g must be a function, got ${formatValue(g)}`, fn, 'g');
  }
  assertFiniteNumber(fn, 'x0', x0);
  const tol = opts.tol ?? 1e-12;
  const maxIter = opts.maxIter ?? 1000;
  const bound = opts.divergenceBound ?? 1e12;
  if (typeof tol !== 'number' || !(tol > 0) || !Number.isFinite(tol)) {
    throw new ValidationError(
      `${fn}: opts.tol must be a finite number > 0, got ${formatValue(tol)}`,
      fn,
      'opts.tol',
    );
  }
  assertInteger(fn, 'opts.maxIter', maxIter, 1);
  if (typeof bound !== 'number' || !(bound > 0)) {
    throw new ValidationError(
      `${fn}: opts.divergenceBound must be a number > 0, got ${formatValue(bound)}`,
      fn,
      'opts.divergenceBound',
    );
  }
  // the history holds up to maxIter + 1 numbers: the one size check, before iterating
  if (opts.history)
    assertAllocation(fn, `opts.maxIter = ${maxIter} with opts.history`, maxIter + 1);
  const history: number[] | undefined = opts.history ? [x0] : undefined;
  let x = x0;
  let prevStep = Number.NaN;
  let step = Number.NaN;
  let rate = Number.NaN;
  let reason: FixedPointReason = 'maxIter';
  let k = 0;
  while (k < maxIter) {
    const next = g(x);
    k++;
    history?.push(next);
    if (!Number.isFinite(next)) {
      reason = 'nonFinite';
      x = next;
      break;
    }
    step = Math.abs(next - x);
    if (k >= 2) rate = prevStep > 0 ? step / prevStep : step === 0 ? 0 : Number.POSITIVE_INFINITY;
    prevStep = step;
    x = next;
    if (step <= tol) {
      reason = 'converged';
      break;
    }
    if (Math.abs(x) > bound) {
      reason = 'diverged';
      break;
    }
  }
  const result: FixedPointResult = {
    x,
    converged: reason === 'converged',
    iterations: k,
    reason,
    residual: step,
    rateEstimate: rate,
  };
  if (history) result.history = history;
  return result;
}
