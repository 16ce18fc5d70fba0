import { describe, expect, it } from 'vitest';
import { NonFiniteError, ValidationError } from '../errors.js';
import { key, uniform } from '../random/index.js';
import { bisect, conditionalExponentialMean, fixedPoint, monteCarlo } from './index.js';

const DOTTIE = 0.7390851332151607; // the root of cos x = x

describe('bisect', () => {
  it('finds √2 as the root of x² − 2 to tol in ⌈log₂((b − a)/tol)⌉ iterations', () => {
    const tol = 1e-10;
    const r = bisect((x) => x * x - 2, 0, 2, { tol });
    expect(r.converged).toBe(true);
    expect(r.root).toBeAllclose(Math.SQRT2, { rtol: 0, atol: tol });
    expect(r.iterations).toBe(Math.ceil(Math.log2(2 / tol)));
    expect(r.bracket[1] - r.bracket[0]).toBeLessThan(tol);
    expect(r.bracket[0]).toBeLessThanOrEqual(Math.SQRT2);
    expect(r.bracket[1]).toBeGreaterThanOrEqual(Math.SQRT2);
    expect(r.fRoot).toBeAllclose(0, { rtol: 0, atol: 1e-9 });
  });
  it('accepts reversed endpoints, endpoint roots and exact midpoint roots', () => {
    expect(bisect((x) => x - 1, 3, -1).root).toBe(1); // midpoint of [-1, 3] at the first step
    const end = bisect((x) => x * (x - 5), 0, 3);
    expect([end.root, end.iterations, end.converged]).toEqual([0, 0, true]);
  });
  it('reports non-convergence when maxIter is too small', () => {
    const r = bisect((x) => x * x - 2, 0, 2, { tol: 1e-12, maxIter: 5 });
    expect([r.converged, r.iterations]).toEqual([false, 5]);
    expect(r.bracket[1] - r.bracket[0]).toBe(2 / 32);
  });
  it('throws when f(a)·f(b) > 0, naming the values', () => {
    expect(() => bisect((x) => x * x + 1, -1, 2)).toThrow(
      'bisect: f(a) and f(b) must differ in sign, got f(-1) = 2 and f(2) = 5',
    );
    expect(() => bisect((x) => x * x + 1, -1, 2)).toThrow(ValidationError);
  });
  it('reports non-finite values of f and bad options', () => {
    expect(() => bisect(() => Number.NaN, 0, 1)).toThrow('bisect: f(0) is not finite (NaN)');
    expect(() => bisect((x) => (x < 0.9 ? -1 : x === 1 ? 1 : Number.NaN), 0, 1)).toThrow(
      NonFiniteError,
    );
    expect(() => bisect((x) => x, -1, 1, { tol: 0 })).toThrow(
      'bisect: opts.tol must be a finite number > 0, got 0',
    );
    expect(() => bisect((x) => x, Number.NaN, 1)).toThrow(
      'bisect: a must be a finite number, got NaN',
    );
  });
});

