import { seeded } from '@annlab/test-utils';
import { expect, it } from 'vitest';
import { describeGpu } from '../../test-helpers/gpu.js';
import { lossAndGradient } from './loss.js';
import type { GpuLossName } from './loss.wgsl.js';

const f32 = (x: Float64Array) => Float64Array.from(Float32Array.from(x));

/** f64 references: the loss and its gradient, written out per definition. */
function reference(loss: GpuLossName, p: Float64Array, t: Float64Array) {
  const n = p.length;
  let total = 0;
  const grad = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = p[i]! - t[i]!;
    if (loss === 'halfSquaredError') {
      total += 0.5 * d * d;
      grad[i] = d;
    } else if (loss === 'sse') {
      total += d * d;
      grad[i] = 2 * d;
    } else if (loss === 'mse') {
      total += (d * d) / n;
      grad[i] = (2 * d) / n;
    } else {
      const z = p[i]!;
      total += (Math.max(z, 0) - z * t[i]! + Math.log1p(Math.exp(-Math.abs(z)))) / n;
      grad[i] = (1 / (1 + Math.exp(-z)) - t[i]!) / n;
    }
  }
  return { total, grad };
}

describeGpu('loss kernel', (gpu) => {
  for (const loss of ['halfSquaredError', 'mse', 'sse', 'bceWithLogits'] as const) {
    it(`${loss}: value and gradient match the f64 definition`, async () => {
      const rnd = seeded(loss.length);
      const n = 1000;
      const p = f32(rnd.array(n, -3, 3));
      const t = loss === 'bceWithLogits' ? f32(rnd.array(n, 0, 1)) : f32(rnd.array(n, -3, 3));
      const ref = reference(loss, p, t);
      const r = await lossAndGradient(gpu(), loss, p, t);
      // Tree-summed float32 over 1000 terms: relative error ≲ 1e-6.
      expect(r.loss).toBeAllclose(ref.total, { rtol: 2e-6, atol: 0 });
      expect(r.grad).toBeAllclose(ref.grad, { rtol: 1e-6, atol: 1e-9 });
    });
  }

  it('gives the closed form on a tiny case and honours an explicit scale', async () => {
    const r = await lossAndGradient(gpu(), 'mse', [1, 2], [0, 0]);
    expect(r.loss).toBeAllclose(2.5, { rtol: 0, atol: 0 });
    expect(r.grad).toBeAllclose([1, 2], { rtol: 0, atol: 0 });
    const h = await lossAndGradient(gpu(), 'halfSquaredError', [3], [1], { scale: 0.5 });
    expect(h.loss).toBeAllclose(1, { rtol: 0, atol: 0 });
    expect(h.grad).toBeAllclose([1], { rtol: 0, atol: 0 });
  });

  it('bceWithLogits is finite at logits of ±400', async () => {
    const r = await lossAndGradient(gpu(), 'bceWithLogits', [400, -400], [0, 1]);
    expect(r.loss).toBeAllclose(400, { rtol: 1e-7, atol: 0 });
    expect(r.grad).toBeAllclose([0.5, -0.5], { rtol: 1e-7, atol: 0 });
  });

  it('validates the loss name and lengths', async () => {
    await expect(lossAndGradient(gpu(), 'mae' as never, [1], [1])).rejects.toThrow(
      'lossAndGradient: loss must be one of halfSquaredError, mse, sse, bceWithLogits, got "mae"',
    );
    await expect(lossAndGradient(gpu(), 'mse', [1, 2], [1])).rejects.toThrow(
      'lossAndGradient: target must have prediction.length = 2 elements, got 1',
    );
  });
});
