/**
 * trainSmallMlps against core's float64 path: per network, a CPU loop of full-batch steps with
 * `mlpValueAndGradient` (float64 workspace) and the same optimizer math, from the same
 * float32-rounded initial parameters.
 */
import { readFileSync } from 'node:fs';
import * as core from '@annlab/core';
import {
  createMlpWorkspace,
  initMlp,
  type Key,
  key,
  type LossName,
  loss,
  type MlpSpec,
  mlpLayout,
  mlpPredict,
  mlpSpec,
  mlpValueAndGradient,
  split,
} from '@annlab/core';
import { seeded } from '@annlab/test-utils';
import { describe, expect, it } from 'vitest';
import * as gpuApi from '../index.js';
import type { GpuOptimizerSpec } from '../kernels/optimizer/optimizer.js';
import { describeGpu } from '../test-helpers/gpu.js';
import { trainSmallMlps } from './smallMlps.js';

/** Full-batch training of one network in float64 with core's value-and-gradient: the oracle. */
function cpuTrain(
  spec: MlpSpec,
  init: ArrayLike<number>,
  X: Float64Array,
  Y: Float64Array,
  lossName: LossName,
  opt: GpuOptimizerSpec,
  epochs: number,
): { params: Float64Array; loss: number } {
  const n = X.length / spec.sizes[0]!;
  const p = Float64Array.from(init);
  const g = new Float64Array(p.length);
  const m = new Float64Array(p.length);
  const v = new Float64Array(p.length);
  const ws = createMlpWorkspace(spec, n);
  for (let t = 1; t <= epochs; t++) {
    mlpValueAndGradient(spec, p, X, Y, n, lossName, ws, g);
    for (let i = 0; i < p.length; i++) {
      if (opt.name === 'sgd') {
        p[i]! -= opt.learningRate * g[i]!;
      } else if (opt.name === 'momentum') {
        m[i] = (opt.momentum ?? 0.9) * m[i]! + g[i]!;
        p[i]! -= opt.learningRate * m[i]!;
      } else {
        const b1 = opt.b1 ?? 0.9;
        const b2 = opt.b2 ?? 0.999;
        m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
        v[i] = b2 * v[i]! + (1 - b2) * g[i]! ** 2;
        const mh = m[i]! / (1 - b1 ** t);
        const vh = v[i]! / (1 - b2 ** t);
        p[i]! -= (opt.learningRate * mh) / (Math.sqrt(vh) + (opt.eps ?? 1e-8));
      }
    }
  }
  const out = mlpPredict(spec, p, X);
  return { params: p, loss: loss(lossName).value(out, Y, Y.length) };
}

/** The initial parameters trainSmallMlps uses for `keys`: initMlp in float32. */
function initAll(spec: MlpSpec, keys: readonly Key[]): Float32Array {
  const P = mlpLayout(spec).size;
  const all = new Float32Array(keys.length * P);
  keys.forEach((k, i) => {
    all.set(initMlp(spec, k, { dtype: 'float32' }), i * P);
  });
  return all;
}

const XOR_X = Float64Array.of(0, 0, 0, 1, 1, 0, 1, 1);
const XOR_Y = Float64Array.of(0, 1, 1, 0);

