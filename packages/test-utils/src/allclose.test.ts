import { describe, expect, it } from 'vitest';
import { allclose, gradcheck, numericDerivative, seeded } from './index.js';

describe('allclose', () => {
  it('accepts values within atol + rtol·|expected| and rejects beyond', () => {
    expect(allclose([1, 2], [1 + 1e-9, 2], { rtol: 0, atol: 1e-8 }).ok).toBe(true);
    expect(allclose([1, 2], [1 + 1e-7, 2], { rtol: 0, atol: 1e-8 }).ok).toBe(false);
    expect(allclose(100, 100.5, { rtol: 1e-2, atol: 0 }).ok).toBe(true);
  });
  it('treats NaN as equal only at the same position, and infinities by sign', () => {
    expect(allclose([Number.NaN], [Number.NaN], { rtol: 0, atol: 0 }).ok).toBe(true);
    expect(allclose([Number.NaN], [1], { rtol: 0, atol: 1 }).ok).toBe(false);
    expect(
      allclose([Number.POSITIVE_INFINITY], [Number.POSITIVE_INFINITY], { rtol: 0, atol: 0 }).ok,
    ).toBe(true);
    expect(
      allclose([Number.POSITIVE_INFINITY], [Number.NEGATIVE_INFINITY], { rtol: 1, atol: 1 }).ok,
    ).toBe(false);
  });
  it('reports shape mismatch and the worst element', () => {
    expect(allclose([1, 2], [1], { rtol: 0, atol: 1 }).message).toMatch(/length mismatch/);
    const r = allclose([1, 5, 3], [1, 2, 3], { rtol: 0, atol: 0.1 });
    expect(r.worstIndex).toBe(1);
  });
  it('flattens nested arrays and works as a matcher', () => {
    expect([
      [1, 2],
      [3, 4],
    ]).toBeAllclose(Float64Array.of(1, 2, 3, 4), { rtol: 0, atol: 0 });
    expect(() => expect(1).toBeAllclose(2, { rtol: 0, atol: 0.5 })).toThrow(/element 0/);
  });
  it('refuses missing tolerances', () => {
    expect(() => allclose(1, 1, {} as never)).toThrow(/tolerances must be given/);
  });
});

describe('gradcheck', () => {
  it('matches the analytic gradient of a smooth function and catches a wrong one', () => {
    const f = (x: Float64Array) => x[0]! ** 2 * Math.sin(x[1]!);
    const g = (x: Float64Array) => [2 * x[0]! * Math.sin(x[1]!), x[0]! ** 2 * Math.cos(x[1]!)];
    expect(gradcheck(f, g, [1.3, 0.4], { rtol: 1e-6, atol: 1e-8 }).ok).toBe(true);
    const wrong = (x: Float64Array) => [2 * x[0]!, x[0]! ** 2];
    expect(gradcheck(f, wrong, [1.3, 0.4], { rtol: 1e-6, atol: 1e-8 }).ok).toBe(false);
    // |central difference − exact| = O(h²) for exp at 0.
    expect(Math.abs(numericDerivative(Math.exp, 0) - 1)).toBeLessThan(1e-8);
  });
});

describe('seeded', () => {
  it('is reproducible and in range', () => {
    const a = seeded(7).array(100, -2, 3);
    const b = seeded(7).array(100, -2, 3);
    expect(a).toEqual(b);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...a)).toBeLessThan(3);
  });
});
