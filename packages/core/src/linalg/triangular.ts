/**
 * Lower-triangular solves by forward substitution, dense and bidiagonal.
 *
 * The lecture's width-one network leads to (I − L)·dx = D·dp with L strictly lower bidiagonal; the
 * dense solver handles any lower-triangular system, the bidiagonal one does the lecture's system in
 * O(n) per right-hand side.
 */
import {
  assertAllFinite,
  formatValue,
  NonFiniteError,
  ShapeError,
  SingularMatrixError,
  ValidationError,
} from '../errors.js';
import { isMatrix, type Matrix, matrix } from './matrix.js';

/** Options of {@link solveLowerTriangular}. */
export interface SolveLowerTriangularOptions {
  /**
   * Treat every diagonal entry of L as 1 and never read it (LAPACK's `diag = 'U'`), as for the
   * lecture's I − L stored as L with an arbitrary diagonal. Default false.
   */
  readonly unitDiagonal?: boolean;
}

function assertMatrixArg(fn: string, arg: string, value: unknown): asserts value is Matrix {
  if (!isMatrix(value)) {
    throw new ValidationError(
      `${fn}: ${arg} must be a Matrix { rows, cols, data: Float64Array } with data.length = rows·cols, got ${formatValue(value)}`,
      fn,
      arg,
    );
  }
}

function assertVectorArg(
  fn: string,
  arg: string,
  value: unknown,
): asserts value is ArrayLike<number> {
  if (
    value === null ||
    typeof value !== 'object' ||
    typeof (value as { length?: unknown }).length !== 'number'
  ) {
    throw new ValidationError(
      `${fn}: ${arg} must be an array of numbers or a Matrix, got ${formatValue(value)}`,
      fn,
      arg,
    );
  }
}

function assertMatrixFinite(fn: string, arg: string, m: Matrix): void {
  const { rows, cols, data } = m;
  for (let k = 0; k < rows * cols; k++) {
    const v = data[k]!;
    if (!Number.isFinite(v)) {
      const i = Math.floor(k / cols);
      throw new ValidationError(
        `${fn}: ${arg} must be finite, got ${formatValue(v)} at ${arg}[${i}][${k - i * cols}]`,
        fn,
        arg,
      );
    }
  }
}

/**
 * Checks that L is a square lower-triangular matrix with finite entries on and below the diagonal
 * (the diagonal is skipped when `unitDiagonal`), naming the first offending entry.
 */
function validateLower(fn: string, L: unknown, unitDiagonal: boolean): asserts L is Matrix {
  assertMatrixArg(fn, 'L', L);
  const { rows: n, cols, data } = L;
  if (n !== cols) {
    throw new ShapeError(`${fn}: L must be square, got ${n}×${cols}`, fn, 'L');
  }
  for (let i = 0; i < n; i++) {
    const o = i * n;
    for (let j = 0; j < n; j++) {
      const v = data[o + j]!;
      if (j > i) {
        if (v !== 0) {
          throw new ValidationError(
            `${fn}: L must be lower triangular, got L[${i}][${j}] = ${formatValue(v)} above the diagonal`,
            fn,
            'L',
          );
        }
      } else if (!Number.isFinite(v) && !(unitDiagonal && i === j)) {
        throw new ValidationError(
          `${fn}: L must be finite, got ${formatValue(v)} at L[${i}][${j}]`,
          fn,
          'L',
        );
      }
    }
  }
}

function zeroPivot(fn: string, i: number, what: string): SingularMatrixError {
  return new SingularMatrixError(`${fn}: L has a zero pivot at row ${i} (${what} = 0)`, fn, i);
}

/**
 * Solves L·x = b for lower-triangular L by forward substitution.
 *
 * Steps, for each row i = 0..n−1 (row-major friendly; for a matrix right-hand side each step acts on
 * a whole row of B):
 * 1. s = b[i] − Σ_{k<i} L[i][k]·x[k]
 * 2. x[i] = s / L[i][i] (or x[i] = s with `unitDiagonal`).
 *
 * Costs n²/2 multiply-adds per right-hand side column. The inputs are not modified.
 *
 * @param L - square, lower triangular (every entry above the diagonal exactly 0), finite.
 * @param b - a vector of length n, or an n×k matrix of k right-hand sides.
 * @returns x as a new Float64Array (vector b) or a new n×k Matrix (matrix b).
 * @throws ShapeError when L is not square or b does not have L.rows rows;
 *   ValidationError when L has a non-zero above the diagonal (naming the entry) or a non-finite entry;
 *   SingularMatrixError on a zero pivot, naming the row.
 *
 * @example
 * ```ts
 * const L = matrixFromRows([[2, 0], [1, 4]]);
 * solveLowerTriangular(L, [2, 9]); // Float64Array [1, 2]
 * ```
 */
