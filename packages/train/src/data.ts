/** Conversion and validation of training data at the public boundary. */
import { type Matrix, ShapeError, ValidationError } from '@annlab/core';
import { formatValue } from '@annlab/core/internal';

/**
 * Data in one of the accepted layouts: a flat row-major array (`number[]`, `Float64Array`, …)
 * whose row width is known from the model, an array of rows, or a core {@link Matrix}.
 */
export type DataInput = ArrayLike<number> | ReadonlyArray<ArrayLike<number>> | Matrix;

/** Inputs and targets: row i of `x` maps to row i of `y`. */
export interface Dataset {
  readonly x: DataInput;
  readonly y: DataInput;
}

/** A validated row-major table (copied; never aliases the caller's array). */
export interface Table {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

function isMatrix(v: unknown): v is Matrix {
  const m = v as Partial<Matrix> | null;
  return (
    m !== null &&
    typeof m === 'object' &&
    typeof m.rows === 'number' &&
    typeof m.cols === 'number' &&
    m.data instanceof Float64Array
  );
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return (
    v !== null &&
    (typeof v === 'object' || typeof v === 'string') &&
    typeof (v as { length?: unknown }).length === 'number'
  );
}

/**
 * Converts `value` to a finite row-major table with `cols` columns, naming `fn`, `arg` and the first
 * bad index in errors (`fit: data.x must be finite, got NaN at index 3`).
 */
export function toTable(fn: string, arg: string, value: unknown, cols: number): Table {
  let data: Float64Array;
  if (isMatrix(value)) {
    if (value.cols !== cols) {
      throw new ShapeError(
        `${fn}: ${arg} must have ${cols} column${cols === 1 ? '' : 's'}, got a ${value.rows}×${value.cols} matrix`,
        fn,
        arg,
      );
    }
    data = value.data.slice(0, value.rows * value.cols);
  } else if (isArrayLike(value) && typeof value !== 'string') {
    const first = value.length > 0 ? value[0] : undefined;
    if (isArrayLike(first) && typeof first !== 'string') {
      const rows = value as ReadonlyArray<ArrayLike<unknown>>;
      data = new Float64Array(rows.length * cols);
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r];
        if (!isArrayLike(row) || row.length !== cols) {
          throw new ShapeError(
            `${fn}: ${arg}[${r}] must be a row of ${cols} numbers, got ${formatValue(row)}`,
            fn,
            arg,
          );
        }
        for (let c = 0; c < cols; c++) {
          const v = row[c];
          if (typeof v !== 'number' || !Number.isFinite(v)) {
            throw new ValidationError(
              `${fn}: ${arg} must be finite numbers, got ${formatValue(v)} at index [${r}][${c}]`,
              fn,
              arg,
            );
          }
          data[r * cols + c] = v;
        }
      }
      return { data, rows: rows.length, cols };
    }
    if (value.length % cols !== 0) {
      throw new ShapeError(
        `${fn}: ${arg} is flat with length ${value.length}, not a multiple of its ${cols} columns`,
        fn,
        arg,
      );
    }
    data = new Float64Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const v = (value as ArrayLike<unknown>)[i];
      if (typeof v !== 'number') {
        throw new ValidationError(
          `${fn}: ${arg} must be finite numbers, got ${formatValue(v)} at index ${i}`,
          fn,
          arg,
        );
      }
      data[i] = v;
    }
  } else {
    throw new ValidationError(
      `${fn}: ${arg} must be an array, an array of rows or a Matrix, got ${formatValue(value)}`,
      fn,
      arg,
    );
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      throw new ValidationError(
        `${fn}: ${arg} must be finite numbers, got ${formatValue(data[i])} at index ${i}`,
        fn,
        arg,
      );
    }
  }
  return { data, rows: data.length / cols, cols };
}

/** Validates a dataset: both sides finite, same number of rows, at least one row. */
export function toDataset(
  fn: string,
  data: unknown,
  inCols: number,
  outCols: number,
  arg = 'data',
): { x: Table; y: Table } {
  const d = data as Partial<Dataset> | null;
  if (d === null || typeof d !== 'object' || d.x === undefined || d.y === undefined) {
    throw new ValidationError(`${fn}: ${arg} must be { x, y }, got ${formatValue(data)}`, fn, arg);
  }
  const x = toTable(fn, `${arg}.x`, d.x, inCols);
  const y = toTable(fn, `${arg}.y`, d.y, outCols);
  if (x.rows !== y.rows) {
    throw new ShapeError(
      `${fn}: ${arg}.x and ${arg}.y must have the same number of samples, got ${x.rows} and ${y.rows}`,
      fn,
      arg,
    );
  }
  if (x.rows === 0) {
    throw new ShapeError(`${fn}: ${arg} must have at least one sample, got 0`, fn, arg);
  }
  return { x, y };
}

/** Rows `idx` of a table, copied into a new table. */
export function takeRows(t: Table, idx: ArrayLike<number>): Table {
  const data = new Float64Array(idx.length * t.cols);
  for (let r = 0; r < idx.length; r++) {
    const src = idx[r]! * t.cols;
    for (let c = 0; c < t.cols; c++) data[r * t.cols + c] = t.data[src + c]!;
  }
  return { data, rows: idx.length, cols: t.cols };
}