describe('fixedPoint', () => {
  it('converges for cos to the Dottie number with rate ≈ |sin x*|', () => {
    const r = fixedPoint(Math.cos, 1, { tol: 1e-14 });
    expect(r.converged).toBe(true);
    expect(r.reason).toBe('converged');
    expect(r.x).toBeAllclose(DOTTIE, { rtol: 0, atol: 1e-13 });
    // linear convergence, |g'(x*)| = sin(x*) ≈ 0.6736; the last ratios are noisy near 1e-14
    const mid = fixedPoint(Math.cos, 1, { maxIter: 30 });
    expect(mid.rateEstimate).toBeAllclose(Math.sin(DOTTIE), { rtol: 1e-3, atol: 0 });
    expect(r.residual).toBeLessThanOrEqual(1e-14);
    // iterations ≈ log(tol / |x0 − x*|) / log(0.6736)
    expect(r.iterations).toBeGreaterThan(70);
    expect(r.iterations).toBeLessThan(90);
  });
  it('reports divergence for g(x) = 2x + 1 (rate 2)', () => {
    const r = fixedPoint((x) => 2 * x + 1, 0);
    expect([r.converged, r.reason]).toEqual([false, 'diverged']);
    expect(r.rateEstimate).toBe(2);
  });
  it('reports maxIter for the oscillation g(x) = −x, with rate 1 and history', () => {
    const r = fixedPoint((x) => -x, 1, { maxIter: 10, history: true });
    expect([r.converged, r.reason, r.iterations, r.rateEstimate]).toEqual([
      false,
      'maxIter',
      10,
      1,
    ]);
    expect(r.history).toEqual([1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1]);
    expect(r.residual).toBe(2);
  });
  it('reports non-finite iterates and validates inputs', () => {
    expect(fixedPoint((x) => Math.log(x - 3), 1).reason).toBe('nonFinite');
    expect(() => fixedPoint(Math.cos, Number.POSITIVE_INFINITY)).toThrow(
      'fixedPoint: x0 must be a finite number, got Infinity',
    );
    expect(() => fixedPoint(Math.cos, 1, { maxIter: 0 })).toThrow(
      'fixedPoint: opts.maxIter must be an integer ≥ 1, got 0',
    );
    expect(() => fixedPoint(3 as unknown as (x: number) => number, 1)).toThrow(
      'fixedPoint: g must be a function, got 3',
    );
  });
});

describe('monteCarlo and E[X | Y = y] for X | Y ~ Exp(Y)', () => {
  it('mean and unbiased variance match a direct two-pass computation', () => {
    const xs = uniform(key(3), 1000);
    const r = monteCarlo((k, n) => uniform(k, n), key(3), 1000);
    let m = 0;
    for (const v of xs) m += v / xs.length;
    let v2 = 0;
    for (const v of xs) v2 += (v - m) ** 2 / (xs.length - 1);
    expect(r.mean).toBeAllclose(m, { rtol: 1e-13, atol: 0 });
    expect(r.variance).toBeAllclose(v2, { rtol: 1e-12, atol: 0 });
    expect(r.stdError).toBeAllclose(Math.sqrt(v2 / 1000), { rtol: 1e-12, atol: 0 });
    expect(r.ci95[1] - r.ci95[0]).toBeAllclose(2 * 1.959963984540054 * r.stdError, {
      rtol: 1e-12,
      atol: 0,
    });
  });
  it('estimates 1/y within 4 standard errors for several y', () => {
    for (const [i, y] of [0.5, 1, 2, 5].entries()) {
      const r = conditionalExponentialMean(y, key(100 + i), 50_000);
      expect(Math.abs(r.mean - 1 / y)).toBeLessThan(4 * r.stdError);
      // Var(Exp(y)) = 1/y²
      expect(r.variance).toBeAllclose(1 / (y * y), { rtol: 0.05, atol: 0 });
    }
  });
  it('the standard error shrinks like 1/√n', () => {
    const small = conditionalExponentialMean(2, key(7), 2_500);
    const large = conditionalExponentialMean(2, key(7), 250_000);
    // ratio √(250000/2500) = 10, up to the sampling error of the two standard deviations
    expect(small.stdError / large.stdError).toBeAllclose(10, { rtol: 0.1, atol: 0 });
    expect(Math.abs(large.mean - 0.5)).toBeLessThan(4 * large.stdError);
  });
  it('validates its inputs', () => {
    expect(() => conditionalExponentialMean(0, key(0), 10)).toThrow(
      'conditionalExponentialMean: y must be a finite number > 0, got 0',
    );
    expect(() => monteCarlo((k, n) => uniform(k, n), key(0), 1)).toThrow(
      'monteCarlo: n must be an integer ≥ 2, got 1',
    );
    expect(() => monteCarlo(() => new Float64Array(2), key(0), 5)).toThrow(
      'monteCarlo: sample must return at least n = 5 values, got Float64Array(2)',
    );
    expect(() => monteCarlo(() => [1, Number.NaN], key(0), 2)).toThrow(
      'monteCarlo: sample 1 is not finite (NaN)',
    );
    expect(() => monteCarlo((k, n) => uniform(k, n), [0, 0] as unknown as Uint32Array, 5)).toThrow(
      'monteCarlo: key must be a key',
    );
  });
});