export function solveLowerTriangular(
  L: Matrix,
  b: ArrayLike<number>,
  opts?: SolveLowerTriangularOptions,
): Float64Array;
export function solveLowerTriangular(
  L: Matrix,
  b: Matrix,
  opts?: SolveLowerTriangularOptions,
): Matrix;
export function solveLowerTriangular(
  L: Matrix,
  b: ArrayLike<number> | Matrix,
  opts?: SolveLowerTriangularOptions,
): Float64Array | Matrix;
export function solveLowerTriangular(
  L: Matrix,
  b: ArrayLike<number> | Matrix,
  opts: SolveLowerTriangularOptions = {},
): Float64Array | Matrix {
  const fn = 'solveLowerTriangular';
  if (opts === null || typeof opts !== 'object') {
    throw new ValidationError(
      `${fn}: opts must be an object, got ${formatValue(opts)}`,
      fn,
      'opts',
    );
  }
  const unit = opts.unitDiagonal ?? false;
  if (typeof unit !== 'boolean') {
    throw new ValidationError(
      `${fn}: opts.unitDiagonal must be a boolean, got ${formatValue(unit)}`,
      fn,
      'opts.unitDiagonal',
    );
  }
  validateLower(fn, L, unit);
  const n = L.rows;
  const Ld = L.data;
  if (!unit) {
    for (let i = 0; i < n; i++) {
      if (Ld[i * n + i] === 0) throw zeroPivot(fn, i, `L[${i}][${i}]`);
    }
  }
  if (isMatrix(b)) {
    if (b.rows !== n) {
      throw new ShapeError(
        `${fn}: b must have ${n} rows (L is ${n}×${n}), got ${b.rows}×${b.cols}`,
        fn,
        'b',
      );
    }
    assertMatrixFinite(fn, 'b', b);
    const k = b.cols;
    const X = matrix(n, k, b.data);
    const x = X.data;
    for (let i = 0; i < n; i++) {
      const xo = i * k;
      const lo = i * n;
      for (let j = 0; j < i; j++) {
        const lij = Ld[lo + j]!;
        if (lij === 0) continue;
        const jo = j * k;
        for (let c = 0; c < k; c++) x[xo + c]! -= lij * x[jo + c]!;
      }
      if (!unit) {
        const inv = Ld[lo + i]!;
        for (let c = 0; c < k; c++) x[xo + c]! /= inv;
      }
    }
    assertSolutionFinite(fn, x, k, (i) => `L[${i}][${i}] = ${formatValue(Ld[i * n + i])}`);
    return X;
  }
  assertVectorArg(fn, 'b', b);
  if (b.length !== n) {
    throw new ShapeError(
      `${fn}: b must have length ${n} (L is ${n}×${n}), got length ${b.length}`,
      fn,
      'b',
    );
  }
  assertAllFinite(fn, 'b', b);
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    const lo = i * n;
    let s = x[i]!;
    for (let j = 0; j < i; j++) s -= Ld[lo + j]! * x[j]!;
    x[i] = unit ? s : s / Ld[lo + i]!;
  }
  assertSolutionFinite(fn, x, 1, (i) => `L[${i}][${i}] = ${formatValue(Ld[i * n + i])}`);
  return x;
}

/**
 * Throws a NonFiniteError naming the first row whose solution overflowed (a tiny pivot such as 1e-320,
 * or entries so large that the substitution leaves the float64 range): the solvers never return ±∞.
 */
