import fc from 'fast-check';
import { lsolve } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { ShapeError, SingularMatrixError, ValidationError } from '../errors.js';
import {
  isLowerTriangular,
  isMatrix,
  lowerBidiagonal,
  type Matrix,
  matmul,
  matrix,
  matrixFromRows,
  residualNorm,
  solveLowerBidiagonal,
  solveLowerTriangular,
  toRows,
} from './index.js';

/** A well-conditioned lower-triangular system: |diag| ∈ [0.5, 2], off-diagonal entries ∈ [−1, 1]/n. */
const system = (maxN: number, maxCols = 1) =>
  fc.integer({ min: 1, max: maxN }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      k: fc.integer({ min: 1, max: maxCols }),
      off: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), {
        minLength: n * n,
        maxLength: n * n,
      }),
      diag: fc.array(
        fc
          .tuple(fc.double({ min: 0.5, max: 2, noNaN: true }), fc.boolean())
          .map(([m, neg]) => (neg ? -m : m)),
        { minLength: n, maxLength: n },
      ),
      b: fc.array(fc.double({ min: -10, max: 10, noNaN: true }), {
        minLength: n * maxCols,
        maxLength: n * maxCols,
      }),
    }),
  );

function lowerOf(n: number, off: number[], diag: number[]): Matrix {
  const L = matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) L.data[i * n + j] = off[i * n + j]! / n;
    L.data[i * n + i] = diag[i]!;
  }
  return L;
}

/** mathjs's lsolve on one column, flattened. */
function mathjsSolve(L: Matrix, b: ArrayLike<number>): number[] {
  const x = lsolve(toRows(L), Array.from(b)) as number[][];
  return x.map((r) => r[0]!);
}

function column(m: Matrix, c: number): number[] {
  return Array.from({ length: m.rows }, (_, i) => m.data[i * m.cols + c]!);
}

