/** The weight-penalty kernel against the f64 formula g + l1·sign(w) + 2·l2·w, and its edge cases. */
import { seeded } from '@annlab/test-utils';
import { expect, it } from 'vitest';
import { describeGpu } from '../../test-helpers/gpu.js';
import { weightPenaltyGradient } from './weightPenalty.js';

const f32 = (x: ArrayLike<number>) => Float64Array.from(Float32Array.from(x));

describeGpu('weightPenalty kernel', (gpu) => {
  it('adds l1·sign(w) + 2·l2·w to the gradient, as the f64 formula', async () => {
    const r = seeded(5);
    const n = 1000;
    const w = f32(r.array(n, -2, 2));
    const g = f32(r.array(n, -1, 1));
    const penalty = { l1: 0.01, l2: 0.003 };
    const ref = Float64Array.from(
      w,
      (wi, i) => g[i]! + penalty.l1 * Math.sign(wi) + 2 * penalty.l2 * wi,
    );
    const out = await weightPenaltyGradient(gpu(), w, g, penalty);
    // two float32 multiply-adds per element
    expect(out).toBeAllclose(ref, { rtol: 1e-6, atol: 1e-7 });
  });

  it('sign(0) = 0, zero rates change nothing, and bad rates are refused', async () => {
    expect(
      await weightPenaltyGradient(gpu(), [0, 1, -2], [0.5, 0, 0], { l1: 0.1, l2: 0.5 }),
    ).toBeAllclose([0.5, 1.1, -2.1], { rtol: 1e-7, atol: 0 });
    expect(await weightPenaltyGradient(gpu(), [3], [0.25], { l1: 0, l2: 0 })).toBeAllclose([0.25], {
      rtol: 0,
      atol: 0,
    });
    await expect(weightPenaltyGradient(gpu(), [1], [0], { l1: -1, l2: 0 })).rejects.toThrow(
      'weightPenaltyGradient: penalty must be { l1, l2 } with finite rates ≥ 0, got {"l1":-1,"l2":0}',
    );
  });
});