function assertSolutionFinite(
  fn: string,
  x: Float64Array,
  cols: number,
  pivot: (row: number) => string,
): void {
  for (let k = 0; k < x.length; k++) {
    if (!Number.isFinite(x[k]!)) {
      const row = Math.floor(k / cols);
      throw new NonFiniteError(
        `${fn}: the solution is not finite at row ${row} (x = ${formatValue(x[k])}, pivot ${pivot(row)}); the system is too ill-conditioned for float64`,
      );
    }
  }
}

/**
 * Solves L·x = b for a lower-bidiagonal L given by its diagonal and subdiagonal, in O(n) per
 * right-hand side: x[0] = b[0] / diag[0], then x[i] = (b[i] − sub[i−1]·x[i−1]) / diag[i].
 *
 * For the lecture's (I − L)·dx = D·dp pass `diag` all ones and `sub[i] = −L[i+1][i]`.
 *
 * @param diag - the n diagonal entries, finite and non-zero.
 * @param sub - the n−1 subdiagonal entries: `sub[i] = L[i+1][i]`.
 * @param b - a vector of length n or an n×k matrix.
 * @returns x as a new Float64Array (vector b) or a new n×k Matrix (matrix b).
 * @throws ShapeError on mismatched lengths; ValidationError on non-finite input;
 *   SingularMatrixError on a zero diagonal entry, naming the row.
 *
 * @example
 * ```ts
 * // [[1, 0], [-3, 1]]·x = [1, 1]
 * solveLowerBidiagonal([1, 1], [-3], [1, 1]); // Float64Array [1, 4]
 * ```
 */
export function solveLowerBidiagonal(
  diag: ArrayLike<number>,
  sub: ArrayLike<number>,
  b: ArrayLike<number>,
): Float64Array;
export function solveLowerBidiagonal(
  diag: ArrayLike<number>,
  sub: ArrayLike<number>,
  b: Matrix,
): Matrix;
export function solveLowerBidiagonal(
  diag: ArrayLike<number>,
  sub: ArrayLike<number>,
  b: ArrayLike<number> | Matrix,
): Float64Array | Matrix;
export function solveLowerBidiagonal(
  diag: ArrayLike<number>,
  sub: ArrayLike<number>,
  b: ArrayLike<number> | Matrix,
): Float64Array | Matrix {
  const fn = 'solveLowerBidiagonal';
  assertVectorArg(fn, 'diag', diag);
  assertVectorArg(fn, 'sub', sub);
  const n = diag.length;
  if (sub.length !== Math.max(0, n - 1)) {
    throw new ShapeError(
      `${fn}: sub must have length diag.length − 1 = ${Math.max(0, n - 1)}, got length ${sub.length}`,
      fn,
      'sub',
    );
  }
  assertAllFinite(fn, 'diag', diag);
  assertAllFinite(fn, 'sub', sub);
  for (let i = 0; i < n; i++) {
    if (diag[i] === 0) throw zeroPivot(fn, i, `diag[${i}]`);
  }
  if (isMatrix(b)) {
    if (b.rows !== n) {
      throw new ShapeError(
        `${fn}: b must have ${n} rows (diag.length), got ${b.rows}×${b.cols}`,
        fn,
        'b',
      );
    }
    assertMatrixFinite(fn, 'b', b);
    const k = b.cols;
    const X = matrix(n, k, b.data);
    const x = X.data;
    for (let i = 0; i < n; i++) {
      const xo = i * k;
      const d = diag[i]!;
      if (i === 0) {
        for (let c = 0; c < k; c++) x[c]! /= d;
      } else {
        const s = sub[i - 1]!;
        const po = xo - k;
        for (let c = 0; c < k; c++) x[xo + c] = (x[xo + c]! - s * x[po + c]!) / d;
      }
    }
    assertSolutionFinite(fn, x, k, (i) => `diag[${i}] = ${formatValue(diag[i])}`);
    return X;
  }
  assertVectorArg(fn, 'b', b);
  if (b.length !== n) {
    throw new ShapeError(
      `${fn}: b must have length ${n} (diag.length), got length ${b.length}`,
      fn,
      'b',
    );
  }
  assertAllFinite(fn, 'b', b);
  const x = Float64Array.from(b);
  if (n > 0) x[0] = x[0]! / diag[0]!;
  for (let i = 1; i < n; i++) x[i] = (x[i]! - sub[i - 1]! * x[i - 1]!) / diag[i]!;
  assertSolutionFinite(fn, x, 1, (i) => `diag[${i}] = ${formatValue(diag[i])}`);
  return x;
}

