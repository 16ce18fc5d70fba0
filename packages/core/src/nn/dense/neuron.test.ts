import { seeded } from '@annlab/test-utils';
import { describe, expect, it } from 'vitest';
import { ShapeError, ValidationError } from '../../errors.js';
import { matrix, matrixFromRows } from '../../linalg/index.js';
import { neuron, neuronBatch } from './index.js';

describe('neuron', () => {
  it('is f(w·x + b), sigmoid by default', () => {
    // w·x + b = 2 − 1 + 0.5 = 1.5
    expect(neuron([1, -1], 0.5, [2, 1])).toBeAllclose(1 / (1 + Math.exp(-1.5)), {
      rtol: 1e-15,
      atol: 0,
    });
    expect(neuron([2], 1, [3], 'identity')).toBe(7);
    expect(neuron([1, 1], -5, [1, 1], 'relu')).toBe(0);
    expect(neuron([0.5], 0, [2], 'tanh')).toBeAllclose(Math.tanh(1), { rtol: 1e-15, atol: 0 });
    expect(neuron([], 0.25, [], { name: 'leakyRelu', slope: 0.2 })).toBe(0.25);
  });
  it('batch form equals the neuron row by row', () => {
    const r = seeded(3);
    const X = matrix(6, 4, r.array(24, -2, 2));
    const w = r.array(4, -1, 1);
    const y = neuronBatch(X, w, 0.3, 'gelu');
    expect(y).toHaveLength(6);
    for (let n = 0; n < 6; n++) {
      const xn = X.data.subarray(n * 4, n * 4 + 4);
      expect(y[n]).toBeAllclose(neuron(w, 0.3, xn, 'gelu'), { rtol: 0, atol: 0 });
    }
    expect(
      neuronBatch(
        matrixFromRows([
          [2, 1],
          [0, 0],
        ]),
        [1, -1],
        0.5,
        'identity',
      ),
    ).toBeAllclose([1.5, 0.5], { rtol: 0, atol: 0 });
  });
  it('validates its inputs, naming function, argument and value', () => {
    expect(() => neuron([1, 2], 0, [1])).toThrow(ShapeError);
    expect(() => neuron([1, 2], 0, [1])).toThrow('neuron: x must have w.length = 2 entries, got 1');
    expect(() => neuron([1], Number.NaN, [1])).toThrow(
      'neuron: b must be a finite number, got NaN',
    );
    expect(() => neuron([1], 0, [Number.POSITIVE_INFINITY])).toThrow(
      'neuron: x must be finite, got Infinity at index 0',
    );
    expect(() => neuron([1], 0, [1], 'swish' as 'relu')).toThrow(ValidationError);
    expect(() => neuron([1], 0, [1], 'swish' as 'relu')).toThrow(/^neuron: act is invalid/);
    expect(() => neuronBatch(matrix(2, 3), [1, 2], 0)).toThrow(
      'neuronBatch: X must have w.length = 2 columns, got 3',
    );
    expect(() => neuronBatch({ rows: 1 } as never, [1], 0)).toThrow(
      /^neuronBatch: X must be a Matrix/,
    );
  });
});
