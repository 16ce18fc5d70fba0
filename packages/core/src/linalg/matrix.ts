/**
 * A dense row-major float64 matrix: element (i, j) is `data[i * cols + j]`.
 */

import {
  assertInteger,
  formatValue,
  invalidArgument,
  ShapeError,
  ValidationError,
} from '../errors.js';
import { assertAllocation } from '../limits.js';

/**
 * A dense row-major float64 matrix: element (i, j) is `data[i * cols + j]`.
 *
 * @example
 * ```ts
 * const m = matrixFromRows([[1, 2], [3, 4]]);
 * at(m, 1, 0); // 3
 * m.data; // Float64Array [1, 2, 3, 4]
 * ```
 */
export interface Matrix {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** The rows·cols entries, row by row. */
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

function isArrayLike(v: unknown): v is ArrayLike<number> {
  return (
    v !== null && typeof v === 'object' && typeof (v as { length?: unknown }).length === 'number'
  );
}

function assertMatrix(fn: string, arg: string, value: unknown): asserts value is Matrix {
  if (!isMatrix(value)) {
    throw invalidArgument(
      fn,
      arg,
      value,
      'a Matrix { rows, cols, data: Float64Array } with data.length = rows·cols',
    );
  }
}

function assertIndex(fn: string, arg: string, value: unknown, size: number, what: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= size) {
    throw new ValidationError(
      `${fn}: ${arg} must be an integer in [0, ${size - 1}] (${what} = ${size}), got ${formatValue(value)}`,
      fn,
      arg,
    );
  }
}

/**
 * A rows×cols matrix, zero-filled or copied from row-major `data`.
 *
 * @example
 * ```ts
 * matrix(2, 2, [1, 2, 3, 4]); // { rows: 2, cols: 2, data: Float64Array [1, 2, 3, 4] }
 * ```
 */
export function matrix(rows: number, cols: number, data?: ArrayLike<number>): Matrix {
  assertInteger('matrix', 'rows', rows, 0);
  assertInteger('matrix', 'cols', cols, 0);
  assertAllocation('matrix', `rows·cols = ${rows}·${cols}`, rows * cols);
  const out = new Float64Array(rows * cols);
  if (data !== undefined) {
    if (!isArrayLike(data)) throw invalidArgument('matrix', 'data', data, 'an array of numbers');
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

/**
 * A matrix from an array of equal-length rows.
 *
 * @example
 * ```ts
 * matrixFromRows([[1, 2], [3, 4]]).data; // Float64Array [1, 2, 3, 4]
 * ```
 */
export function matrixFromRows(rows: ReadonlyArray<ArrayLike<number>>): Matrix {
  const fn = 'matrixFromRows';
  if (!Array.isArray(rows)) throw invalidArgument(fn, 'rows', rows, 'an array of rows');
  for (let i = 0; i < rows.length; i++) {
    if (!isArrayLike(rows[i])) {
      throw new ValidationError(
        `${fn}: rows[${i}] must be an array of numbers, got ${formatValue(rows[i])}`,
        fn,
        'rows',
      );
    }
  }
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

/**
 * The n×n identity.
 *
 * @example
 * ```ts
 * toRows(identityMatrix(2)); // [[1, 0], [0, 1]]
 * ```
 */
export function identityMatrix(n: number): Matrix {
  assertInteger('identityMatrix', 'n', n, 0);
  const m = matrix(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/**
 * Element (i, j), with i and j checked against the shape.
 *
 * @example
 * ```ts
 * at(matrixFromRows([[1, 2], [3, 4]]), 1, 0); // 3
 * ```
 */
export function at(m: Matrix, i: number, j: number): number {
  assertMatrix('at', 'm', m);
  assertIndex('at', 'i', i, m.rows, 'rows');
  assertIndex('at', 'j', j, m.cols, 'cols');
  return m.data[i * m.cols + j]!;
}

/**
 * The rows as plain arrays (for printing and tests).
 *
 * @example
 * ```ts
 * toRows(matrix(2, 2, [1, 2, 3, 4])); // [[1, 2], [3, 4]]
 * ```
 */
export function toRows(m: Matrix): number[][] {
  assertMatrix('toRows', 'm', m);
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++)
    out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/**
 * Row i as a view (no copy): writing it writes the matrix.
 *
 * @example
 * ```ts
 * row(matrix(2, 2, [1, 2, 3, 4]), 1); // Float64Array [3, 4]
 * ```
 */
export function row(m: Matrix, i: number): Float64Array {
  assertMatrix('row', 'm', m);
  assertIndex('row', 'i', i, m.rows, 'rows');
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

/**
 * C = A·B (a.cols must equal b.rows).
 *
 * @example
 * ```ts
 * toRows(matmul(matrixFromRows([[1, 2]]), matrixFromRows([[3], [4]]))); // [[11]]
 * ```
 */
export function matmul(a: Matrix, b: Matrix): Matrix {
  assertMatrix('matmul', 'a', a);
  assertMatrix('matmul', 'b', b);
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

/**
 * y = A·x (x.length must equal a.cols).
 *
 * @example
 * ```ts
 * matvec(matrixFromRows([[1, 2], [3, 4]]), [1, 1]); // Float64Array [3, 7]
 * ```
 */
export function matvec(a: Matrix, x: ArrayLike<number>): Float64Array {
  assertMatrix('matvec', 'a', a);
  if (!isArrayLike(x)) throw invalidArgument('matvec', 'x', x, 'an array of numbers');
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
