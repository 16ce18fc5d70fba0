/**
 * The GPU trainer against core's float32 CPU path (`mlpValueAndGradient` with a float32 workspace):
 * same initial parameters (`initMlp`'s flat layout, accepted as it is), same data, same SGD steps.
 */
import {
  createMlpWorkspace,
  initMlp,
  key,
  mlpLayout,
  mlpSpec,
  mlpValueAndGradient,
} from '@annlab/core';
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
        optimizer: { name: 'sgd', learningRate: lr },
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

  it('softmaxCrossEntropy: 20 full-batch SGD steps on 3 classes (2→8→3, relu) match the CPU path with integer labels', async () => {
    const spec = mlpSpec([2, 8, 3], 'relu');
    const params = initMlp(spec, key(9), { dtype: 'float32' }) as Float32Array;
    const n = 24;
    const rnd = seeded(29);
    const X = Float32Array.from(rnd.array(2 * n, -1, 1));
    // class by the sector of the angle: 3 classes
    const labels = Float32Array.from({ length: n }, (_, i) => {
      const a = Math.atan2(X[2 * i + 1]!, X[2 * i]!) + Math.PI;
      return Math.min(2, Math.floor((3 * a) / (2 * Math.PI)));
    });
    const oneHot = new Float32Array(3 * n);
    labels.forEach((c, i) => {
      oneHot[3 * i + c] = 1;
    });
    const lr = 0.5;
    const steps = 20;
    const trainer = await createGpuMlpTrainer(gpu(), spec, params, {
      optimizer: { name: 'sgd', learningRate: lr },
      loss: 'softmaxCrossEntropy',
      data: { x: X, y: oneHot },
    });
    await trainer.step(steps);
    const gpuParams = await trainer.readParams();
    const gpuLoss = await trainer.readLoss();
    trainer.dispose();

    const cpu = Float32Array.from(params);
    const ws = createMlpWorkspace(spec, n, 'float32');
    const grad = new Float32Array(cpu.length);
    let cpuLoss = Number.NaN;
    for (let s = 0; s < steps; s++) {
      cpuLoss = mlpValueAndGradient(spec, cpu, X, labels, n, 'softmaxCrossEntropy', ws, grad);
      for (let i = 0; i < cpu.length; i++) cpu[i]! -= lr * grad[i]!;
    }
    // float32 on both sides, different summation orders: as above
    expect(gpuParams).toBeAllclose(cpu, { rtol: 1e-4, atol: 1e-5 });
    // readLoss is the loss of the last step's batch before its update, as cpuLoss
    expect(gpuLoss).toBeAllclose(cpuLoss, { rtol: 1e-5, atol: 0 });
    expect(Math.max(...gpuParams.map((v, i) => Math.abs(v - params[i]!)))).toBeGreaterThan(1e-3);
  });

  it('rejects targets outside [0, 1] for bceWithLogits and softmaxCrossEntropy, and one output for softmax', async () => {
    const spec = mlpSpec([1, 4, 2], 'tanh');
    const params = initMlp(spec, key(1), { dtype: 'float32' });
    const data = { x: [0, 1], y: [0, 1, 2, 0] };
    await expect(
      createGpuMlpTrainer(gpu(), spec, params, {
        optimizer: { name: 'sgd', learningRate: 0.1 },
        loss: 'bceWithLogits',
        data,
      }),
    ).rejects.toThrow(
      'createGpuMlpTrainer: options.data.y[2] must be a probability in [0, 1] for bceWithLogits, got 2',
    );
    const one = mlpSpec([1, 4, 1], 'tanh');
    await expect(
      createGpuMlpTrainer(gpu(), one, initMlp(one, key(1), { dtype: 'float32' }), {
        optimizer: { name: 'sgd', learningRate: 0.1 },
        loss: 'softmaxCrossEntropy',
        data: { x: [0, 1], y: [0, 1] },
      }),
    ).rejects.toThrow('a network with ≥ 2 outputs for softmaxCrossEntropy');
  });

  it('L1/L2 on the weights (not the biases): 20 SGD steps match the CPU path with the penalty gradient added', async () => {
    const spec = mlpSpec([2, 8, 3], 'tanh');
    const params = initMlp(spec, key(12), { dtype: 'float32' }) as Float32Array;
    const n = 16;
    const rnd = seeded(3);
    const X = Float32Array.from(rnd.array(2 * n, -1, 1));
    const Y = Float32Array.from(rnd.array(3 * n, -1, 1));
    const penalty = { l1: 0.01, l2: 0.05 };
    const lr = 0.1;
    const steps = 20;
    const trainer = await createGpuMlpTrainer(gpu(), spec, params, {
      optimizer: { name: 'sgd', learningRate: lr },
      loss: 'mse',
      data: { x: X, y: Y },
      regularization: penalty,
    });
    await trainer.step(steps);
    const gpuParams = await trainer.readParams();
    trainer.dispose();

    const cpu = Float32Array.from(params);
    const ws = createMlpWorkspace(spec, n, 'float32');
    const grad = new Float32Array(cpu.length);
    const layers = mlpLayout(spec).layers;
    for (let s = 0; s < steps; s++) {
      mlpValueAndGradient(spec, cpu, X, Y, n, 'mse', ws, grad);
      for (const l of layers) {
        for (let k = l.wOffset; k < l.wOffset + l.inSize * l.outSize; k++) {
          grad[k]! += penalty.l1 * Math.sign(cpu[k]!) + 2 * penalty.l2 * cpu[k]!;
        }
      }
      for (let i = 0; i < cpu.length; i++) cpu[i]! -= lr * grad[i]!;
    }
    expect(gpuParams).toBeAllclose(cpu, { rtol: 1e-4, atol: 1e-5 });
    // the penalty mattered: without it the weights end elsewhere
    const plain = await createGpuMlpTrainer(gpu(), spec, params, {
      optimizer: { name: 'sgd', learningRate: lr },
      loss: 'mse',
      data: { x: X, y: Y },
    });
    await plain.step(steps);
    const plainParams = await plain.readParams();
    plain.dispose();
    expect(Math.max(...plainParams.map((v, i) => Math.abs(v - gpuParams[i]!)))).toBeGreaterThan(
      1e-3,
    );
  });
});