/**
 * True when L is square and every entry above the diagonal has |L[i][j]| ≤ tol (default 0: exactly
 * zero). Non-matrices and non-square matrices give false.
 *
 * @example
 * ```ts
 * isLowerTriangular(matrixFromRows([[1, 0], [2, 3]])); // true
 * isLowerTriangular(matrixFromRows([[1, 1e-20], [2, 3]]), 1e-15); // true
 * ```
 */
export function isLowerTriangular(L: Matrix, tol = 0): boolean {
  if (typeof tol !== 'number' || !(tol >= 0)) {
    throw new ValidationError(
      `isLowerTriangular: tol must be a number ≥ 0, got ${formatValue(tol)}`,
      'isLowerTriangular',
      'tol',
    );
  }
  if (!isMatrix(L) || L.rows !== L.cols) return false;
  const n = L.rows;
  const d = L.data;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (!(Math.abs(d[i * n + j]!) <= tol)) return false;
    }
  }
  return true;
}

/**
 * The dense n×n lower-bidiagonal matrix with the given diagonal and subdiagonal
 * (`sub[i] = L[i+1][i]`), for printing and for checking {@link solveLowerBidiagonal}.
 *
 * @example
 * ```ts
 * toRows(lowerBidiagonal([1, 1, 1], [-2, -3])); // [[1, 0, 0], [-2, 1, 0], [0, -3, 1]]
 * ```
 */
export function lowerBidiagonal(diag: ArrayLike<number>, sub: ArrayLike<number>): Matrix {
  const fn = 'lowerBidiagonal';
  assertVectorArg(fn, 'diag', diag);
  assertVectorArg(fn, 'sub', sub);
  const n = diag.length;
  if (sub.length !== Math.max(0, n - 1)) {
    throw new ShapeError(
      `${fn}: sub must have length diag.length − 1 = ${Math.max(0, n - 1)}, got length ${sub.length}`,
      fn,
      'sub',
    );
  }
  const m = matrix(n, n);
  for (let i = 0; i < n; i++) {
    m.data[i * n + i] = diag[i]!;
    if (i > 0) m.data[i * n + i - 1] = sub[i - 1]!;
  }
  return m;
}

/**
 * The residual norm ‖A·x − b‖₂ (Frobenius norm for a matrix x and b), computed in float64. A small
 * value relative to ‖A‖·‖x‖ certifies a solve.
 *
 * @example
 * ```ts
 * const L = matrixFromRows([[2, 0], [1, 4]]);
 * residualNorm(L, solveLowerTriangular(L, [2, 9]), [2, 9]); // 0
 * ```
 */
export function residualNorm(
  A: Matrix,
  x: ArrayLike<number> | Matrix,
  b: ArrayLike<number> | Matrix,
): number {
  const fn = 'residualNorm';
  assertMatrixArg(fn, 'A', A);
  const xm = isMatrix(x);
  const bm = isMatrix(b);
  if (!xm) assertVectorArg(fn, 'x', x);
  if (!bm) assertVectorArg(fn, 'b', b);
  const xRows = xm ? x.rows : x.length;
  const k = xm ? x.cols : 1;
  const bRows = bm ? b.rows : b.length;
  const bCols = bm ? b.cols : 1;
  if (xRows !== A.cols) {
    throw new ShapeError(`${fn}: x must have ${A.cols} rows (A.cols), got ${xRows}`, fn, 'x');
  }
  if (bRows !== A.rows || bCols !== k) {
    throw new ShapeError(
      `${fn}: b must be ${A.rows}×${k} (A.rows × x columns), got ${bRows}×${bCols}`,
      fn,
      'b',
    );
  }
  const xd: ArrayLike<number> = xm ? x.data : x;
  const bd: ArrayLike<number> = bm ? b.data : b;
  const { rows, cols, data } = A;
  let ss = 0;
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < k; c++) {
      let s = -bd[i * k + c]!;
      for (let j = 0; j < cols; j++) s += data[i * cols + j]! * xd[j * k + c]!;
      ss += s * s;
    }
  }
  return Math.sqrt(ss);
}
