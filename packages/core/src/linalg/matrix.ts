/**
 * A dense row-major float64 matrix: element (i, j) is `data[i * cols + j]`.
 */
import { assertInteger, ShapeError } from '../errors.js';

export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/**
 * True when `value` is a {@link Matrix}: non-negative integer `rows` and `cols` and a Float64Array
 * `data` of length rows·cols.
 *
 * @example
 * ```ts
 * isMatrix(matrix(2, 3)); // true
 * isMatrix([1, 2, 3]); // false
 * ```
 */
export function isMatrix(value: unknown): value is Matrix {
  if (value === null || typeof value !== 'object') return false;
  const m = value as { rows?: unknown; cols?: unknown; data?: unknown };
  return (
    Number.isInteger(m.rows) &&
    Number.isInteger(m.cols) &&
    (m.rows as number) >= 0 &&
    (m.cols as number) >= 0 &&
    m.data instanceof Float64Array &&
    m.data.length === (m.rows as number) * (m.cols as number)
  );
}

/** A rows×cols matrix, zero-filled or copied from row-major `data`. */
export function matrix(rows: number, cols: number, data?: ArrayLike<number>): Matrix {
  assertInteger('matrix', 'rows', rows, 0);
  assertInteger('matrix', 'cols', cols, 0);
  const out = new Float64Array(rows * cols);
  if (data !== undefined) {
    if (data.length !== rows * cols) {
      throw new ShapeError(
        `matrix: data must have rows·cols = ${rows * cols} elements, got ${data.length}`,
        'matrix',
        'data',
      );
    }
    out.set(data);
  }
  return { rows, cols, data: out };
}

/** A matrix from an array of equal-length rows. */
export function matrixFromRows(rows: ReadonlyArray<ArrayLike<number>>): Matrix {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0]!.length;
  const m = matrix(r, c);
  for (let i = 0; i < r; i++) {
    const row = rows[i]!;
    if (row.length !== c) {
      throw new ShapeError(
        `matrixFromRows: rows must all have length ${c}, got length ${row.length} at row ${i}`,
        'matrixFromRows',
        'rows',
      );
    }
    m.data.set(row, i * c);
  }
  return m;
}

/** The n×n identity. */
export function identityMatrix(n: number): Matrix {
  const m = matrix(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/** Element (i, j). */
export function at(m: Matrix, i: number, j: number): number {
  return m.data[i * m.cols + j]!;
}

/** The rows as plain arrays (for printing and tests). */
export function toRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++)
    out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/** Row i as a view (no copy). */
export function row(m: Matrix, i: number): Float64Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

/** C = A·B. */
export function matmul(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.rows) {
    throw new ShapeError(`matmul: a.cols (${a.cols}) must equal b.rows (${b.rows})`, 'matmul', 'b');
  }
  const c = matrix(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < a.cols; k++) {
      const aik = a.data[i * a.cols + k]!;
      if (aik === 0) continue;
      const bo = k * b.cols;
      const co = i * b.cols;
      for (let j = 0; j < b.cols; j++) c.data[co + j]! += aik * b.data[bo + j]!;
    }
  }
  return c;
}

/** y = A·x. */
export function matvec(a: Matrix, x: ArrayLike<number>): Float64Array {
  if (a.cols !== x.length) {
    throw new ShapeError(
      `matvec: a.cols (${a.cols}) must equal x.length (${x.length})`,
      'matvec',
      'x',
    );
  }
  const y = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    const o = i * a.cols;
    for (let j = 0; j < a.cols; j++) s += a.data[o + j]! * x[j]!;
    y[i] = s;
  }
  return y;
}