describe('trainSmallMlps validation (before any GPU work)', () => {
  const fakeGpu = {} as Parameters<typeof trainSmallMlps>[0];
  const spec = mlpSpec([2, 2, 1], 'sigmoid', 'sigmoid');
  const base = {
    spec,
    keys: split(key(0), 2),
    x: XOR_X,
    y: XOR_Y,
    loss: 'mse' as const,
    optimizer: { name: 'sgd' as const, learningRate: 0.1 },
    epochs: 3,
  };
  it.each([
    [
      'a width over 16',
      { spec: mlpSpec([2, 17, 1], 'tanh') },
      'trainSmallMlps: spec.sizes[1] must be an integer in [1, 16], got 17',
    ],
    [
      'more than 4 layers',
      { spec: mlpSpec([1, 2, 2, 2, 2, 1], 'tanh') },
      'trainSmallMlps: spec.sizes must have at most 5 entries (4 layers), got 6',
    ],
    [
      'an invalid spec (core’s check)',
      { spec: { sizes: [2, 2, 1], activations: ['tanh'] } },
      'mlpLayout: spec.activations must have sizes.length − 1 = 2 entries, got 1',
    ],
    [
      'K = 0 keys',
      { keys: [] },
      'trainSmallMlps: options.keys must be a non-empty array of keys, got Array(0)',
    ],
    [
      'K = 0 params',
      { keys: undefined, params: new Float32Array(0) },
      'trainSmallMlps: options.params must hold K ≥ 1 networks of P = 9 values, got length 0',
    ],
    [
      'params not a multiple of P',
      { keys: undefined, params: new Float32Array(10) },
      'trainSmallMlps: options.params must hold K ≥ 1 networks of P = 9 values, got length 10',
    ],
    [
      'both keys and params',
      { params: new Float32Array(9) },
      'trainSmallMlps: options must be given exactly one of keys and params, got "keys and params"',
    ],
    [
      'x not whole rows',
      { x: [0, 1, 1] },
      'trainSmallMlps: options.x must hold n rows of sizes[0] = 2 inputs with 1 ≤ n ≤ 256, got length 3',
    ],
    [
      'more than 256 samples',
      { x: new Float64Array(2 * 257), y: new Float64Array(257) },
      'trainSmallMlps: options.x must hold n rows of sizes[0] = 2 inputs with 1 ≤ n ≤ 256, got length 514',
    ],
    [
      'y of the wrong length',
      { y: [0, 1, 1] },
      'trainSmallMlps: options.y must hold n·outputs = 4·1 = 4 values, got length 3',
    ],
    [
      'an unknown loss',
      { loss: 'mae' },
      'trainSmallMlps: options.loss must be one of halfSquaredError, mse, sse, bceWithLogits, got "mae"',
    ],
    [
      'a non-positive learning rate',
      { optimizer: { name: 'adam', learningRate: 0 } },
      'trainSmallMlps: optimizer.learningRate must be a finite number > 0, got 0',
    ],
    [
      'negative epochs',
      { epochs: -1 },
      'trainSmallMlps: options.epochs must be an integer ≥ 0, got -1',
    ],
    ['mini-batches', { batch: 'sgd' }, 'trainSmallMlps: options.batch must be \'full\', got "sgd"'],
    [
      'a non-boolean unroll',
      { unroll: 1 },
      'trainSmallMlps: options.unroll must be a boolean, got 1',
    ],
    [
      'a bad key',
      { keys: [key(0), new Uint32Array(3)] },
      'trainSmallMlps: options.keys[1] must be a key (Uint32Array(2)), got Uint32Array(3)',
    ],
    [
      'non-finite params',
      { keys: undefined, params: Float32Array.of(0, 0, 0, 0, 0, 0, 0, Number.NaN, 0) },
      'trainSmallMlps: options.params[7] must be finite in float32, got NaN',
    ],
  ])('rejects %s', async (_, patch, message) => {
    await expect(
      trainSmallMlps(fakeGpu, { ...base, ...patch } as Parameters<typeof trainSmallMlps>[1]),
    ).rejects.toThrow(message);
  });
});

