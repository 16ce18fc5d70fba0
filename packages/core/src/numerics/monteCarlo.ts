/**
 * Monte Carlo estimation with a standard error, and the notes' conditional-mean example.
 */
import {
  assertInteger,
  assertPositive,
  formatValue,
  NonFiniteError,
  ValidationError,
} from '../errors.js';
import { exponential } from '../random/distributions.js';
import { assertKey, type Key } from '../random/key.js';

/** Result of {@link monteCarlo}. */
export interface MonteCarloResult {
  /** Sample mean, the estimate. */
  mean: number;
  /** Standard error `s/√n` of the mean. */
  stdError: number;
  /** Unbiased sample variance `s²` (divisor n − 1). */
  variance: number;
  /** Number of samples. */
  n: number;
  /** Normal-approximation 95% interval `mean ± 1.959964·stdError`. */
  ci95: [number, number];
}

/**
 * Estimates `E[X]` by the mean of `n` samples `sample(key, n)` with its standard error.
 *
 * Algorithm: draw the samples; compute mean and variance in one pass by Welford's update
 * (`δ = x − mean; mean += δ/k; M2 += δ·(x − mean)`), which avoids the cancellation of
 * `Σx² − n·mean²`; `stdError = √(M2/(n−1)) / √n`. The error of the estimate shrinks like `1/√n`.
 *
 * @param sample - draws `n` samples from a key; must return at least n finite values.
 * @param n - number of samples, an integer ≥ 2.
 * @example
 * ```ts
 * const r = monteCarlo((k, n) => uniform(k, n), key(0), 10_000); // r.mean ≈ 0.5 ± r.stdError
 * ```
 */
export function monteCarlo(
  sample: (key: Key, n: number) => ArrayLike<number>,
  key: Key,
  n: number,
): MonteCarloResult {
  const fn = 'monteCarlo';
  if (typeof sample !== 'function') {
    throw new ValidationError(
      `${fn}: sample must be a function, got ${formatValue(sample)}`,
      fn,
      'sample',
    );
  }
  assertKey(fn, key);
  assertInteger(fn, 'n', n, 2);
  const xs = sample(key, n);
  if (!xs || typeof xs.length !== 'number' || xs.length < n) {
    throw new ValidationError(
      `${fn}: sample must return at least n = ${n} values, got ${formatValue(xs)}`,
      fn,
      'sample',
    );
  }
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const x = xs[i]!;
    if (!Number.isFinite(x)) {
      throw new NonFiniteError(`${fn}: sample ${i} is not finite (${formatValue(x)})`);
    }
    const d = x - mean;
    mean += d / (i + 1);
    m2 += d * (x - mean);
  }
  const variance = m2 / (n - 1);
  const stdError = Math.sqrt(variance / n);
  const h = 1.959963984540054 * stdError;
  return { mean, stdError, variance, n, ci95: [mean - h, mean + h] };
}

/**
 * The notes' example: `E[X | Y = y]` when `X | Y ~ Exp(Y)` (rate Y), whose exact value is `1/y`,
 * estimated by Monte Carlo from `n` draws of `Exp(y)` (inverse transform, {@link exponential}).
 *
 * @param y - the conditioning value, a finite number > 0 (the rate).
 * @example
 * ```ts
 * conditionalExponentialMean(2, key(0), 100_000).mean; // ≈ 0.5
 * ```
 */
export function conditionalExponentialMean(y: number, key: Key, n: number): MonteCarloResult {
  const fn = 'conditionalExponentialMean';
  assertPositive(fn, 'y', y);
  assertKey(fn, key);
  assertInteger(fn, 'n', n, 2);
  return monteCarlo((k, m) => exponential(k, m, { rate: y }), key, n);
}