describe('solveLowerTriangular', () => {
  it('solves the documented 2×2 example exactly', () => {
    const L = matrixFromRows([
      [2, 0],
      [1, 4],
    ]);
    expect(solveLowerTriangular(L, [2, 9])).toBeAllclose([1, 2], { rtol: 0, atol: 0 });
    expect(residualNorm(L, solveLowerTriangular(L, [2, 9]), [2, 9])).toBe(0);
  });

  it('agrees with mathjs lsolve on random well-conditioned systems (vector b), residual tiny', () => {
    fc.assert(
      fc.property(system(24), ({ n, off, diag, b }) => {
        const L = lowerOf(n, off, diag);
        const rhs = b.slice(0, n);
        const x = solveLowerTriangular(L, rhs);
        expect(x).toBeInstanceOf(Float64Array);
        expect(x).toBeAllclose(mathjsSolve(L, rhs), { rtol: 1e-10, atol: 1e-12 });
        expect(residualNorm(L, x, rhs)).toBeLessThanOrEqual(
          1e-12 * n * (1 + Math.max(...x.map(Math.abs))),
        );
      }),
      { numRuns: 300, seed: 1 },
    );
  });

  it('agrees with mathjs lsolve column by column for a matrix right-hand side', () => {
    fc.assert(
      fc.property(system(16, 5), ({ n, k, off, diag, b }) => {
        const L = lowerOf(n, off, diag);
        const B = matrix(n, k, b.slice(0, n * k));
        const X = solveLowerTriangular(L, B);
        expect(isMatrix(X)).toBe(true);
        expect([X.rows, X.cols]).toEqual([n, k]);
        for (let c = 0; c < k; c++) {
          expect(column(X, c)).toBeAllclose(mathjsSolve(L, column(B, c)), {
            rtol: 1e-10,
            atol: 1e-12,
          });
        }
        expect(residualNorm(L, X, B)).toBeLessThanOrEqual(1e-11 * n * k);
        // Each column equals the vector solve exactly (same operation order).
        for (let c = 0; c < k; c++) {
          expect(column(X, c)).toBeAllclose(solveLowerTriangular(L, column(B, c)), {
            rtol: 0,
            atol: 0,
          });
        }
      }),
      { numRuns: 200, seed: 2 },
    );
  });

  it('unitDiagonal ignores the stored diagonal and matches mathjs on L with ones on the diagonal', () => {
    fc.assert(
      fc.property(system(16, 3), ({ n, k, off, diag, b }) => {
        const L = lowerOf(n, off, diag); // diagonal arbitrary, must be ignored
        const unit = lowerOf(n, off, new Array<number>(n).fill(1));
        const rhs = b.slice(0, n);
        const x = solveLowerTriangular(L, rhs, { unitDiagonal: true });
        expect(x).toBeAllclose(mathjsSolve(unit, rhs), { rtol: 1e-10, atol: 1e-12 });
        expect(residualNorm(unit, x, rhs)).toBeLessThanOrEqual(1e-12 * n * 20);
        const B = matrix(n, k, b.slice(0, n * k));
        const X = solveLowerTriangular(L, B, { unitDiagonal: true });
        expect(X.data).toBeAllclose(solveLowerTriangular(unit, B).data, {
          rtol: 1e-14,
          atol: 1e-14,
        });
      }),
      { numRuns: 150, seed: 3 },
    );
  });

  it('with unitDiagonal a zero or NaN diagonal is not a pivot', () => {
    const L = matrixFromRows([
      [0, 0],
      [3, Number.NaN],
    ]);
    expect(solveLowerTriangular(L, [1, 1], { unitDiagonal: true })).toBeAllclose([1, -2], {
      rtol: 0,
      atol: 0,
    });
  });

  it('does not modify its inputs; n = 0 gives empty results', () => {
    const L = matrixFromRows([
      [2, 0],
      [1, 4],
    ]);
    const b = new Float64Array([2, 9]);
    const B = matrix(2, 1, [2, 9]);
    solveLowerTriangular(L, b);
    solveLowerTriangular(L, B);
    expect(Array.from(b)).toEqual([2, 9]);
    expect(Array.from(B.data)).toEqual([2, 9]);
    expect(Array.from(L.data)).toEqual([2, 0, 1, 4]);
    expect(solveLowerTriangular(matrix(0, 0), []).length).toBe(0);
    expect(solveLowerTriangular(matrix(0, 0), matrix(0, 3)).cols).toBe(3);
  });

  it('a unit lower-triangular inverse: L·solve(L, I) = I', () => {
    const L = matrixFromRows([
      [1, 0, 0],
      [0.5, 1, 0],
      [-2, 0.25, 1],
    ]);
    const I = matrixFromRows([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(matmul(L, solveLowerTriangular(L, I)).data).toBeAllclose(I.data, {
      rtol: 0,
      atol: 1e-15,
    });
  });
});

describe('solveLowerTriangular: errors', () => {
  const L = matrixFromRows([
    [1, 0, 0],
    [2, 3, 0],
    [4, 5, 6],
  ]);

  it('non-square L', () => {
    expect(() => solveLowerTriangular(matrix(2, 3), [1, 2])).toThrow(ShapeError);
    expect(() => solveLowerTriangular(matrix(2, 3), [1, 2])).toThrow(
      'solveLowerTriangular: L must be square, got 2×3',
    );
  });

  it('non-lower-triangular L names the entry', () => {
    const U = matrixFromRows([
      [1, 0, 0],
      [2, 3, 7.5],
      [4, 5, 6],
    ]);
    expect(() => solveLowerTriangular(U, [1, 2, 3])).toThrow(ValidationError);
    expect(() => solveLowerTriangular(U, [1, 2, 3])).toThrow(
      'solveLowerTriangular: L must be lower triangular, got L[1][2] = 7.5 above the diagonal',
    );
    expect(() => solveLowerTriangular(U, [1, 2, 3], { unitDiagonal: true })).toThrow(
      'got L[1][2] = 7.5 above the diagonal',
    );
  });

  it('zero pivot names the row', () => {
    const S = matrixFromRows([
      [1, 0, 0],
      [2, 3, 0],
      [4, 5, 0],
    ]);
    expect(() => solveLowerTriangular(S, [1, 2, 3])).toThrow(SingularMatrixError);
    expect(() => solveLowerTriangular(S, [1, 2, 3])).toThrow(
      'solveLowerTriangular: L has a zero pivot at row 2 (L[2][2] = 0)',
    );
    try {
      solveLowerTriangular(S, matrix(3, 2));
    } catch (e) {
      expect((e as SingularMatrixError).row).toBe(2);
    }
    expect.assertions(3);
  });

  it('mismatched sizes', () => {
    expect(() => solveLowerTriangular(L, [1, 2])).toThrow(ShapeError);
    expect(() => solveLowerTriangular(L, [1, 2])).toThrow(
      'solveLowerTriangular: b must have length 3 (L is 3×3), got length 2',
    );
    expect(() => solveLowerTriangular(L, matrix(4, 2))).toThrow(
      'solveLowerTriangular: b must have 3 rows (L is 3×3), got 4×2',
    );
  });

  it('non-finite entries and malformed arguments', () => {
    const N = matrixFromRows([
      [1, 0],
      [Number.NaN, 1],
    ]);
    expect(() => solveLowerTriangular(N, [1, 2])).toThrow(
      'solveLowerTriangular: L must be finite, got NaN at L[1][0]',
    );
    const I2 = matrixFromRows([
      [1, 0],
      [0, 1],
    ]);
    expect(() => solveLowerTriangular(I2, [1, Number.POSITIVE_INFINITY])).toThrow(
      'solveLowerTriangular: b must be finite, got Infinity at index 1',
    );
    expect(() => solveLowerTriangular(I2, matrix(2, 2, [1, 2, 3, Number.NaN]))).toThrow(
      'solveLowerTriangular: b must be finite, got NaN at b[1][1]',
    );
    expect(() => solveLowerTriangular([[1]] as unknown as Matrix, [1])).toThrow(
      'solveLowerTriangular: L must be a Matrix { rows, cols, data: Float64Array } with data.length = rows·cols, got Array(1)',
    );
    expect(() => solveLowerTriangular(I2, 3 as unknown as number[])).toThrow(
      'solveLowerTriangular: b must be an array of numbers or a Matrix, got 3',
    );
    expect(() =>
      solveLowerTriangular(I2, [1, 2], { unitDiagonal: 'yes' as unknown as boolean }),
    ).toThrow('solveLowerTriangular: opts.unitDiagonal must be a boolean, got "yes"');
    expect(() =>
      solveLowerTriangular(I2, [1, 2], null as unknown as { unitDiagonal?: boolean }),
    ).toThrow('solveLowerTriangular: opts must be an object, got null');
  });
});

describe('solveLowerBidiagonal', () => {
  const bidiagonal = fc.integer({ min: 1, max: 60 }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      k: fc.integer({ min: 1, max: 4 }),
      diag: fc.array(
        fc
          .tuple(fc.double({ min: 0.5, max: 2, noNaN: true }), fc.boolean())
          .map(([m, neg]) => (neg ? -m : m)),
        { minLength: n, maxLength: n },
      ),
      sub: fc.array(fc.double({ min: -0.4, max: 0.4, noNaN: true }), {
        minLength: n - 1,
        maxLength: n - 1,
      }),
      b: fc.array(fc.double({ min: -10, max: 10, noNaN: true }), {
        minLength: 4 * n,
        maxLength: 4 * n,
      }),
    }),
  );

  it('equals the dense path (vector and matrix b) and mathjs lsolve', () => {
    fc.assert(
      fc.property(bidiagonal, ({ n, k, diag, sub, b }) => {
        const L = lowerBidiagonal(diag, sub);
        expect(isLowerTriangular(L)).toBe(true);
        const rhs = b.slice(0, n);
        const x = solveLowerBidiagonal(diag, sub, rhs);
        // Same operations in the same order as forward substitution (the skipped terms are ±0).
        expect(x).toBeAllclose(solveLowerTriangular(L, rhs), { rtol: 1e-15, atol: 0 });
        expect(x).toBeAllclose(mathjsSolve(L, rhs), { rtol: 1e-10, atol: 1e-12 });
        const B = matrix(n, k, b.slice(0, n * k));
        const X = solveLowerBidiagonal(diag, sub, B);
        expect(X.data).toBeAllclose(solveLowerTriangular(L, B).data, { rtol: 1e-15, atol: 0 });
        expect(residualNorm(L, X, B)).toBeLessThanOrEqual(1e-12 * n * k * 20);
      }),
      { numRuns: 200, seed: 4 },
    );
  });

  it("the lecture's I − L: unit diagonal, sub = −L[i+1][i]", () => {
    // (I − L) x = e₀ with L[i+1][i] = 3 gives x[i] = 3^i.
    const n = 6;
    const x = solveLowerBidiagonal(
      new Array(n).fill(1),
      new Array(n - 1).fill(-3),
      [1, 0, 0, 0, 0, 0],
    );
    expect(x).toBeAllclose([1, 3, 9, 27, 81, 243], { rtol: 0, atol: 0 });
    expect(solveLowerBidiagonal([1, 1], [-3], [1, 1])).toBeAllclose([1, 4], { rtol: 0, atol: 0 });
    expect(solveLowerBidiagonal([], [], []).length).toBe(0);
  });

  it('errors: lengths, zero pivot naming the row, non-finite input', () => {
    expect(() => solveLowerBidiagonal([1, 2, 3], [1], [1, 2, 3])).toThrow(ShapeError);
    expect(() => solveLowerBidiagonal([1, 2, 3], [1], [1, 2, 3])).toThrow(
      'solveLowerBidiagonal: sub must have length diag.length − 1 = 2, got length 1',
    );
    expect(() => solveLowerBidiagonal([1, 2, 3], [1, 1], [1, 2])).toThrow(
      'solveLowerBidiagonal: b must have length 3 (diag.length), got length 2',
    );
    expect(() => solveLowerBidiagonal([1, 2, 3], [1, 1], matrix(2, 2))).toThrow(
      'solveLowerBidiagonal: b must have 3 rows (diag.length), got 2×2',
    );
    expect(() => solveLowerBidiagonal([1, 0, 3], [1, 1], [1, 2, 3])).toThrow(SingularMatrixError);
    expect(() => solveLowerBidiagonal([1, 0, 3], [1, 1], [1, 2, 3])).toThrow(
      'solveLowerBidiagonal: L has a zero pivot at row 1 (diag[1] = 0)',
    );
    expect(() => solveLowerBidiagonal([1, 1], [Number.NaN], [1, 2])).toThrow(
      'solveLowerBidiagonal: sub must be finite, got NaN at index 0',
    );
    expect(() => solveLowerBidiagonal([1, 1], [1], [1, Number.NaN])).toThrow(
      'solveLowerBidiagonal: b must be finite, got NaN at index 1',
    );
  });
});

