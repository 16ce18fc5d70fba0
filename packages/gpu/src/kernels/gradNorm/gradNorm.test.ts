/** The gradient-norm kernel against the f64 norm √(Σ dW² + Σ db²), and its edge cases. */
import { seeded } from '@annlab/test-utils';
import { expect, it } from 'vitest';
import { describeGpu } from '../../test-helpers/gpu.js';
import { layerGradNorm } from './gradNorm.js';

const f32 = (x: ArrayLike<number>) => Float64Array.from(Float32Array.from(x));

describeGpu('gradNorm kernel', (gpu) => {
  it('adds √(Σ dW² + Σ db²) to the sum, as the f64 norm (sizes below, at and above the workgroup)', async () => {
    const r = seeded(9);
    for (const [nw, nb] of [
      [3, 1],
      [256, 16],
      [2000, 33],
    ] as const) {
      const w = f32(r.array(nw, -1, 1));
      const b = f32(r.array(nb, -1, 1));
      let s = 0;
      for (const v of w) s += v * v;
      for (const v of b) s += v * v;
      const ref = 0.75 + Math.sqrt(s);
      // float32 sums of ≤ 2033 squares in a tree: rtol 1e-5
      expect(await layerGradNorm(gpu(), w, b, 0.75)).toBeAllclose(ref, { rtol: 1e-5, atol: 0 });
    }
  });

  it('gives 5 for (3, 4), 0 for zeros, and refuses an empty gradient', async () => {
    expect(await layerGradNorm(gpu(), [3], [4])).toBe(5);
    expect(await layerGradNorm(gpu(), [0, 0], [0])).toBe(0);
    await expect(layerGradNorm(gpu(), [], [1])).rejects.toThrow(
      'layerGradNorm: dW must be a non-empty array of numbers',
    );
  });
});
