/**
 * The small-MLPs kernel: generated WGSL (constants, unrolling, validation) and, on the GPU, every
 * activation of core as a hidden and as an output layer against core's float64 forward and
 * gradient (through `trainSmallMlps`, which only packs buffers around the kernel).
 */
import {
  type ActivationSpec,
  createMlpWorkspace,
  loss,
  mlpLayout,
  mlpPredict,
  mlpSpec,
  mlpValueAndGradient,
} from '@annlab/core';
import { seeded } from '@annlab/test-utils';
import { describe, expect, it } from 'vitest';
import { describeGpu } from '../../test-helpers/gpu.js';
import { trainSmallMlps } from '../../training/smallMlps.js';
import { makeSmallMlpsShader, smallMlpsKey } from './smallMlps.wgsl.js';

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

describe('makeSmallMlpsShader', () => {
  const spec = mlpSpec([2, 3, 1], 'tanh', 'sigmoid');
  const variant = { loss: 'mse', optimizer: 'adam', mode: 'train' } as const;

  it('sizes every array by compile-time constants and unrolls small networks', () => {
    const unrolled = makeSmallMlpsShader(spec, variant);
    expect(unrolled.code).toContain('var p: array<f32, 13>;');
    expect(unrolled.code).toContain('var g: array<f32, 13>;');
    expect(unrolled.code).toContain('var z1: array<f32, 3>;');
    expect(unrolled.code).toContain('var d2: array<f32, 1>;');
    expect(unrolled.code).toContain('fn act_0(');
    expect(unrolled.code).toContain('fn dact_1(');
    // Fully unrolled: the only loops left are over epochs and samples.
    expect(unrolled.code.match(/for \(/g)?.length).toBe(2);
    const loops = makeSmallMlpsShader(spec, { ...variant, unroll: false });
    expect(loops.code).toContain('for (var o = 0u; o < 3u; o++)');
    expect(loops.bindings).toEqual(unrolled.bindings);
    expect(unrolled.workgroupSize).toEqual([64, 1, 1]);
    // One function per distinct activation, shared helpers once.
    const same = makeSmallMlpsShader(mlpSpec([1, 4, 4, 1], 'tanh', 'tanh'), variant);
    expect(same.code).toContain('fn act_0(');
    expect(same.code).not.toContain('fn act_1(');
    expect(same.code.match(/fn sigmoid_s\(/g)?.length).toBe(1);
  });

  it('has one cache key per spec, loss, optimizer, mode and unrolling', () => {
    expect(smallMlpsKey(spec, variant)).toBe('smallMlps(2-3-1;tanh,sigmoid;mse,adam,train)');
    expect(smallMlpsKey(spec, { ...variant, mode: 'loss', unroll: false })).toBe(
      'smallMlps(2-3-1;tanh,sigmoid;mse,loss,loops)',
    );
    expect(smallMlpsKey(mlpSpec([2, 3, 1], { name: 'leakyRelu', slope: 0.2 }), variant)).not.toBe(
      smallMlpsKey(mlpSpec([2, 3, 1], 'leakyRelu'), variant),
    );
  });

  it('rejects networks over the limits and unknown variants, naming the argument', () => {
    expect(() => makeSmallMlpsShader(mlpSpec([16, 16, 17], 'tanh'), variant)).toThrow(
      'makeSmallMlpsShader: spec.sizes[2] must be an integer in [1, 16], got 17',
    );
    expect(() => makeSmallMlpsShader(mlpSpec([1, 1, 1, 1, 1, 1], 'tanh'), variant)).toThrow(
      'makeSmallMlpsShader: spec.sizes must have at most 5 entries (4 layers), got 6',
    );
    expect(() => makeSmallMlpsShader(spec, { ...variant, loss: 'mae' as 'mse' })).toThrow(
      'makeSmallMlpsShader: variant.loss must be one of halfSquaredError, mse, sse, bceWithLogits, got "mae"',
    );
    expect(() => makeSmallMlpsShader(spec, { ...variant, optimizer: 'rmsprop' as 'sgd' })).toThrow(
      "makeSmallMlpsShader: variant.optimizer must be 'sgd', 'momentum' or 'adam', got \"rmsprop\"",
    );
    expect(() => makeSmallMlpsShader(spec, { ...variant, mode: 'eval' as 'loss' })).toThrow(
      "makeSmallMlpsShader: variant.mode must be 'train' or 'loss', got \"eval\"",
    );
  });
});

describeGpu('smallMlps kernel against core (every activation)', (gpu) => {
  for (const act of ACTIVATIONS) {
    const label = typeof act === 'string' ? act : JSON.stringify(act);
    it(`${label} hidden and output: loss and 5 SGD steps match core's float64 path`, async () => {
      const spec = mlpSpec([2, 3, 2], act, act);
      const P = mlpLayout(spec).size;
      const rnd = seeded(21);
      const params = Float32Array.from(rnd.normals(2 * P, 0.8));
      const n = 9;
      const X = Float64Array.from(rnd.array(2 * n, -1.5, 1.5), Math.fround);
      const Y = Float64Array.from(rnd.array(2 * n, -0.5, 1), Math.fround);
      const lr = 0.05;
      const epochs = 5;
      const r = await trainSmallMlps(gpu(), {
        spec,
        params,
        x: X,
        y: Y,
        loss: 'halfSquaredError',
        optimizer: { name: 'sgd', learningRate: lr },
        epochs,
        returnParams: true,
      });
      const ws = createMlpWorkspace(spec, n);
      const grad = new Float64Array(P);
      for (let k = 0; k < 2; k++) {
        const p = Float64Array.from(params.subarray(P * k, P * k + P));
        for (let t = 0; t < epochs; t++) {
          mlpValueAndGradient(spec, p, X, Y, n, 'halfSquaredError', ws, grad);
          for (let i = 0; i < P; i++) p[i]! -= lr * grad[i]!;
        }
        const ref = loss('halfSquaredError').value(mlpPredict(spec, p, X), Y, 2 * n);
        // Exact GELU uses A&S 7.1.26 (|error| ≤ 1.5e-7 in Φ); everything else is float32 round-off.
        expect(r.params!.subarray(P * k, P * k + P)).toBeAllclose(p, { rtol: 1e-4, atol: 1e-5 });
        expect(r.losses[k]!).toBeAllclose(ref, { rtol: 1e-4, atol: 1e-6 });
      }
    });
  }

  it('stays finite and equal to core for pre-activations of ±300 (stable activation forms)', async () => {
    for (const act of ACTIVATIONS) {
      const spec = mlpSpec([1, 2, 1], act, act);
      // Hidden pre-activations are ±300·x; the output layer sees ±(|h₁| + |h₂|)-sized inputs.
      const params = Float32Array.of(300, -300, 0, 0, 0.5, 0.5, 0);
      const X = Float64Array.of(-1, 1);
      const Y = Float64Array.of(0, 1);
      const r = await trainSmallMlps(gpu(), {
        spec,
        params,
        x: X,
        y: Y,
        loss: 'halfSquaredError',
        optimizer: { name: 'sgd', learningRate: 1e-3 },
        epochs: 0,
      });
      const ref = loss('halfSquaredError').value(
        mlpPredict(spec, Float64Array.from(params), X),
        Y,
        2,
      );
      expect(Number.isFinite(r.losses[0]!)).toBe(true);
      expect(r.losses[0]!).toBeAllclose(ref, { rtol: 1e-5, atol: 1e-6 });
    }
  });
});
