/**
 * Issue 12's core items, each a case that failed before its fix: the size check before large
 * allocations (4, 17), bisect's sign test (8), the triangular solvers' non-finite results (14), and
 * leakyRelu's slope (7).
 */
import { describe, expect, it } from 'vitest';
import {
  activation,
  assertAllocation,
  bisect,
  chainGradient,
  chainParams,
  fixedPoint,
  getAllocationLimit,
  initChain,
  initMlp,
  key,
  matrix,
  matrixFromRows,
  mlpSpec,
  NonFiniteError,
  SizeLimitError,
  setAllocationLimit,
  solveLowerBidiagonal,
  solveLowerTriangular,
  ValidationError,
} from './index.js';

describe('allocation limit (items 4 and 17)', () => {
  it('initChain(key(0), 1e9) is a SizeLimitError naming the function, the argument and the limit', () => {
    expect(() => initChain(key(0), 1e9)).toThrow(SizeLimitError);
    expect(() => initChain(key(0), 1e9)).toThrow(
      /^initChain: depth = 1000000000 needs 2000000000 elements, over the allocation limit of 134217728/,
    );
  });
  it('initMlp and matrix check their size first; the limit is configurable', () => {
    const wide = mlpSpec([1, 20000, 20000, 1], 'tanh');
    expect(() => initMlp(wide, key(0))).toThrow(
      /initMlp: spec \(parameter count\) needs 400080001/,
    );
    expect(() => matrix(1e5, 1e5)).toThrow(SizeLimitError);
    const previous = setAllocationLimit(10);
    try {
      expect(getAllocationLimit()).toBe(10);
      expect(() => initChain(key(0), 6)).toThrow(/over the allocation limit of 10/);
      expect(initChain(key(0), 5).w).toHaveLength(5);
    } finally {
      setAllocationLimit(previous);
    }
    expect(() => setAllocationLimit(0)).toThrow(ValidationError);
    expect(() => assertAllocation('f', 'n', Number.NaN)).toThrow(/f: n needs NaN elements/);
  });
  it('fixedPoint with history checks maxIter against the limit before iterating', () => {
    expect(() => fixedPoint(Math.cos, 1, { history: true, maxIter: 1e9 })).toThrow(
      /fixedPoint: opts.maxIter = 1000000000 with opts.history needs 1000000001 elements/,
    );
    // without history, maxIter costs no memory
    expect(fixedPoint(Math.cos, 1, { maxIter: 1e9 }).converged).toBe(true);
  });
});

describe('bisect compares signs, not products (item 8)', () => {
  it('finds the root of 1e-200·(x − 0.3)', () => {
    const r = bisect((x) => 1e-200 * (x - 0.3), 0, 1);
    expect(r.converged).toBe(true);
    // tolerance: the default bracket width 1e-12
    expect(Math.abs(r.root - 0.3)).toBeLessThan(1e-12);
  });
  it('refuses a constant tiny function (no sign change)', () => {
    expect(() => bisect(() => 1e-200, 0, 1)).toThrow(/f\(a\) and f\(b\) must differ in sign/);
    expect(() => bisect((x) => -1e-200 * (x + 1), 0, 1)).toThrow(ValidationError);
  });
});

describe('triangular solvers never return infinities (item 14)', () => {
  it('solveLowerTriangular with a pivot of 1e-320 is a NonFiniteError naming the row', () => {
    const L = matrixFromRows([
      [1, 0],
      [1, 1e-320],
    ]);
    expect(() => solveLowerTriangular(L, [1, 2])).toThrow(NonFiniteError);
    expect(() => solveLowerTriangular(L, [1, 2])).toThrow(
      /^solveLowerTriangular: the solution is not finite at row 1 .*pivot L\[1\]\[1\] = 1e-320/,
    );
    expect(() => solveLowerTriangular(L, matrixFromRows([[1], [2]]))).toThrow(NonFiniteError);
    expect(() => solveLowerBidiagonal([1, 1e-320], [1], [1, 2])).toThrow(
      /solveLowerBidiagonal: the solution is not finite at row 1/,
    );
  });
  it("chainGradient({ method: 'triangular' }) with weights of 1e200 names itself, not the solver", () => {
    const p = chainParams([1e200, 1e200, 1e200], [0, 0, 0]);
    const run = () =>
      chainGradient(p, 0.5, 1, {
        method: 'triangular',
        activations: ['identity', 'identity', 'identity'],
      });
    expect(run).toThrow(NonFiniteError);
    expect(run).toThrow(/^chainGradient: .* at layer \d+; the weights are too large/);
    expect(run).not.toThrow(/must be finite/);
  });
});

describe('activation parameters (item 7)', () => {
  it('a leakyRelu slope outside [0, 1] is refused', () => {
    expect(() => activation({ name: 'leakyRelu', slope: 1e308 })).toThrow(
      'activation: leakyRelu.slope must be in [0, 1], got 1e+308',
    );
    expect(activation({ name: 'leakyRelu', slope: 0.2 }).f(-1)).toBeCloseTo(-0.2, 15);
  });
});
