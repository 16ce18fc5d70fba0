/**
 * Classification and regularisation through the trainer: softmax cross-entropy with integer labels
 * or one-hot rows, the L1/L2 penalty's gradient checked by central differences on the objective
 * (data loss + penalty) through one full-batch SGD step, the WebGPU request (one-hot rows, the
 * penalty passed on), class labels in checkpoints, and the errors for targets that cannot be classes.
 */
import {
  initChain,
  initMlp,
  key,
  mlpLayout,
  mlpPredict,
  mlpSpec,
  normal,
  softmaxCrossEntropy,
} from '@annlab/core';
import { numericGradient } from '@annlab/test-utils';
import { describe, expect, it } from 'vitest';
import { loadModel, saveModel } from './checkpoint.js';
import { accuracy, predictClass, predictProba } from './classify.js';
import type { ChainModel, MlpModel } from './model.js';
import { adam, sgd } from './optimizers/index.js';
import { fit as fitModel } from './trainer/index.js';
import type { GpuTrainerRequest, WebGpuBackend } from './webgpu.js';

/** Three Gaussian blobs in 2-D (centres on a circle of radius 2, σ = 0.4), 60 points each. */
function blobs() {
  const per = 60;
  const noise = normal(key(3), 3 * per * 2);
  const x: number[][] = [];
  const y: number[] = [];
  for (let c = 0; c < 3; c++) {
    const a = (2 * Math.PI * c) / 3;
    for (let i = 0; i < per; i++) {
      const j = (c * per + i) * 2;
      x.push([2 * Math.cos(a) + 0.4 * noise[j]!, 2 * Math.sin(a) + 0.4 * noise[j + 1]!]);
      y.push(c);
    }
  }
  return { x, y };
}

const spec = mlpSpec([2, 8, 3], 'tanh');
const net = (): MlpModel => ({
  kind: 'mlp',
  spec,
  params: Float64Array.from(initMlp(spec, key(1))),
});

describe('fit with softmaxCrossEntropy', () => {
  it('learns three blobs from integer labels (training accuracy ≥ 0.95), same run as one-hot rows', () => {
    const { x, y } = blobs();
    const opts = {
      epochs: 60,
      optimizer: adam(0.05),
      loss: 'softmaxCrossEntropy',
      batch: 30,
    } as const;
    const r = fitModel(net(), { x, y }, opts);
    expect(accuracy(predictClass(r.model, x), y)).toBeGreaterThanOrEqual(0.95);
    expect(r.history.loss.at(-1)!).toBeLessThan(r.history.loss[0]! / 3);
    const p = predictProba(r.model, x);
    for (let i = 0; i < y.length; i++) {
      expect(p[3 * i]! + p[3 * i + 1]! + p[3 * i + 2]!).toBeAllclose(1, { rtol: 0, atol: 1e-15 });
    }
    // one-hot rows: the same arithmetic (softmax·1 − 1 at the label), so the same parameters
    const oneHot = y.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)));
    const r2 = fitModel(net(), { x, y: oneHot }, opts);
    expect(r2.model.params).toBeAllclose(r.model.params, { rtol: 0, atol: 0 });
    expect(r.model.training?.loss).toBe('softmaxCrossEntropy');
  });

  it('the reported loss is the mean cross-entropy of the model it returns (full batch, last epoch)', () => {
    const { x, y } = blobs();
    const m0 = net();
    const r = fitModel(
      m0,
      { x, y },
      { epochs: 1, optimizer: sgd(0.1), loss: 'softmaxCrossEntropy' },
    );
    // history.loss of epoch 0 is the loss before its one update: at the initial parameters
    const X = Float64Array.from(x.flat());
    const ref = softmaxCrossEntropy(mlpPredict(spec, m0.params, X), y, 3);
    expect(r.history.loss[0]!).toBeAllclose(ref, { rtol: 1e-14, atol: 0 });
  });

  it('refuses labels outside [0, K), targets outside [0, 1], one output, and target scaling', () => {
    const x = [
      [0, 0],
      [1, 1],
    ];
    expect(() =>
      fitModel(net(), { x, y: [0, 3] }, { epochs: 1, loss: 'softmaxCrossEntropy' }),
    ).toThrow(
      'fit: data.y[1] must be an integer class label in [0, 3) (the model has 3 outputs), got 3',
    );
    expect(() =>
      fitModel(
        net(),
        {
          x,
          y: [
            [0.5, 0.5, 0.5],
            [1, 0, 0],
          ],
        },
        { epochs: 1, loss: 'softmaxCrossEntropy' },
      ),
    ).toThrow('fit: data.y row 0 must be a probability row summing to 1');
    const one = mlpSpec([2, 4, 1], 'tanh');
    const m1: MlpModel = {
      kind: 'mlp',
      spec: one,
      params: Float64Array.from(initMlp(one, key(0))),
    };
    expect(() => fitModel(m1, { x, y: [0, 2] }, { epochs: 1, loss: 'bceWithLogits' })).toThrow(
      'fit: data.y[1] must be a probability in [0, 1] for the bceWithLogits loss, got 2',
    );
    expect(() =>
      fitModel(m1, { x, y: [0, 1] }, { epochs: 1, loss: 'softmaxCrossEntropy' }),
    ).toThrow('softmaxCrossEntropy needs ≥ 2 outputs, one per class; use bceWithLogits');
    expect(() =>
      fitModel(
        net(),
        { x, y: [0, 1] },
        { epochs: 1, loss: 'softmaxCrossEntropy', normalize: { y: 'standard' } },
      ),
    ).toThrow('no target scaling for the softmaxCrossEntropy loss');
  });
});

