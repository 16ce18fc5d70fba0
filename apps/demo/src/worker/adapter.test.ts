import {
  createMlpWorkspace,
  type DeviceMlpTrainerFactory,
  initChain,
  initMlp,
  key,
  mlpValueAndGradient,
} from '@annlab/core';
import {
  adam,
  type ChainModel,
  fit as fitModel,
  loadModel,
  predict,
  saveModel,
  type Trainer,
} from '@annlab/train';
import type { SetupContext } from '@annlab/train/worker';
import { describe, expect, it } from 'vitest';
import { setupJob, stepsPerEpoch, trainerOf } from './adapter.js';
import { toDemoMessage } from './client.js';
import { checkJob, type JobSpec } from './protocol.js';

const x = Array.from({ length: 40 }, (_, i) => 0.5 + (2.5 * i) / 39);
const y = x.map((v) => -3 * v + 2);
const base: JobSpec = {
  model: { kind: 'chain', depth: 3 },
  x,
  y,
  seed: 0,
  optimizer: 'sgd',
  learningRate: 0.01,
  schedule: 'constant',
  batch: 'sgd',
  epochs: 12,
  loss: 'mse',
  normalize: false,
  backend: 'cpu',
  chunk: 5,
};
const cpuOnly: SetupContext = {
  webgpu: () => Promise.reject(new Error('no WebGPU in this test')),
};

describe('setupJob', () => {
  it('builds the trainer of one fit: per-sample SGD, shuffled epochs, in runs of any length', async () => {
    const { trainer: served, epochs } = await setupJob(base, cpuOnly);
    expect(epochs).toBe(12);
    const trainer = served as Trainer;
    for (const k of [5, 1, 6]) trainer.runEpochs(k);
    const net: ChainModel = { kind: 'chain', params: initChain(key(0), 3) };
    const ref = fitModel(net, { x, y }, { epochs: 12, batch: 'sgd', learningRate: 0.01, key: 0 });
    expect(trainer.epoch).toBe(12);
    expect(trainer.params).toBeAllclose(ref.params, { rtol: 0, atol: 0 });
    expect(trainer.result().history.loss).toBeAllclose(ref.history.loss, { rtol: 0, atol: 0 });
  });

  it('gives an MLP with Adam, mini-batches and normalisation the trajectory of fit', async () => {
    const job: JobSpec = {
      ...base,
      model: { kind: 'mlp', sizes: [1, 8, 1], hidden: 'tanh', output: 'identity' },
      optimizer: 'adam',
      batch: 7,
      epochs: 9,
      normalize: true,
    };
    const trainer = trainerOf(job);
    await trainer.run({ epochs: 9 });
    const spec = { sizes: [1, 8, 1], activations: ['tanh', 'identity'] } as const;
    const ref = fitModel(
      { kind: 'mlp', spec, params: Float64Array.from(initMlp(spec, key(0))) },
      { x, y },
      { epochs: 9, batch: 7, optimizer: adam(0.01), key: 0, normalize: true, loss: 'mse' },
    );
    expect(trainer.params).toBeAllclose(ref.params, { rtol: 0, atol: 0 });
    expect(trainer.result().history.updates.at(-1)).toBe(9 * stepsPerEpoch(7, 40));
  });

  it('reports the prediction on the grid in the targets units, as the saved model predicts', async () => {
    const job: JobSpec = { ...base, epochs: 200, chunk: 200, normalize: true, grid: [1, 2] };
    const { trainer, extra } = await setupJob(job, cpuOnly);
    // The worker asks for it while the trainer runs (when result() is not allowed).
    const seen: Float64Array[] = [];
    await (trainer as Trainer).run({ onProgress: () => seen.push(extra!().prediction!) });
    expect(seen.length).toBe(200);
    const p = extra!().prediction!;
    expect(seen.at(-1)).toBeAllclose(p, { rtol: 0, atol: 0 });
    // Roughly on the line −3x + 2 after 200 epochs of SGD …
    expect(p).toBeAllclose([-1, -4], { rtol: 0, atol: 0.6 });
    // … and exactly what the saved model predicts (normalisation included).
    const again = predict(loadModel(saveModel(trainer.result().model)), [1, 2]);
    expect(p).toBeAllclose(again, { rtol: 0, atol: 0 });
  });

  it("runs a WebGPU job on train's trainer: a pause continues the same device trainer, as the CPU within float32", async () => {
    // A fake device trainer: full-batch SGD with core's float32 passes on the CPU, counting how
    // many trainers were created (a pause must not create another).
    let created = 0;
    const factory: DeviceMlpTrainerFactory = async (spec, params, o) => {
      created++;
      const n = o.data.x.length / spec.sizes[0]!;
      const p = Float32Array.from(params);
      const g = new Float32Array(p.length);
      const ws = createMlpWorkspace(spec, n, 'float32');
      let last = Number.NaN;
      let rate = o.optimizer.learningRate;
      return {
        batchesPerEpoch: 1,
        setLearningRate: (lr) => {
          rate = lr;
        },
        async step(k = 1) {
          for (let s = 0; s < k; s++) {
            const x32 = o.data.x as Float32Array;
            const y32 = o.data.y as Float32Array;
            last = mlpValueAndGradient(spec, p, x32, y32, n, o.loss, ws, g);
            for (let i = 0; i < p.length; i++) p[i] = p[i]! - rate * g[i]!;
          }
        },
        readLoss: async () => last,
        readParams: async () => p.slice(),
        dispose() {},
      };
    };
    const gpuContext: SetupContext = {
      webgpu: async () => ({ kind: 'webgpu', createTrainer: factory }),
    };
    const job: JobSpec = {
      ...base,
      model: { kind: 'mlp', sizes: [1, 6, 1], hidden: 'tanh', output: 'identity' },
      batch: 'full',
      learningRate: 0.05,
      epochs: 30,
      normalize: true,
      backend: 'webgpu',
      chunk: 5,
    };
    const { trainer: served } = await setupJob(job, gpuContext);
    const trainer = served as Trainer;
    await trainer.run({ epochs: 10 }); // a pause …
    expect(trainer.epoch).toBe(10);
    const r = await trainer.run({}); // … and the rest
    expect(created).toBe(1);
    expect(r.epochs).toBe(30);
    expect(r.model.normalization).toEqual(trainer.result().model.normalization);
    const cpu = trainerOf({ ...job, backend: 'cpu' });
    await cpu.run({});
    // 30 full-batch SGD steps in float32 vs float64: rtol 1e-3
    expect(r.params).toBeAllclose(cpu.params, { rtol: 1e-3, atol: 1e-5 });
    expect(r.model.normalization).toEqual(cpu.result().model.normalization);
  });

  it('refuses a job over the limits, and a WebGPU job without a GPU, with the reason', async () => {
    await expect(setupJob({ ...base, epochs: 1e9 }, cpuOnly)).rejects.toThrow(
      'epochs must be an integer in [1, 20000], got 1000000000',
    );
    await expect(setupJob({ ...base, backend: 'webgpu' }, cpuOnly)).rejects.toThrow(
      'no WebGPU in this test',
    );
  });
});

