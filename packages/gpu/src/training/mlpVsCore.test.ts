/**
 * The GPU trainer against core's float32 CPU path (`mlpValueAndGradient` with a float32 workspace):
 * same initial parameters (`initMlp`'s flat layout, accepted as it is), same data, same SGD steps.
 */
import { createMlpWorkspace, initMlp, key, mlpSpec, mlpValueAndGradient } from '@annlab/core';
import { seeded } from '@annlab/test-utils';
import { expect, it } from 'vitest';
import { describeGpu } from '../test-helpers/gpu.js';
import { createGpuMlpTrainer } from './mlp.js';

describeGpu("createGpuMlpTrainer against core's float32 CPU path", (gpu) => {
  // The last case has a non-identity output: the trainer then back-propagates through f′ of the
  // output layer in a separate pass instead of letting the loss write dZ directly.
  for (const [hidden, lossName, output] of [
    ['tanh', 'mse', 'identity'],
    ['sigmoid', 'sse', 'identity'],
    ['tanh', 'mse', 'sigmoid'],
  ] as const) {
    it(`after 20 full-batch SGD steps (1→8→8→2, ${hidden}, ${output} output, ${lossName}) the parameters match`, async () => {
      const spec = mlpSpec([1, 8, 8, 2], hidden, output);
      const params = initMlp(spec, key(4), { dtype: 'float32' }) as Float32Array;
      const n = 16;
      const rnd = seeded(17);
      const X = Float32Array.from(rnd.array(n, -1, 1));
      const Y = Float32Array.from({ length: 2 * n }, (_, i) =>
        i % 2 ? Math.cos(X[i >> 1]!) : X[i >> 1]! ** 2,
      );
      const lr = 0.05;
      const steps = 20;
      const trainer = await createGpuMlpTrainer(gpu(), spec, params, {
        optimizer: { name: 'sgd', lr },
        loss: lossName,
        data: { x: X, y: Y },
      });
      await trainer.step(steps);
      const gpuParams = await trainer.readParams();
      trainer.dispose();

      const cpu = Float32Array.from(params);
      const ws = createMlpWorkspace(spec, n, 'float32');
      const grad = new Float32Array(cpu.length);
      for (let s = 0; s < steps; s++) {
        mlpValueAndGradient(spec, cpu, X, Y, n, lossName, ws, grad);
        for (let i = 0; i < cpu.length; i++) cpu[i]! -= lr * grad[i]!;
      }
      // Both paths are float32 with different summation orders (tiled matmul, tree reductions):
      // each step's gradients agree to ~1e-6 relative, 20 steps of size ≤ 0.05·|g| drift ≲ 1e-5.
      expect(gpuParams).toBeAllclose(cpu, { rtol: 1e-4, atol: 1e-5 });
      // And they moved: the comparison is not of two copies of the initial parameters.
      expect(Math.max(...gpuParams.map((v, i) => Math.abs(v - params[i]!)))).toBeGreaterThan(1e-3);
    });
  }
});