describe('l1 and l2 on the weights', () => {
  const x = [
    [0.3, -0.2],
    [-1, 0.5],
    [0.8, 0.9],
    [0.1, -0.7],
  ];
  const y = [
    [0.5, -0.1, 0.2],
    [0, 0.3, -0.4],
    [1, 0.2, 0.1],
    [-0.3, 0.4, 0],
  ];
  const X = Float64Array.from(x.flat());
  const Y = Float64Array.from(y.flat());
  const layers = mlpLayout(spec).layers;
  /** The objective: mse + l1·Σ|w| + l2·Σw² over the weights only. */
  const objective = (p: Float64Array, l1: number, l2: number) => {
    const out = mlpPredict(spec, p, X);
    let mse = 0;
    for (let k = 0; k < Y.length; k++) mse += (out[k]! - Y[k]!) ** 2;
    let pen = 0;
    for (const l of layers) {
      for (let k = l.wOffset; k < l.wOffset + l.inSize * l.outSize; k++) {
        pen += l1 * Math.abs(p[k]!) + l2 * p[k]! ** 2;
      }
    }
    return mse / Y.length + pen;
  };

  it('one full-batch SGD step moves along −∇(loss + penalty), checked by central differences', () => {
    for (const [l1, l2] of [
      [0, 0.1],
      [0.05, 0],
      [0.02, 0.3],
    ] as const) {
      const m0 = net();
      const lr = 1;
      const r = fitModel(m0, { x, y }, { epochs: 1, optimizer: sgd(lr), loss: 'mse', l1, l2 });
      const step = Float64Array.from(m0.params, (p, i) => (p - r.model.params[i]!) / lr);
      // |w| is smooth away from 0; initMlp's weights are not 0
      const num = numericGradient((p) => objective(p, l1, l2), m0.params);
      expect(step).toBeAllclose(num, { rtol: 1e-6, atol: 1e-9 });
    }
  });

  it('leaves the biases alone: with l2 alone the bias step equals the unregularised one', () => {
    const a = fitModel(net(), { x, y }, { epochs: 1, optimizer: sgd(1), loss: 'mse', l2: 0.5 });
    const b = fitModel(net(), { x, y }, { epochs: 1, optimizer: sgd(1), loss: 'mse' });
    for (const l of layers) {
      const bias = (p: Float64Array) => p.subarray(l.bOffset, l.bOffset + l.outSize);
      expect(bias(a.model.params)).toBeAllclose(bias(b.model.params), { rtol: 0, atol: 0 });
      const w = (p: Float64Array) => p.subarray(l.wOffset, l.wOffset + l.inSize * l.outSize);
      expect(
        Math.max(...w(a.model.params).map((v, i) => Math.abs(v - w(b.model.params)[i]!))),
      ).toBeGreaterThan(1e-3);
    }
  });

  it('validates the rates and refuses them on a chain', () => {
    expect(() => fitModel(net(), { x, y }, { epochs: 1, l1: -0.1 })).toThrow(
      'fit: options.l1 must be a finite number ≥ 0, got -0.1',
    );
    expect(() => fitModel(net(), { x, y }, { epochs: 1, l2: Number.NaN })).toThrow(
      'fit: options.l2 must be a finite number ≥ 0, got NaN',
    );
    const chain: ChainModel = { kind: 'chain', params: initChain(key(0), 2) };
    expect(() => fitModel(chain, { x: [1, 2], y: [3, 4] }, { epochs: 1, l2: 0.1 })).toThrow(
      'fit: options.l2 must be 0 or absent for a chain model (regularisation is for MLPs), got 0.1',
    );
  });
});

describe('WebGPU request', () => {
  it('sends one-hot rows for integer labels and passes the penalty on', async () => {
    const requests: GpuTrainerRequest[] = [];
    const backend: WebGpuBackend = {
      kind: 'webgpu',
      createTrainer: async (_spec, params, req) => {
        requests.push(req);
        return {
          batchesPerEpoch: 1,
          step: async () => {},
          readLoss: async () => 0.5,
          readParams: async () => Float32Array.from(params),
          dispose: () => {},
        };
      },
    };
    await fitModel(
      net(),
      {
        x: [
          [0, 0],
          [1, 1],
        ],
        y: [2, 0],
      },
      { epochs: 1, backend, loss: 'softmaxCrossEntropy', optimizer: sgd(0.1), l1: 0.01, l2: 0.02 },
    );
    expect(requests[0]!.loss).toBe('softmaxCrossEntropy');
    expect(Array.from(requests[0]!.data.y)).toEqual([0, 0, 1, 1, 0, 0]);
    expect(requests[0]!.regularization).toEqual({ l1: 0.01, l2: 0.02 });
  });
});

describe('class labels in checkpoints', () => {
  it('round-trip with the model, and bad ones are refused by path', () => {
    const m = { ...net(), classes: ['cat', 'dog', 'emu'] };
    const back = loadModel(saveModel(m)) as MlpModel;
    expect(back.classes).toEqual(['cat', 'dog', 'emu']);
    expect((loadModel(saveModel(net())) as MlpModel).classes).toBeUndefined();
    const doc = JSON.parse(saveModel(m));
    doc.classes = ['cat', 'cat', 'emu'];
    expect(() => loadModel(JSON.stringify(doc))).toThrow(
      'loadModel: $.classes must be an array of 3 distinct strings (one label per class), got Array(3)',
    );
  });
});