describe('toDemoMessage', () => {
  it('turns typed arrays into the arrays the chapters read, and hides aborted jobs', () => {
    const m = toDemoMessage({
      type: 'progress',
      id: 1,
      epoch: 2,
      epochs: 4,
      at: Float64Array.of(1, 2),
      loss: Float64Array.of(0.5, 0.25),
      valLoss: Float64Array.of(Number.NaN, Number.NaN),
      updates: Float64Array.of(40, 80),
      time: Float64Array.of(1, 2),
      params: Float64Array.of(1, 2, 3),
      extra: { prediction: Float64Array.of(7) },
    });
    expect(m).toEqual({
      type: 'progress',
      epoch: 2,
      epochs: 4,
      at: [1, 2],
      loss: [0.5, 0.25],
      updates: [40, 80],
      time: [1, 2],
      prediction: [7],
      params: [1, 2, 3],
    });
    const done = {
      type: 'done',
      id: 1,
      epoch: 2,
      bestEpoch: 2,
      params: new Float64Array(3),
      model: '{}',
    } as const;
    expect(toDemoMessage({ ...done, stopReason: 'aborted' })).toBeUndefined();
    expect(toDemoMessage({ ...done, stopReason: 'epochs' })).toEqual({
      type: 'done',
      epoch: 2,
      model: '{}',
    });
  });
});

describe('checkJob', () => {
  it('accepts the defaults and names the setting it refuses', () => {
    expect(checkJob(base)).toBeUndefined();
    expect(checkJob({ ...base, epochs: 1e9 })).toBe(
      'epochs must be an integer in [1, 20000], got 1000000000',
    );
    expect(checkJob({ ...base, learningRate: 0 })).toBe(
      'the learning rate must be in (0, 10], got 0',
    );
    expect(
      checkJob({
        ...base,
        model: { kind: 'mlp', sizes: [1, 1000, 1], hidden: 'tanh', output: 'identity' },
      }),
    ).toBe('layer widths must be integers in [1, 128], got 1000');
  });
});