describe('helpers', () => {
  it('isLowerTriangular with and without tolerance; false for non-square', () => {
    const A = matrixFromRows([
      [1, 1e-20],
      [2, 3],
    ]);
    expect(isLowerTriangular(A)).toBe(false);
    expect(isLowerTriangular(A, 1e-15)).toBe(true);
    expect(isLowerTriangular(matrix(2, 3))).toBe(false);
    expect(isLowerTriangular(matrixFromRows([[Number.NaN]]))).toBe(true);
    expect(() => isLowerTriangular(A, -1)).toThrow(
      'isLowerTriangular: tol must be a number ≥ 0, got -1',
    );
  });

  it('lowerBidiagonal builds the dense matrix', () => {
    expect(toRows(lowerBidiagonal([1, 1, 1], [-2, -3]))).toEqual([
      [1, 0, 0],
      [-2, 1, 0],
      [0, -3, 1],
    ]);
    expect(() => lowerBidiagonal([1, 1], [])).toThrow(
      'lowerBidiagonal: sub must have length diag.length − 1 = 1, got length 0',
    );
  });

  it('residualNorm is ‖Ax − b‖₂ and checks shapes', () => {
    const A = matrixFromRows([
      [1, 2],
      [3, 4],
    ]);
    // A·[1, 1] = [3, 7]; b = [0, 3] → residual [3, 4], norm 5.
    expect(residualNorm(A, [1, 1], [0, 3])).toBeAllclose(5, { rtol: 1e-15, atol: 0 });
    expect(() => residualNorm(A, [1, 1, 1], [0, 3])).toThrow(
      'residualNorm: x must have 2 rows (A.cols), got 3',
    );
    expect(() => residualNorm(A, matrix(2, 2), [0, 3])).toThrow(
      'residualNorm: b must be 2×2 (A.rows × x columns), got 2×1',
    );
  });

  it('isMatrix', () => {
    expect(isMatrix(matrix(2, 3))).toBe(true);
    expect(isMatrix({ rows: 2, cols: 2, data: new Float64Array(3) })).toBe(false);
    expect(isMatrix([1, 2])).toBe(false);
    expect(isMatrix(null)).toBe(false);
  });
});
