import { seeded } from '@annlab/test-utils';
import { describe, expect, it } from 'vitest';
import { ShapeError, ValidationError } from '../errors.js';
import {
  at,
  identityMatrix,
  isMatrix,
  type Matrix,
  matmul,
  matrix,
  matrixFromRows,
  matvec,
  row,
  toRows,
} from './index.js';

describe('Matrix helpers', () => {
  it('build row-major matrices: matrix, matrixFromRows, identityMatrix, toRows, at, row', () => {
    const m = matrixFromRows([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect([m.rows, m.cols]).toEqual([2, 3]);
    expect(m.data).toBeAllclose([1, 2, 3, 4, 5, 6], { rtol: 0, atol: 0 });
    expect(toRows(matrix(2, 3, m.data))).toEqual(toRows(m));
    expect(at(m, 1, 0)).toBe(4);
    const r = row(m, 1);
    r[2] = 60; // a view: writes the matrix
    expect(at(m, 1, 2)).toBe(60);
    expect(toRows(identityMatrix(3))).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(isMatrix(matrix(0, 4))).toBe(true);
    expect(toRows(matrixFromRows([]))).toEqual([]);
  });

  it('matmul and matvec agree with explicit sums (exact for small integers, 1e-14 otherwise)', () => {
    const a = matrixFromRows([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const b = matrixFromRows([
      [7, 8, 9],
      [10, 11, 12],
    ]);
    expect(toRows(matmul(a, b))).toEqual([
      [27, 30, 33],
      [61, 68, 75],
      [95, 106, 117],
    ]);
    expect(matvec(a, [1, -1])).toBeAllclose([-1, -1, -1], { rtol: 0, atol: 0 });
    const r = seeded(9);
    const x = matrix(4, 5, r.normals(20));
    const y = matrix(5, 3, r.normals(15));
    const want: number[] = [];
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 5; k++) s += at(x, i, k) * at(y, k, j);
        want.push(s);
      }
    }
    expect(matmul(x, y).data).toBeAllclose(want, { rtol: 1e-14, atol: 1e-15 });
    expect(matmul(x, identityMatrix(5)).data).toBeAllclose(x.data, { rtol: 0, atol: 0 });
  });

  it('validate their inputs, naming the function, argument and value', () => {
    const m = matrix(2, 3);
    expect(() => matrix(-1, 2)).toThrow('matrix: rows must be an integer ≥ 0, got -1');
    expect(() => matrix(2, 2, [1, 2, 3])).toThrow(ShapeError);
    expect(() => matrix(1, 1, 5 as never)).toThrow(
      'matrix: data must be an array of numbers, got 5',
    );
    expect(() => matrixFromRows('ab' as never)).toThrow(
      'matrixFromRows: rows must be an array of rows, got "ab"',
    );
    expect(() => matrixFromRows([[1], 2] as never)).toThrow(
      'matrixFromRows: rows[1] must be an array of numbers, got 2',
    );
    expect(() => matrixFromRows([[1, 2], [3]])).toThrow(
      'matrixFromRows: rows must all have length 2, got length 1 at row 1',
    );
    expect(() => identityMatrix(1.5)).toThrow('identityMatrix: n must be an integer ≥ 0, got 1.5');
    expect(() => at(m, 2, 0)).toThrow(ValidationError);
    expect(() => at(m, 2, 0)).toThrow('at: i must be an integer in [0, 1] (rows = 2), got 2');
    expect(() => at(m, 0, -1)).toThrow('at: j must be an integer in [0, 2] (cols = 3), got -1');
    expect(() => row(m, 0.5)).toThrow('row: i must be an integer in [0, 1] (rows = 2), got 0.5');
    expect(() => toRows([[1]] as unknown as Matrix)).toThrow(
      'toRows: m must be a Matrix { rows, cols, data: Float64Array } with data.length = rows·cols, got Array(1)',
    );
    expect(() => matmul(m, { rows: 3, cols: 1, data: [1, 2, 3] } as never)).toThrow(
      /^matmul: b must be a Matrix/,
    );
    expect(() => matmul(m, m)).toThrow('matmul: a.cols (3) must equal b.rows (2)');
    expect(() => matvec(m, null as never)).toThrow(
      'matvec: x must be an array of numbers, got null',
    );
    expect(() => matvec(m, [1, 2])).toThrow(ShapeError);
  });
});