describeGpu('trainSmallMlps (many small MLPs at once)', (gpu) => {
  const xorSpec = mlpSpec([2, 2, 1], 'sigmoid', 'sigmoid');
  for (const [optimizer, unroll] of [
    [{ name: 'adam', learningRate: 0.05 }, undefined],
    [{ name: 'sgd', learningRate: 0.5 }, undefined],
    [{ name: 'adam', learningRate: 0.05 }, false],
  ] as const) {
    it(`trains K = 8 XOR networks 2→2→1 (sigmoid, MSE, ${optimizer.name}, 50 epochs${unroll === false ? ', loops kept' : ''}) as core's float64 loop`, async () => {
      const keys = split(key(3), 8);
      const epochs = 50;
      const r = await trainSmallMlps(gpu(), {
        spec: xorSpec,
        keys,
        x: XOR_X,
        y: XOR_Y,
        loss: 'mse',
        optimizer,
        epochs,
        epochsPerDispatch: 20, // 20, 20, 10: Adam's step count follows the absolute epoch
        returnParams: true,
        unroll,
      });
      expect(r.losses.length).toBe(8);
      expect(r.params!.length).toBe(8 * 9);
      expect(r.seconds).toBeGreaterThan(0);
      const init = initAll(xorSpec, keys);
      for (let k = 0; k < 8; k++) {
        const ref = cpuTrain(
          xorSpec,
          init.subarray(9 * k, 9 * k + 9),
          XOR_X,
          XOR_Y,
          'mse',
          optimizer,
          epochs,
        );
        // 50 float32 steps; each gradient agrees to ~1e-6 relative, each step moves ≤ 0.05
        // (Adam) or ≤ 0.5·|g| (SGD): the drift stays below 1e-5 relative.
        expect(r.params!.subarray(9 * k, 9 * k + 9)).toBeAllclose(ref.params, {
          rtol: 1e-4,
          atol: 1e-5,
        });
        expect(r.losses[k]!).toBeAllclose(ref.loss, { rtol: 1e-4, atol: 1e-6 });
        // And they trained: the parameters moved away from the initial ones.
        const moved = Math.max(...ref.params.map((v, i) => Math.abs(v - init[9 * k + i]!)));
        expect(moved).toBeGreaterThan(1e-2);
      }
    });
  }

  it.each([true, false])(
    "trains 2→4→4→1 tanh networks (SSE, momentum; explicit params; unroll %s) as core's float64 loop",
    async (unroll) => {
      const spec = mlpSpec([2, 4, 4, 1], 'tanh');
      const P = mlpLayout(spec).size;
      expect(P).toBe(37);
      const rnd = seeded(5);
      const K = 5;
      const params = Float32Array.from(rnd.normals(K * P, 0.5));
      const n = 12;
      const X = Float64Array.from(rnd.array(2 * n, -1, 1), Math.fround);
      const Y = Float64Array.from({ length: n }, (_, i) =>
        Math.fround(Math.sin(2 * X[2 * i]!) * X[2 * i + 1]!),
      );
      const optimizer = { name: 'momentum', learningRate: 0.01, momentum: 0.8 } as const;
      const r = await trainSmallMlps(gpu(), {
        spec,
        params,
        x: X,
        y: Y,
        loss: 'sse',
        optimizer,
        epochs: 40,
        returnParams: true,
        unroll,
      });
      for (let k = 0; k < K; k++) {
        const ref = cpuTrain(spec, params.subarray(P * k, P * k + P), X, Y, 'sse', optimizer, 40);
        // 40 float32 steps of size ≤ 0.01·|v|: the drift stays below 1e-5 relative.
        expect(r.params!.subarray(P * k, P * k + P)).toBeAllclose(ref.params, {
          rtol: 1e-4,
          atol: 1e-5,
        });
        expect(r.losses[k]!).toBeAllclose(ref.loss, { rtol: 1e-4, atol: 1e-6 });
      }
    },
  );

  it("trains 2→4→4→1 tanh networks from keys (MSE, Adam) as core's float64 loop", async () => {
    const spec = mlpSpec([2, 4, 4, 1], 'tanh');
    const keys = split(key(11), 4);
    const r = await trainSmallMlps(gpu(), {
      spec,
      keys,
      x: XOR_X,
      y: XOR_Y,
      loss: 'mse',
      optimizer: { name: 'adam', learningRate: 0.02 },
      epochs: 30,
      returnParams: true,
    });
    const init = initAll(spec, keys);
    for (let k = 0; k < 4; k++) {
      const ref = cpuTrain(
        spec,
        init.subarray(37 * k, 37 * k + 37),
        XOR_X,
        XOR_Y,
        'mse',
        { name: 'adam', learningRate: 0.02 },
        30,
      );
      // 30 Adam steps of size ≤ 0.02 each: the drift stays below 1e-5 relative.
      expect(r.params!.subarray(37 * k, 37 * k + 37)).toBeAllclose(ref.params, {
        rtol: 1e-4,
        atol: 1e-5,
      });
      expect(r.losses[k]!).toBeAllclose(ref.loss, { rtol: 1e-4, atol: 1e-6 });
    }
  });

  it('computes every loss (two outputs, identity and leaky ReLU layers) as core, and epochs = 0 leaves the params', async () => {
    const spec = mlpSpec([3, 5, 2], { name: 'leakyRelu', slope: 0.1 });
    const P = mlpLayout(spec).size;
    const rnd = seeded(8);
    const params = Float32Array.from(rnd.normals(3 * P, 0.7));
    const n = 7;
    const X = Float64Array.from(rnd.array(3 * n, -1, 1), Math.fround);
    for (const lossName of ['halfSquaredError', 'sse', 'mse', 'bceWithLogits'] as const) {
      const Y = Float64Array.from(rnd.array(2 * n), Math.fround);
      const r = await trainSmallMlps(gpu(), {
        spec,
        params,
        x: X,
        y: Y,
        loss: lossName,
        optimizer: { name: 'sgd', learningRate: 0.1 },
        epochs: lossName === 'sse' ? 0 : 10,
        returnParams: true,
      });
      for (let k = 0; k < 3; k++) {
        const init = params.subarray(P * k, P * k + P);
        const epochs = lossName === 'sse' ? 0 : 10;
        const ref = cpuTrain(
          spec,
          init,
          X,
          Y,
          lossName,
          { name: 'sgd', learningRate: 0.1 },
          epochs,
        );
        expect(r.params!.subarray(P * k, P * k + P)).toBeAllclose(ref.params, {
          rtol: 1e-4,
          atol: 1e-5,
        });
        expect(r.losses[k]!).toBeAllclose(ref.loss, { rtol: 1e-4, atol: 1e-6 });
      }
    }
  });

  it("runs the README's example (at 64 keys and 300 epochs)", async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const block = [...readme.matchAll(/```typescript\n([\s\S]*?)```/g)]
      .map((m) => m[1]!)
      .find((b) => b.includes('trainSmallMlps'));
    expect(block).toBeDefined();
    let code = block!.replace(
      /^import \{([^}]*)\} from '([^']+)';$/gm,
      (_, names: string, mod: string) => `const {${names}} = __modules[${JSON.stringify(mod)}];`,
    );
    for (const [from, to] of [
      ['split(key(0), 10_000)', 'split(key(0), 64)'],
      ['epochs: 600', 'epochs: 300'],
    ] as const) {
      expect(code).toContain(from);
      code = code.replace(from, to);
    }
    const logs: string[] = [];
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
      ...args: string[]
    ) => (...a: unknown[]) => Promise<void>;
    await new AsyncFunction('__modules', 'console', code)(
      { '@annlab/core': core, '@annlab/gpu': gpuApi },
      { log: (m: string) => logs.push(m) },
    );
    expect(logs.length).toBe(1);
    const [, solved, total] = /^(\d+) of (\d+) keys solve XOR/.exec(logs[0]!) ?? [];
    expect(Number(total)).toBe(64);
    // Roughly half the keys solve XOR with this net (5,328 of 10,000 at 600 epochs).
    expect(Number(solved)).toBeGreaterThan(10);
    expect(Number(solved)).toBeLessThan(64);
  });
});
