import {
  type ActivationSpec,
  initChain,
  initMlp,
  key,
  type MlpSpec,
  mlpSpec,
  sigmoid,
} from '@annlab/core';
import { seeded } from '@annlab/test-utils';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { predictProba } from '../classify.js';
import { type ChainModel, type MlpModel, type Model, predict } from '../model.js';
import type { Normalization } from '../normalize.js';
import { adam } from '../optimizers/index.js';
import { fit as fitModel } from '../trainer/index.js';
import { ExportError } from './errors.js';
import { ONNX_OPSET, toOnnx } from './onnx.js';
import { encodeVarint, Message } from './protobuf.js';

const ROWS = 1000;

/** Runs an exported model in ONNX Runtime (CPU) on row-major float inputs. */
async function runOnnx(bytes: Uint8Array, x: Float64Array, inputs: number) {
  const session = await ort.InferenceSession.create(bytes);
  const feed = new ort.Tensor('float32', Float32Array.from(x), [x.length / inputs, inputs]);
  const out = await session.run({ x: feed });
  return Object.fromEntries(
    Object.entries(out).map(([k, t]) => [k, Float64Array.from(t.data as Float32Array)]),
  );
}

/**
 * float32 inference against annlab's float64 `predict`: |onnx − predict| ≤ 1e-5·|predict| plus an
 * absolute floor of 1e-5 × the largest |predict| (float32 rounding of a sum of many terms near 0 has
 * no relative bound). Returns the worst relative error for the message.
 */
function expectClose(actual: Float64Array, expected: Float64Array) {
  let scale = 0;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  const atol = 1e-5 * scale;
  expect(actual.length).toBe(expected.length);
  expect(actual).toBeAllclose(expected, { rtol: 1e-5, atol });
}

/** 1,000 inputs spread over a few standard deviations of the training data. */
function inputsFor(cols: number, seed: number, center = 0, spread = 2): Float64Array {
  const r = seeded(seed);
  return Float64Array.from({ length: ROWS * cols }, () => center + spread * (2 * r.uniform() - 1));
}

const norm = (inputs: number, outputs: number): Normalization => ({
  x: {
    mean: Float64Array.from({ length: inputs }, (_, i) => 3 + i),
    std: Float64Array.from({ length: inputs }, (_, i) => 0.5 + 0.25 * i),
  },
  y: {
    // a small shift, so the comparison is not dominated by the mean added at the end
    mean: Float64Array.from({ length: outputs }, (_, i) => 0.25 - 0.5 * i),
    std: Float64Array.from({ length: outputs }, (_, i) => 3 + i),
  },
});

/** An MLP with PyTorch's init scaled by 3, so pre-activations reach the nonlinear ranges. */
function mlp(spec: MlpSpec, seed: number, normalization?: Normalization): MlpModel {
  return {
    kind: 'mlp',
    spec,
    params: Float64Array.from(initMlp(spec, key(seed)), (v) => 3 * v),
    ...(normalization ? { normalization } : {}),
  };
}

const ACTIVATIONS: ActivationSpec[] = [
  'sigmoid',
  'tanh',
  'relu',
  { name: 'leakyRelu', slope: 0.2 },
  'gelu',
  { name: 'gelu', approximate: 'tanh' },
  'identity',
  'softplus',
  { name: 'elu', alpha: 0.7 },
];

