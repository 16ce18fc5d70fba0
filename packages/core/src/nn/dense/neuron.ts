/**
 * The single neuron y = f(w·x + b) and its batch form f(X·w + b).
 */
import type { ActivationSpec } from '../../activations/index.js';
import { assertAllFinite, assertFiniteNumber, formatValue, ShapeError } from '../../errors.js';
import { isMatrix, type Matrix } from '../../linalg/index.js';
import { activationFor } from './spec.js';

/**
 * One neuron: y = f(w·x + b), with f = `act` (default `'sigmoid'`, the lecture's neuron).
 *
 * @example
 * ```ts
 * neuron([1, -1], 0.5, [2, 1]); // σ(1.5) = 0.8175744761936437
 * neuron([2], 1, [3], 'identity'); // 7
 * ```
 */
export function neuron(
  w: ArrayLike<number>,
  b: number,
  x: ArrayLike<number>,
  act: ActivationSpec = 'sigmoid',
): number {
  const fn = 'neuron';
  const f = activationFor(fn, 'act', act).f;
  assertAllFinite(fn, 'w', w);
  assertFiniteNumber(fn, 'b', b);
  assertAllFinite(fn, 'x', x);
  if (x.length !== w.length) {
    throw new ShapeError(
      `${fn}: x must have w.length = ${w.length} entries, got ${x.length}`,
      fn,
      'x',
    );
  }
  let z = b;
  for (let i = 0; i < w.length; i++) z += w[i]! * x[i]!;
  return f(z);
}

/**
 * The neuron on a batch: y[n] = f(X[n]·w + b) for each row n of X (rows are samples).
 *
 * @example
 * ```ts
 * const X = matrixFromRows([[2, 1], [0, 0]]);
 * neuronBatch(X, [1, -1], 0.5, 'identity'); // Float64Array [1.5, 0.5]
 * ```
 */
export function neuronBatch(
  X: Matrix,
  w: ArrayLike<number>,
  b: number,
  act: ActivationSpec = 'sigmoid',
): Float64Array {
  const fn = 'neuronBatch';
  const f = activationFor(fn, 'act', act).f;
  if (!isMatrix(X)) {
    throw new ShapeError(
      `${fn}: X must be a Matrix { rows, cols, data }, got ${formatValue(X)}`,
      fn,
      'X',
    );
  }
  assertAllFinite(fn, 'w', w);
  assertFiniteNumber(fn, 'b', b);
  assertAllFinite(fn, 'X', X.data);
  if (X.cols !== w.length) {
    throw new ShapeError(
      `${fn}: X must have w.length = ${w.length} columns, got ${X.cols}`,
      fn,
      'X',
    );
  }
  const { rows, cols, data } = X;
  const y = new Float64Array(rows);
  for (let n = 0; n < rows; n++) {
    let z = b;
    const o = n * cols;
    for (let i = 0; i < cols; i++) z += data[o + i]! * w[i]!;
    y[n] = f(z);
  }
  return y;
}
