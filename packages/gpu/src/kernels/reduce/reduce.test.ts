import { seeded } from '@annlab/test-utils';
import { expect, it } from 'vitest';
import { describeGpu } from '../../test-helpers/gpu.js';
import { sumRows } from './reduce.js';

describeGpu('column-sum reduction', (gpu) => {
  it('sums columns of a matrix against an f64 sum', async () => {
    const rows = 1000;
    const cols = 7;
    const x = Float64Array.from(Float32Array.from(seeded(3).array(rows * cols, -1, 1)));
    const expected = new Float64Array(cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) expected[c]! += x[r * cols + c]!;
    const out = await sumRows(gpu(), x, rows, cols);
    // Pairwise float32 sum of 1000 terms of size ≤ 1: error ≲ 1e-5 absolute.
    expect(out).toBeAllclose(expected, { rtol: 0, atol: 1e-5 });
  });

  it('sums a whole array (cols = 1), with a scale, and handles fewer rows than threads', async () => {
    const n = 100_000;
    const x = new Float64Array(n).fill(0.5);
    expect(await sumRows(gpu(), x, n, 1)).toBeAllclose([50_000], { rtol: 0, atol: 0 });
    expect(await sumRows(gpu(), [1, 2, 3], 3, 1, 0.5)).toBeAllclose([3], { rtol: 0, atol: 0 });
    expect(await sumRows(gpu(), [1, 2, 3], 1, 3)).toBeAllclose([1, 2, 3], { rtol: 0, atol: 0 });
  });

  it('validates its arguments', async () => {
    await expect(sumRows(gpu(), [1, 2], 2, 2)).rejects.toThrow(
      'sumRows: x must have rows·cols = 4 elements, got 2',
    );
    await expect(sumRows(gpu(), [1], 1, 1, Number.NaN)).rejects.toThrow(
      'sumRows: scale must be a finite number, got NaN',
    );
  });
});