describe('toOnnx in onnxruntime-node', () => {
  for (const act of ACTIVATIONS) {
    const label = typeof act === 'string' ? act : JSON.stringify(act);
    it(`an MLP with ${label} hidden and output layers matches predict on 1,000 raw inputs`, async () => {
      const spec: MlpSpec = { sizes: [3, 16, 16, 2], activations: [act, act, act] };
      const model = mlp(spec, 7, norm(3, 2));
      const x = inputsFor(3, 11, 3.5, 2);
      const out = await runOnnx(toOnnx(model), x, 3);
      expect(Object.keys(out)).toEqual(['y']);
      expectClose(out.y!, predict(model, x));
    });
  }

  it('a chain (default activations) with normalisation matches predict', async () => {
    const model: ChainModel = {
      kind: 'chain',
      params: initChain(key(3), 4),
      normalization: norm(1, 1),
    };
    const x = inputsFor(1, 5, 3, 3);
    const out = await runOnnx(toOnnx(model), x, 1);
    expectClose(out.y!, predict(model, x));
  });

  it('a chain with mixed activations, no normalisation, matches predict', async () => {
    const model: ChainModel = {
      kind: 'chain',
      params: initChain(key(4), 3),
      activations: ['gelu', { name: 'elu', alpha: 2 }, 'softplus'],
    };
    const x = inputsFor(1, 6);
    const out = await runOnnx(toOnnx(model), x, 1);
    expectClose(out.y!, predict(model, x));
  });

  it('a model trained by fit (normalize: true) matches predict in the targets’ units', async () => {
    const xs = Float64Array.from({ length: 64 }, (_, i) => 10 + i / 8);
    const ys = Float64Array.from(xs, (v) => 100 + 30 * Math.sin(v));
    const spec = mlpSpec([1, 12, 1], 'gelu');
    const { model } = fitModel(
      mlp(spec, 9),
      { x: xs, y: ys },
      { epochs: 30, optimizer: adam(0.01), normalize: true },
    );
    expect(model.normalization?.x).toBeDefined();
    const x = inputsFor(1, 8, 14, 4);
    const out = await runOnnx(toOnnx(model), x, 1);
    expectClose(out.y!, predict(model, x));
  });

  it('a bceWithLogits classifier outputs logits (= predict) and probabilities (= sigmoid)', async () => {
    const xs = Float64Array.from({ length: 40 }, (_, i) => i / 10 - 2);
    const ys = Float64Array.from(xs, (v) => (v > 0 ? 1 : 0));
    const { model } = fitModel(
      mlp(mlpSpec([1, 8, 1], 'tanh'), 12),
      { x: xs, y: ys },
      { epochs: 20, optimizer: adam(0.05), loss: 'bceWithLogits' },
    );
    const x = inputsFor(1, 9);
    const out = await runOnnx(toOnnx(model), x, 1);
    expect(Object.keys(out).sort()).toEqual(['logits', 'probabilities']);
    const logits = predict(model, x);
    expectClose(out.logits!, logits);
    // sigmoid of the float64 logits, independent of the graph's own Sigmoid
    expect(out.probabilities!).toBeAllclose(logits.map(sigmoid), { rtol: 1e-5, atol: 1e-7 });
  });

  it('a softmaxCrossEntropy classifier outputs logits (= predict) and probabilities (= predictProba)', async () => {
    const xs = Float64Array.from({ length: 60 }, (_, i) => i / 20 - 1.5);
    const ys = Array.from(xs, (v) => (v < -0.5 ? [1, 0, 0] : v < 0.5 ? [0, 1, 0] : [0, 0, 1]));
    const { model } = fitModel(
      mlp(mlpSpec([1, 8, 3], 'tanh'), 13),
      { x: xs, y: ys },
      { epochs: 20, optimizer: adam(0.05), loss: 'softmaxCrossEntropy' },
    );
    const x = inputsFor(1, 10);
    const out = await runOnnx(toOnnx(model), x, 1);
    expect(Object.keys(out).sort()).toEqual(['logits', 'probabilities']);
    expectClose(out.logits!, predict(model, x));
    expect(out.probabilities!).toBeAllclose(predictProba(model, x), { rtol: 1e-5, atol: 1e-7 });
  });

  it('keeps extreme inputs finite: GELU and softplus at ±30 standard deviations', async () => {
    const spec: MlpSpec = { sizes: [1, 4, 1], activations: ['gelu', 'softplus'] };
    const model = mlp(spec, 2);
    const x = Float64Array.of(-30, -10, 0, 10, 30);
    const out = await runOnnx(toOnnx(model), x, 1);
    for (const v of out.y!) expect(Number.isFinite(v)).toBe(true);
    expectClose(out.y!, predict(model, x));
  });
});

describe('toOnnx bad input', () => {
  it('names the layer whose activation ONNX cannot express', () => {
    const model = {
      kind: 'mlp',
      spec: mlpSpec([1, 2, 1], 'tanh'),
      params: new Float64Array(7),
    } as MlpModel;
    const bad = {
      ...model,
      spec: { sizes: [1, 2, 1], activations: ['tanh', 'swish' as unknown as ActivationSpec] },
    } as Model;
    // mlpLayout rejects unknown names before the exporter sees them: a ValidationError naming spec
    expect(() => toOnnx(bad)).toThrow(/toOnnx: model\.spec is invalid/);
  });

  it('throws ExportError naming the layer for an activation without an ONNX operator', async () => {
    const { denseView } = await import('./layers.js');
    expect(denseView).toBeTypeOf('function');
    // A chain activation object with an unknown name gets past checkModel (objects are trusted).
    const weird = {
      kind: 'chain',
      params: initChain(key(1), 2),
      activations: [
        'tanh',
        { name: 'swish', spec: { name: 'swish' }, f: (z: number) => z, df: () => 1 },
      ],
    } as unknown as ChainModel;
    let err: unknown;
    try {
      toOnnx(weird);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExportError);
    expect((err as ExportError).piece).toBe('layers[1].activation');
    expect((err as Error).message).toMatch(/toOnnx: layers\[1\]\.activation .*swish.* no ONNX/);
  });

  it('rejects a model that is not a model, naming the argument', () => {
    expect(() => toOnnx({ kind: 'cnn' } as unknown as Model)).toThrow(/toOnnx: model must be/);
  });
});

describe('protobuf writer', () => {
  it('encodes varints as in the protobuf spec (1 → 01, 150 → 96 01, 300 → ac 02, −1 → 10 bytes)', () => {
    expect(Array.from(encodeVarint(1))).toEqual([0x01]);
    expect(Array.from(encodeVarint(150))).toEqual([0x96, 0x01]);
    expect(Array.from(encodeVarint(300))).toEqual([0xac, 0x02]);
    expect(Array.from(encodeVarint(-1))).toEqual([...Array(9).fill(0xff), 0x01]);
  });

  it('writes the spec’s example message { a: 150 } as 08 96 01 and strings length-prefixed', () => {
    expect(Array.from(new Message().varint(1, 150).finish())).toEqual([0x08, 0x96, 0x01]);
    // field 2 "testing" → 12 07 74 65 73 74 69 6e 67
    expect(Array.from(new Message().string(2, 'testing').finish())).toEqual([
      0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67,
    ]);
    // float field 3 = 1.0 → tag 1d, then 00 00 80 3f
    expect(Array.from(new Message().float(3, 1).finish())).toEqual([0x1d, 0, 0, 0x80, 0x3f]);
  });

  it('declares opset 17 (the version the operators are checked against)', () => {
    expect(ONNX_OPSET).toBe(17);
  });
});
