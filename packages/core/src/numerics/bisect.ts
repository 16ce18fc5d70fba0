/**
 * Root finding by bisection.
 */
import {
  assertFiniteNumber,
  assertInteger,
  formatValue,
  NonFiniteError,
  ValidationError,
} from '../errors.js';

/** Options of {@link bisect}. */
export interface BisectOptions {
  /** Stop when the bracket is shorter than `tol` (default 1e-12); must be > 0. */
  tol?: number;
  /** Most halvings (default 200). */
  maxIter?: number;
}

/** Result of {@link bisect}. */
export interface BisectResult {
  /** Midpoint of the final bracket (or the endpoint or midpoint where f is exactly 0). */
  root: number;
  /** Number of halvings done. */
  iterations: number;
  /** True when the bracket shrank below `tol` or f hit exactly 0. */
  converged: boolean;
  /** Final bracket `[lo, hi]`, f changing sign across it. */
  bracket: [number, number];
  /** f(root). */
  fRoot: number;
}

/**
 * Finds a root of a continuous `f` in `[a, b]` where `f(a)` and `f(b)` have opposite signs.
 *
 * Algorithm:
 * 1. Evaluate `f(a)`, `f(b)`; an exact zero at an endpoint is returned at once (0 iterations).
 *    Otherwise equal signs of `f(a)` and `f(b)` (no sign change) are an error, as is a non-finite
 *    value. Signs are compared with `Math.sign`, never by multiplying (tiny values underflow).
 * 2. Repeat while `hi − lo ≥ tol` and iterations < maxIter: `m = lo + (hi − lo)/2`; stop if
 *    `f(m) = 0`; keep the half whose ends differ in sign.
 * 3. Return the midpoint of the last bracket. Each step halves the bracket, so about
 *    `⌈log₂((b − a)/tol)⌉` iterations are needed.
 *
 * @example
 * ```ts
 * bisect((x) => x * x - 2, 0, 2, { tol: 1e-10 }).root; // 1.41421356…
 * ```
 */
export function bisect(
  f: (x: number) => number,
  a: number,
  b: number,
  opts: BisectOptions = {},
): BisectResult {
  const fn = 'bisect';
  if (typeof f !== 'function') {
    throw new ValidationError(`${fn}: f must be a function, got ${formatValue(f)}`, fn, 'f');
  }
  assertFiniteNumber(fn, 'a', a);
  assertFiniteNumber(fn, 'b', b);
  const tol = opts.tol ?? 1e-12;
  const maxIter = opts.maxIter ?? 200;
  if (typeof tol !== 'number' || !(tol > 0) || !Number.isFinite(tol)) {
    throw new ValidationError(
      `${fn}: opts.tol must be a finite number > 0, got ${formatValue(tol)}`,
      fn,
      'opts.tol',
    );
  }
  assertInteger(fn, 'opts.maxIter', maxIter, 0);
  let lo = Math.min(a, b);
  let hi = Math.max(a, b);
  let flo = f(lo);
  let fhi = f(hi);
  if (!Number.isFinite(flo) || !Number.isFinite(fhi)) {
    const [x, v] = Number.isFinite(flo) ? [hi, fhi] : [lo, flo];
    throw new NonFiniteError(`${fn}: f(${x}) is not finite (${formatValue(v)})`);
  }
  if (flo === 0) return { root: lo, iterations: 0, converged: true, bracket: [lo, lo], fRoot: 0 };
  if (fhi === 0) return { root: hi, iterations: 0, converged: true, bracket: [hi, hi], fRoot: 0 };
  // compare signs, never the product: 1e-200 · 1e-200 underflows to 0 and hides the sign
  if (Math.sign(flo) === Math.sign(fhi)) {
    throw new ValidationError(
      `${fn}: f(a) and f(b) must differ in sign, got f(${lo}) = ${flo} and f(${hi}) = ${fhi}`,
      fn,
      'f',
    );
  }
  let iterations = 0;
  while (hi - lo >= tol && iterations < maxIter) {
    const m = lo + (hi - lo) / 2;
    if (m <= lo || m >= hi) break; // bracket is two adjacent floats
    const fm = f(m);
    iterations++;
    if (!Number.isFinite(fm)) {
      throw new NonFiniteError(
        `${fn}: f(${m}) is not finite (${formatValue(fm)}) at iteration ${iterations}`,
      );
    }
    if (fm === 0) return { root: m, iterations, converged: true, bracket: [m, m], fRoot: 0 };
    if (Math.sign(flo) !== Math.sign(fm)) {
      hi = m;
      fhi = fm;
    } else {
      lo = m;
      flo = fm;
    }
  }
  const root = lo + (hi - lo) / 2;
  const converged = hi - lo < tol || !(lo + (hi - lo) / 2 > lo && lo + (hi - lo) / 2 < hi);
  return { root, iterations, converged, bracket: [lo, hi], fRoot: f(root) };
}
