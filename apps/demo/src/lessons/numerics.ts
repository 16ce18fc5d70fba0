/**
 * Chapter 8's numerics as pure functions: the bisection table and the fixed-point diagnostics.
 */
import { fixedPoint } from '@annlab/core';

/** One bisection step: the bracket, its midpoint and f there. */
export interface BisectionStep {
  readonly a: number;
  readonly b: number;
  readonly m: number;
  readonly fm: number;
}

/**
 * The brackets bisection visits on f over [a, b], at most `steps` of them.
 *
 * @example
 * ```ts
 * bisectionSteps((x) => x ** 3 - 2 * x - 5, 1, 3, 3).map((s) => s.m); // [2, 2.5, 2.25]
 * ```
 */
export function bisectionSteps(
  f: (x: number) => number,
  a: number,
  b: number,
  steps: number,
): BisectionStep[] {
  if (!(Number.isFinite(a) && Number.isFinite(b) && a < b)) {
    throw new RangeError(`bisectionSteps: need finite a < b, got a = ${a}, b = ${b}`);
  }
  if (!Number.isInteger(steps) || steps < 1) {
    throw new RangeError(`bisectionSteps: steps must be an integer ≥ 1, got ${steps}`);
  }
  let fa = f(a);
  const fb = f(b);
  if (!(Number.isFinite(fa) && Number.isFinite(fb)) || Math.sign(fa) === Math.sign(fb)) {
    throw new RangeError(
      `bisectionSteps: f(a) and f(b) must be finite with opposite signs, got f(${a}) = ${fa}, f(${b}) = ${fb}`,
    );
  }
  const out: BisectionStep[] = [];
  for (let k = 0; k < steps; k++) {
    const m = a + (b - a) / 2;
    const fm = f(m);
    out.push({ a, b, m, fm });
    if (fm === 0) break;
    if (Math.sign(fm) === Math.sign(fa)) {
      a = m;
      fa = fm;
    } else {
      b = m;
    }
  }
  return out;
}

/** What the fixed-point chapter reports about x ← g(x). */
export interface FixedPointDiagnostics {
  readonly converged: boolean;
  readonly reason: string;
  readonly x: number;
  readonly iterations: number;
  /** |x_{k+1} − x_k| / |x_k − x_{k−1}| at the end: estimates |g′(x*)|. */
  readonly rate: number;
  /** |g′(x*)| by a central difference: below 1 the fixed point attracts. */
  readonly slope: number;
  /** |g(x) − x| at the end. */
  readonly residual: number;
  readonly history: number[];
}

/**
 * Iterates x ← g(x) from x₀ and reports convergence, the observed rate and |g′(x*)|.
 *
 * @example
 * ```ts
 * const d = fixedPointDiagnostics((x) => Math.exp(-x), 1); // x ≈ 0.567143, rate ≈ slope ≈ 0.567
 * ```
 */
export function fixedPointDiagnostics(
  g: (x: number) => number,
  x0: number,
  maxIter = 200,
): FixedPointDiagnostics {
  const r = fixedPoint(g, x0, { history: true, maxIter });
  const x = r.x;
  const hx = 1e-6 * Math.max(1, Math.abs(x));
  const slope = Math.abs((g(x + hx) - g(x - hx)) / (2 * hx));
  return {
    converged: r.converged,
    reason: r.reason,
    x,
    iterations: r.iterations,
    rate: r.rateEstimate,
    slope,
    residual: Math.abs(g(x) - x),
    history: Array.from(r.history ?? []),
  };
}
