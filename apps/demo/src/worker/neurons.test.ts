import { initMlp, key, mlpLayout, mlpSpec } from '@annlab/core';
import { fitStandardizer, type MlpModel, predict } from '@annlab/train';
import { describe, expect, it } from 'vitest';
import {
  datasetLoss,
  initialModel,
  normalizationOf,
  trainerOf,
  trainerOptions,
} from './adapter.js';
import { accuracy, classesOf, neuronOutputs } from './neurons.js';
import type { JobSpec } from './protocol.js';

const spec = mlpSpec([2, 3, 2, 1], 'tanh', 'identity');
const x = [0.5, -1, 2, 0.25, -0.75, 1.5];
const model: MlpModel = {
  kind: 'mlp',
  spec,
  params: Float64Array.from(initMlp(spec, key(1))),
  normalization: { x: fitStandardizer(Float64Array.from(x), 2) },
};

describe('neuronOutputs', () => {
  it('the first layer is tanh(W₁·z + b₁) of the standardised inputs, written out by hand', () => {
    const maps = neuronOutputs(model, x);
    expect(maps.map((l) => l.length)).toEqual([3, 2, 1]);
    const s = model.normalization!.x!;
    for (let r = 0; r < 3; r++) {
      const z = [0, 1].map((c) => (x[2 * r + c]! - s.mean[c]!) / s.std[c]!);
      for (let j = 0; j < 3; j++) {
        const p = model.params;
        // layer 1: W (3 × 2, row-major) at 0, b at 6
        const v = Math.tanh(p[2 * j]! * z[0]! + p[2 * j + 1]! * z[1]! + p[6 + j]!);
        expect(maps[0]![j]![r]!).toBeAllclose(v, { rtol: 1e-14, atol: 1e-15 });
      }
    }
  });

  it('the last layer is the network’s prediction (no target scaling here)', () => {
    const maps = neuronOutputs(model, x);
    expect(maps[2]![0]!).toBeAllclose(Array.from(predict(model, Float64Array.from(x))), {
      rtol: 1e-14,
      atol: 1e-15,
    });
  });
});

describe('classesOf and accuracy', () => {
  it('one output is a logit (class 1 above 0); several take the largest', () => {
    expect(classesOf([-1, 2, 0], 1)).toEqual([0, 1, 0]);
    expect(classesOf([0.1, 0.7, 0.2, 3, 1, 2], 3)).toEqual([1, 0]);
    expect(accuracy([-1, 2, 3], [0, 1, 0], 1)).toBeCloseTo(2 / 3, 15);
    expect(accuracy([0.1, 0.7, 0.2, 3, 1, 2], [0, 1, 0, 0, 0, 1], 3)).toBe(0.5);
  });
});

describe('the adapter’s playground options', () => {
  const xs = Array.from({ length: 40 }, (_, i) => -2 + (4 * i) / 39);
  const job: JobSpec = {
    model: { kind: 'mlp', sizes: [1, 8, 1], hidden: 'tanh', output: 'identity' },
    x: xs,
    y: xs.map((v) => Math.sin(3 * v)),
    seed: 0,
    optimizer: 'adam',
    learningRate: 0.02,
    schedule: 'constant',
    batch: 'full',
    epochs: 200,
    loss: 'mse',
    normalize: true,
    backend: 'cpu',
    chunk: 50,
  };

  it('maps the penalty to train’s l1/l2, the test rows to validation, classes to inputs-only scaling', () => {
    const m = initialModel(job);
    const o = trainerOptions({ ...job, regularization: { kind: 'l1', rate: 0.01 } }, m);
    expect(o.l1).toBe(0.01);
    expect(trainerOptions({ ...job, regularization: { kind: 'l2', rate: 0.5 } }, m).l2).toBe(0.5);
    expect(trainerOptions(job, m).l1).toBeUndefined();
    expect(o.normalize).toBe(true);
    const c = trainerOptions({ ...job, classes: 2, test: { x: [0], y: [1] } }, m);
    expect(c.normalize).toEqual({ x: 'standard', y: 'none' });
    expect(c.validation).toEqual({ x: Float64Array.of(0), y: Float64Array.of(1) });
  });

  it('normalizationOf is the normalisation the trainer fits (identity, tanh outputs; classes)', async () => {
    const cases: JobSpec[] = [
      job,
      { ...job, model: { ...job.model, output: 'tanh' } as JobSpec['model'] },
      { ...job, y: xs.map((v) => (v > 0 ? 1 : 0)), loss: 'bceWithLogits', classes: 2 },
    ];
    for (const c of cases) {
      const fitted = (await trainerOf({ ...c, epochs: 1 }).run()).model.normalization;
      const mine = normalizationOf(c, initialModel(c));
      expect(mine?.x?.mean).toEqual(fitted?.x?.mean);
      expect(mine?.x?.std).toEqual(fitted?.x?.std);
      expect(mine?.y?.mean).toEqual(fitted?.y?.mean);
      expect(mine?.y?.std).toEqual(fitted?.y?.std);
      expect(mine?.y === undefined).toBe(c.classes !== undefined);
    }
  });

  it('datasetLoss (the WebGPU test loss) equals the CPU trainer’s validation loss (rtol 1e-12)', async () => {
    const test = { x: [-1.5, 0.1, 1.3], y: [0.2, -0.4, 0.9] };
    const r = await trainerOf({ ...job, epochs: 30, test }).run();
    expect(datasetLoss(r.model, 'mse', test.x, test.y)).toBeAllclose(r.history.valLoss.at(-1)!, {
      rtol: 1e-12,
      atol: 0,
    });
  });

  it('an L2 penalty trains smaller weights than none, from the same start', async () => {
    const weights = (p: Float64Array) => {
      const mask = new Uint8Array(p.length);
      for (const l of mlpLayout(mlpSpec([1, 8, 1], 'tanh')).layers) {
        mask.fill(1, l.wOffset, l.wOffset + l.inSize * l.outSize);
      }
      return p.reduce((t, w, k) => t + (mask[k] ? w * w : 0), 0);
    };
    const plain = await trainerOf(job).run();
    const l2 = await trainerOf({ ...job, regularization: { kind: 'l2', rate: 0.05 } }).run();
    expect(weights(l2.params)).toBeLessThan(0.8 * weights(plain.params));
  });
});
