/**
 * `gradNorms: true` on the GPU MLP trainer: per layer, the sum over steps of ‖(∂W, ∂b)‖₂ (after the
 * weight penalty), against core's float64 gradient of the same steps.
 */
import {
  createMlpWorkspace,
  initMlp,
  key,
  mlpLayout,
  mlpSpec,
  mlpValueAndGradient,
} from '@annlab/core';
import { expect, it } from 'vitest';
import { describeGpu } from '../test-helpers/gpu.js';
import { createGpuMlpTrainer } from './mlp.js';

describeGpu('GPU MLP trainer: gradient norms', (gpu) => {
  it("sums each step's per-layer gradient norm (penalty included) and resets on read", async () => {
    const spec = mlpSpec([2, 5, 3], 'tanh');
    const n = 12;
    const x = Float64Array.from({ length: n * 2 }, (_, i) => Math.sin(i));
    const y = Float64Array.from({ length: n * 3 }, (_, i) => Math.cos(i));
    const p0 = Float64Array.from(Float32Array.from(initMlp(spec, key(1))));
    const lr = 0.05;
    const reg = { l1: 0.01, l2: 0.02 };
    const t = await createGpuMlpTrainer(gpu(), spec, p0, {
      optimizer: { name: 'sgd', learningRate: lr },
      loss: 'sse',
      data: { x, y },
      regularization: reg,
      gradNorms: true,
    });
    // the f64 reference: two SGD steps with the penalty, norms per layer summed
    const layout = mlpLayout(spec);
    const p = p0.slice();
    const g = new Float64Array(p.length);
    const ws = createMlpWorkspace(spec, n, 'float64');
    const ref = new Float64Array(2);
    for (let s = 0; s < 2; s++) {
      mlpValueAndGradient(spec, p, x, y, n, 'sse', ws, g);
      layout.layers.forEach((l, li) => {
        const wEnd = l.wOffset + l.inSize * l.outSize;
        for (let k = l.wOffset; k < wEnd; k++)
          g[k] = g[k]! + reg.l1 * Math.sign(p[k]!) + 2 * reg.l2 * p[k]!;
        let q = 0;
        for (let k = l.wOffset; k < wEnd + l.outSize; k++) q += g[k]! * g[k]!;
        ref[li] = ref[li]! + Math.sqrt(q);
      });
      for (let k = 0; k < p.length; k++) p[k] = p[k]! - lr * g[k]!;
    }
    await t.step(2);
    const sums = await t.readGradNormSums!();
    // float32 passes vs float64 over 2 steps: rtol 1e-4
    expect(sums).toBeAllclose(ref, { rtol: 1e-4, atol: 1e-6 });
    expect(Array.from(await t.readGradNormSums!())).toEqual([0, 0]); // reset by the read
    t.dispose();
    const plain = await createGpuMlpTrainer(gpu(), spec, p0, {
      optimizer: { name: 'sgd', learningRate: lr },
      loss: 'sse',
      data: { x, y },
    });
    await expect(plain.readGradNormSums!()).rejects.toThrow(
      'GpuMlpTrainer.readGradNormSums: options.gradNorms must be true when the trainer was created, got undefined',
    );
    plain.dispose();
  });
});
