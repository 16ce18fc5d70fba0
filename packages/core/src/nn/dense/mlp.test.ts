import { numericGradient, seeded } from '@annlab/test-utils';
import { describe, expect, it } from 'vitest';
import { type ActivationSpec, activation } from '../../activations/index.js';
import { activate, sum, type Value, valueAndGradVector } from '../../autodiff/index.js';
import { ShapeError, ValidationError } from '../../errors.js';
import { key } from '../../random/index.js';
import {
  createMlpWorkspace,
  initMlp,
  LOSS_NAMES,
  type LossName,
  loss,
  type MlpSpec,
  mlpBackward,
  mlpForward,
  mlpLayout,
  mlpPredict,
  mlpSpec,
  mlpValueAndGradient,
  softmaxCrossEntropy,
} from './index.js';

const ACTS: ActivationSpec[] = [
  'sigmoid',
  'tanh',
  'relu',
  { name: 'leakyRelu', slope: 0.1 },
  'gelu',
  { name: 'gelu', approximate: 'tanh' },
  'identity',
  'softplus',
  { name: 'elu', alpha: 0.7 },
];

/** Independent reference: per-sample forward with plain loops and the registry's scalar f. */
function referenceForward(spec: MlpSpec, p: ArrayLike<number>, x: ArrayLike<number>): number[] {
  let a = Array.from(x);
  let off = 0;
  spec.sizes.slice(1).forEach((n, l) => {
    const m = a.length;
    const f = activation(spec.activations[l]!).f;
    const next: number[] = [];
    for (let o = 0; o < n; o++) {
      let z = p[off + n * m + o]!;
      for (let i = 0; i < m; i++) z += p[off + o * m + i]! * a[i]!;
      next.push(f(z));
    }
    off += n * m + n;
    a = next;
  });
  return a;
}

function data(spec: MlpSpec, batch: number, seed: number) {
  const r = seeded(seed);
  const inSize = spec.sizes[0]!;
  const outSize = spec.sizes[spec.sizes.length - 1]!;
  return {
    X: r.array(batch * inSize, -1.5, 1.5),
    Y: r.array(batch * outSize, 0, 1),
    params: initMlp(spec, key(seed), { init: 'normal', scale: 0.8 }) as Float64Array,
  };
}

function lossOf(spec: MlpSpec, p: Float64Array, X: Float64Array, Y: Float64Array, name: LossName) {
  const outSize = spec.sizes[spec.sizes.length - 1]!;
  return loss(name).value(mlpPredict(spec, p, X), Y, Y.length, outSize);
}

describe('mlpSpec and mlpLayout', () => {
  it('puts the hidden activation on every layer but the last, identity there by default', () => {
    const spec = mlpSpec([1, 64, 64, 1], 'tanh');
    expect(spec.sizes).toEqual([1, 64, 64, 1]);
    expect(spec.activations).toEqual(['tanh', 'tanh', 'identity']);
    expect(mlpSpec([2, 3], { name: 'leakyRelu' }, 'gelu').activations).toEqual([
      { name: 'gelu', approximate: 'none' },
    ]);
    expect(mlpSpec([2, 3, 1], 'elu').activations[0]).toEqual({ name: 'elu', alpha: 1 });
  });
  it('lays out W (out×in, row-major) then b, layer by layer', () => {
    const { size, layers } = mlpLayout(mlpSpec([2, 3, 1], 'tanh'));
    expect(size).toBe(13);
    expect(layers).toEqual([
      { inSize: 2, outSize: 3, wOffset: 0, bOffset: 6 },
      { inSize: 3, outSize: 1, wOffset: 9, bOffset: 12 },
    ]);
    // W3: 1→32→32→32→32→32→3 has 64 + 4·1056 + 99 = 4387 parameters.
    expect(mlpLayout(mlpSpec([1, 32, 32, 32, 32, 32, 3], 'gelu', 'gelu')).size).toBe(4387);
  });
  it('validates sizes and activations, naming the argument', () => {
    expect(() => mlpSpec([3], 'tanh')).toThrow(
      'mlpSpec: sizes must be an array of at least two layer sizes, got Array(1)',
    );
    expect(() => mlpSpec([3, 0, 1], 'tanh')).toThrow(
      'mlpSpec: sizes[1] must be an integer ≥ 1, got 0',
    );
    expect(() => mlpSpec([3, 2.5], 'tanh')).toThrow(
      'mlpSpec: sizes[1] must be an integer ≥ 1, got 2.5',
    );
    expect(() => mlpSpec([3, 2], 'swish' as 'tanh')).toThrow(/^mlpSpec: hidden is invalid/);
    expect(() => mlpSpec([3, 2], 'tanh', { name: 'elu', alpha: Number.NaN })).toThrow(
      /^mlpSpec: output is invalid \(activation: elu.alpha must be a finite number, got NaN\)/,
    );
    expect(() => mlpLayout({ sizes: [2, 3, 1], activations: ['tanh'] })).toThrow(ShapeError);
    expect(() => mlpLayout({ sizes: [2, 3, 1], activations: ['tanh'] })).toThrow(
      'mlpLayout: spec.activations must have sizes.length − 1 = 2 entries, got 1',
    );
    expect(() => mlpLayout({ sizes: [2, 3], activations: ['nope' as 'tanh'] })).toThrow(
      /^mlpLayout: spec.activations\[0\] is invalid/,
    );
  });
});

describe('mlpForward', () => {
  // Batches and widths that exercise the 4×4 blocks and every edge (4×1, 1×1).
  it.each([
    [[3, 5, 6, 2], 1],
    [[3, 5, 6, 2], 4],
    [[3, 5, 6, 2], 7],
    [[1, 8, 8, 3], 9],
    [[4, 4, 1], 12],
    [[6, 9, 4, 5], 13],
  ])('matches the per-sample reference for sizes %j, batch %i', (sizes, batch) => {
    for (const act of ACTS) {
      const spec = mlpSpec(sizes, act, 'tanh');
      const { X, params } = data(spec, batch, 17);
      const ws = createMlpWorkspace(spec, batch + 2);
      const out = mlpForward(spec, params, X, batch, ws);
      const inSize = sizes[0]!;
      const ref = [];
      for (let n = 0; n < batch; n++) {
        ref.push(...referenceForward(spec, params, X.subarray(n * inSize, (n + 1) * inSize)));
      }
      expect(out).toBeAllclose(ref, { rtol: 1e-13, atol: 1e-15 });
    }
  });
  it('keeps pre-activations and activations in the workspace', () => {
    const spec = mlpSpec([2, 3, 1], 'relu');
    const { X, params } = data(spec, 4, 2);
    const ws = createMlpWorkspace(spec, 4);
    mlpForward(spec, params, X, 4, ws);
    const z = ws.preActivations[0]!;
    const a = ws.activations[0]!;
    for (let k = 0; k < 12; k++) expect(a[k]).toBe(Math.max(z[k]!, 0));
    expect(ws.activations[1]).toBe(ws.preActivations[1]); // identity layer: no copy
  });
  it('mlpPredict equals mlpForward and infers the batch', () => {
    const spec = mlpSpec([2, 7, 3], 'softplus');
    const { X, params } = data(spec, 5, 8);
    const ws = createMlpWorkspace(spec, 5);
    const y = mlpPredict(spec, params, X);
    expect(y).toHaveLength(15);
    expect(y).toBeAllclose(mlpForward(spec, params, X, 5, ws), { rtol: 0, atol: 0 });
    expect(mlpPredict(spec, params, X, 5)).toBeAllclose(y, { rtol: 0, atol: 0 });
  });
});

describe('mlpBackward: gradients', () => {
  const spec0 = (act: ActivationSpec) => mlpSpec([3, 5, 4, 2], act, act);
  it.each(ACTS.map((a) => [activation(a).label, a] as const))(
    '%s: every loss against central differences',
    (_label, act) => {
      const spec = spec0(act);
      const batch = 6;
      const { X, Y, params } = data(spec, batch, 23);
      const ws = createMlpWorkspace(spec, batch);
      const grad = new Float64Array(params.length);
      for (const name of LOSS_NAMES) {
        const v = mlpValueAndGradient(spec, params, X, Y, batch, name, ws, grad);
        expect(v).toBeAllclose(lossOf(spec, params, X, Y, name), { rtol: 1e-14, atol: 0 });
        const num = numericGradient((p) => lossOf(spec, p, X, Y, name), params);
        // Kinked activations (relu, leakyRelu) are smooth at these random points; h = 1e-6.
        expect(grad).toBeAllclose(num, { rtol: 1e-6, atol: 1e-8 });
      }
    },
  );
  it('softmaxCrossEntropy with integer labels: equals one-hot targets, gradient vs central differences', () => {
    const spec = mlpSpec([2, 6, 3], 'tanh');
    const batch = 5;
    const { X, params } = data(spec, batch, 31);
    const labels = new Float64Array([2, 0, 1, 1, 2]);
    const oneHot = new Float64Array(batch * 3);
    labels.forEach((c, i) => {
      oneHot[i * 3 + c] = 1;
    });
    const ws = createMlpWorkspace(spec, batch);
    const g1 = new Float64Array(params.length);
    const g2 = new Float64Array(params.length);
    const v1 = mlpValueAndGradient(spec, params, X, labels, batch, 'softmaxCrossEntropy', ws, g1);
    const v2 = mlpValueAndGradient(spec, params, X, oneHot, batch, 'softmaxCrossEntropy', ws, g2);
    expect(v1).toBeAllclose(v2, { rtol: 1e-15, atol: 0 });
    expect(g1).toBeAllclose(g2, { rtol: 1e-14, atol: 1e-16 });
    const f = (p: Float64Array) => softmaxCrossEntropy(mlpPredict(spec, p, X), labels, 3);
    expect(v1).toBeAllclose(f(params), { rtol: 1e-15, atol: 0 });
    expect(g1).toBeAllclose(numericGradient(f, params), { rtol: 1e-6, atol: 1e-9 });
    expect(() =>
      mlpValueAndGradient(
        spec,
        params,
        X,
        new Float64Array([0, 1, 3, 0, 0]),
        batch,
        'softmaxCrossEntropy',
        ws,
        g1,
      ),
    ).toThrow('mlpValueAndGradient: Y[2] must be an integer class label in [0, 3), got 3');
    const one = mlpSpec([2, 4, 1], 'tanh');
    expect(() =>
      mlpValueAndGradient(
        one,
        initMlp(one, key(1)) as Float64Array,
        X,
        labels,
        batch,
        'softmaxCrossEntropy',
        createMlpWorkspace(one, batch),
        new Float64Array(17),
      ),
    ).toThrow('a network with ≥ 2 outputs (classes) for softmaxCrossEntropy');
  });
  it('mlpBackward from a given dOut equals mlpValueAndGradient, and leaves dOut unchanged', () => {
    const spec = mlpSpec([2, 6, 3], 'sigmoid', 'tanh');
    const { X, Y, params } = data(spec, 5, 4);
    const ws = createMlpWorkspace(spec, 5);
    const g1 = new Float64Array(params.length);
    mlpValueAndGradient(spec, params, X, Y, 5, 'halfSquaredError', ws, g1);
    const out = mlpForward(spec, params, X, 5, ws);
    const dOut = new Float64Array(15);
    for (let k = 0; k < 15; k++) dOut[k] = out[k]! - Y[k]!;
    const copy = dOut.slice();
    const g2 = new Float64Array(params.length).fill(Number.NaN);
    mlpBackward(spec, params, ws, dOut, 5, g2);
    expect(g2).toBeAllclose(g1, { rtol: 0, atol: 0 });
    expect(dOut).toBeAllclose(copy, { rtol: 0, atol: 0 });
  });
  it('the batched gradient of a summed loss is the sum of per-sample gradients', () => {
    const spec = mlpSpec([2, 9, 5, 3], 'gelu');
    const batch = 11;
    const { X, Y, params } = data(spec, batch, 31);
    const grad = new Float64Array(params.length);
    const ws = createMlpWorkspace(spec, batch);
    const total = mlpValueAndGradient(spec, params, X, Y, batch, 'sse', ws, grad);
    const sum = new Float64Array(params.length);
    const g = new Float64Array(params.length);
    const ws1 = createMlpWorkspace(spec, 1);
    let totalLoss = 0;
    for (let n = 0; n < batch; n++) {
      const x = X.slice(2 * n, 2 * n + 2);
      const y = Y.slice(3 * n, 3 * n + 3);
      totalLoss += mlpValueAndGradient(spec, params, x, y, 1, 'sse', ws1, g);
      for (let k = 0; k < g.length; k++) sum[k]! += g[k]!;
    }
    expect(total).toBeAllclose(totalLoss, { rtol: 1e-14, atol: 0 });
    expect(grad).toBeAllclose(sum, { rtol: 1e-12, atol: 1e-14 });
  });
  it('float32 parameters and workspace agree with float64 within float32 tolerance', () => {
    const spec = mlpSpec([3, 10, 7, 2], 'gelu', 'identity');
    const batch = 9;
    const { X, Y, params } = data(spec, batch, 41);
    const ws64 = createMlpWorkspace(spec, batch);
    const ws32 = createMlpWorkspace(spec, batch, 'float32');
    const g64 = new Float64Array(params.length);
    const g32 = new Float32Array(params.length);
    const p32 = Float32Array.from(params);
    const X32 = Float32Array.from(X);
    const Y32 = Float32Array.from(Y);
    // The f64 reference runs on the same float32-rounded inputs, so only the arithmetic differs.
    const [p, x, y] = [p32, X32, Y32].map((a) => Float64Array.from(a)) as [
      Float64Array,
      Float64Array,
      Float64Array,
    ];
    const v64 = mlpValueAndGradient(spec, p, x, y, batch, 'mse', ws64, g64);
    const v32 = mlpValueAndGradient(spec, p32, X32, Y32, batch, 'mse', ws32, g32);
    expect(ws32.activations[0]).toBeInstanceOf(Float32Array);
    expect(v32).toBeAllclose(v64, { rtol: 1e-5, atol: 0 });
    expect(g32).toBeAllclose(g64, { rtol: 1e-4, atol: 1e-5 });
    expect(mlpPredict(spec, p32, X32)).toBeInstanceOf(Float32Array);
  });
});

/** The same network and loss traced with reverse-mode `Value`s: an independent gradient. */
function autodiffLoss(spec: MlpSpec, X: Float64Array, Y: Float64Array, name: LossName) {
  const inSize = spec.sizes[0]!;
  const batch = X.length / inSize;
  return (p: Value[]): Value => {
    const terms: Value[] = [];
    for (let n = 0; n < batch; n++) {
      let a: (Value | number)[] = Array.from(X.subarray(n * inSize, (n + 1) * inSize));
      let off = 0;
      spec.sizes.slice(1).forEach((outSize, l) => {
        const m = a.length;
        const next: Value[] = [];
        for (let o = 0; o < outSize; o++) {
          const z = sum([
            p[off + outSize * m + o]!,
            ...a.map((ai, i) => p[off + o * m + i]!.mul(ai)),
          ]);
          next.push(activate(z, spec.activations[l]!));
        }
        off += (m + 1) * outSize;
        a = next;
      });
      if (name === 'softmaxCrossEntropy') {
        // Σₒ yₒ·(log Σⱼ e^(zⱼ) − zₒ), written without log-sum-exp (moderate logits here)
        const zs = a as Value[];
        const lse = sum(zs.map((z) => z.exp())).log();
        terms.push(sum(zs.map((z, o) => lse.sub(z).mul(Y[n * zs.length + o]!))));
        continue;
      }
      a.forEach((yhat, o) => {
        const y = Y[n * a.length + o]!;
        const v = yhat as Value;
        // softplus(z) − z·y = max(z, 0) − z·y + log1p(e^(−|z|))
        terms.push(
          name === 'bceWithLogits' ? activate(v, 'softplus').sub(v.mul(y)) : v.sub(y).square(),
        );
      });
    }
    const total = sum(terms);
    if (name === 'softmaxCrossEntropy') return total.div(batch);
    if (name === 'halfSquaredError') return total.mul(0.5);
    if (name === 'sse') return total;
    return total.div(terms.length);
  };
}

describe('mlpBackward vs the autodiff engine', () => {
  it.each(ACTS.map((a) => [activation(a).label, a] as const))('%s, every loss', (_label, act) => {
    const spec = mlpSpec([2, 5, 4, 3], act, act);
    const batch = 5;
    const { X, Y, params } = data(spec, batch, 71);
    const ws = createMlpWorkspace(spec, batch);
    const grad = new Float64Array(params.length);
    for (const name of LOSS_NAMES) {
      const v = mlpValueAndGradient(spec, params, X, Y, batch, name, ws, grad);
      const ad = valueAndGradVector(autodiffLoss(spec, X, Y, name))(params);
      expect(v).toBeAllclose(ad.value, { rtol: 1e-13, atol: 1e-15 });
      expect(grad).toBeAllclose(ad.grad, { rtol: 1e-11, atol: 1e-14 });
    }
  });
});

describe('workspace', () => {
  const spec = mlpSpec([2, 8, 5, 2], 'tanh');
  const { X, Y, params } = data(spec, 10, 52);
  it('reuse gives bit-identical results, also after other batches ran through it', () => {
    const ws = createMlpWorkspace(spec, 10);
    const g1 = new Float64Array(params.length);
    const g2 = new Float64Array(params.length);
    const v1 = mlpValueAndGradient(spec, params, X, Y, 10, 'mse', ws, g1);
    const X2 = X.map((v) => -2 * v);
    mlpValueAndGradient(spec, params, X2.subarray(0, 6), Y.subarray(0, 6), 3, 'sse', ws, g2);
    const v2 = mlpValueAndGradient(spec, params, X, Y, 10, 'mse', ws, g2);
    expect(v2).toBe(v1);
    expect(g2).toBeAllclose(g1, { rtol: 0, atol: 0 });
    // A workspace larger than the batch gives the same as one of exactly the batch size.
    const big = createMlpWorkspace(spec, 25);
    const g3 = new Float64Array(params.length);
    expect(mlpValueAndGradient(spec, params, X, Y, 10, 'mse', big, g3)).toBe(v1);
    expect(g3).toBeAllclose(g1, { rtol: 0, atol: 0 });
  });
  it('accepts an equal spec object that is not the same object', () => {
    const ws = createMlpWorkspace(spec, 10);
    const copy = { sizes: [2, 8, 5, 2], activations: ['tanh', 'tanh', 'identity'] } as MlpSpec;
    expect(mlpForward(copy, params, X, 10, ws)).toBeAllclose(mlpPredict(spec, params, X), {
      rtol: 0,
      atol: 0,
    });
  });
  it('the hot path allocates nothing: same output object every call, heap growth per step below one small object', () => {
    const ws = createMlpWorkspace(spec, 10);
    const grad = new Float64Array(params.length);
    const out = mlpForward(spec, params, X, 10, ws);
    expect(mlpForward(spec, params, X, 10, ws)).toBe(out);
    const part = mlpForward(spec, params, X.subarray(0, 8), 4, ws);
    expect(mlpForward(spec, params, X.subarray(0, 8), 4, ws)).toBe(part);
    const steps = (count: number) => {
      let total = 0;
      for (let i = 0; i < count; i++) {
        total += mlpValueAndGradient(spec, params, X, Y, 10, 'mse', ws, grad);
        mlpBackward(spec, params, ws, out, 10, grad);
      }
      return total;
    };
    steps(3000); // let V8 optimise; unoptimised code boxes every float
    globalThis.gc?.();
    const before = process.memoryUsage().heapUsed;
    steps(20_000);
    const perCall = (process.memoryUsage().heapUsed - before) / 20_000;
    // Returning the loss (a double) may box one 16-byte HeapNumber per call; any typed array or view
    // made per call would cost ≥ 100 bytes.
    expect(perCall).toBeLessThan(64);
  });
});

describe('validation', () => {
  const spec = mlpSpec([2, 4, 3], 'tanh');
  const { X, Y, params } = data(spec, 5, 60);
  const ws = createMlpWorkspace(spec, 5);
  const grad = new Float64Array(params.length);
  it('createMlpWorkspace checks batchSize and dtype', () => {
    expect(() => createMlpWorkspace(spec, 0)).toThrow(
      'createMlpWorkspace: batchSize must be an integer ≥ 1, got 0',
    );
    expect(() => createMlpWorkspace(spec, 4, 'float16' as 'float32')).toThrow(
      `createMlpWorkspace: dtype must be 'float64' or 'float32', got "float16"`,
    );
  });
  it('hot-path entry points check shapes, batch and workspace', () => {
    expect(() => mlpForward(spec, params, X, 6, ws)).toThrow(ValidationError);
    expect(() => mlpForward(spec, params, X, 6, ws)).toThrow(
      "mlpForward: batch must be an integer in [1, 5] (the workspace's batchSize), got 6",
    );
    expect(() => mlpForward(spec, params, X.subarray(1), 5, ws)).toThrow(ShapeError);
    expect(() => mlpForward(spec, params, X.subarray(1), 5, ws)).toThrow(
      'mlpForward: X must be a Float64Array or Float32Array of length 10 (batch·sizes[0] = 5·2), got length 9',
    );
    expect(() => mlpForward(spec, params, [1, 2] as never, 1, ws)).toThrow(
      /^mlpForward: X must be a Float64Array or Float32Array of length 2/,
    );
    expect(() => mlpForward(spec, params.subarray(1), X, 5, ws)).toThrow(
      'mlpForward: params must be a Float64Array or Float32Array of length 27 (the parameter count), got length 26',
    );
    expect(() => mlpForward(mlpSpec([2, 4, 3], 'relu'), params, X, 5, ws)).toThrow(
      /^mlpForward: spec must match the spec the workspace was created for \(sizes 2→4→3\)/,
    );
    expect(() => mlpForward(spec, params, X, 5, {} as never)).toThrow(
      'mlpForward: ws must be a workspace from createMlpWorkspace, got {}',
    );
    expect(() => mlpValueAndGradient(spec, params, X, Y.subarray(3), 5, 'mse', ws, grad)).toThrow(
      'mlpValueAndGradient: Y must be a Float64Array or Float32Array of length 15 (batch·outputs = 5·3), got length 12',
    );
    expect(() => mlpValueAndGradient(spec, params, X, Y, 5, 'l1' as 'mse', ws, grad)).toThrow(
      /^loss: name must be one of/,
    );
    expect(() => mlpValueAndGradient(spec, params, X, Y, 5, 'mse', ws, grad.subarray(2))).toThrow(
      /^mlpValueAndGradient: gradOut must be a Float64Array or Float32Array of length 27/,
    );
  });
  it('mlpBackward needs a forward pass on the same batch first', () => {
    const fresh = createMlpWorkspace(spec, 5);
    const dOut = new Float64Array(15);
    expect(() => mlpBackward(spec, params, fresh, dOut, 5, grad)).toThrow(
      'mlpBackward: batch must equal the batch of the last mlpForward on this workspace (0), got 5',
    );
    mlpForward(spec, params, X.subarray(0, 8), 4, fresh);
    expect(() => mlpBackward(spec, params, fresh, dOut, 5, grad)).toThrow(/\(4\), got 5$/);
    expect(() => mlpBackward(spec, params, fresh, dOut, 4, grad)).toThrow(
      'mlpBackward: dOut must be a Float64Array or Float32Array of length 12 (batch·outputs = 4·3), got length 15',
    );
  });
  it('NaN is not checked in the hot path but is at mlpPredict', () => {
    const bad = X.slice();
    bad[3] = Number.NaN;
    const out = mlpForward(spec, params, bad, 5, ws);
    expect(Number.isNaN(out[3]!)).toBe(true); // sample 1 (inputs 2, 3) is NaN
    expect(Number.isNaN(out[0]!)).toBe(false);
    expect(() => mlpPredict(spec, params, bad)).toThrow(
      'mlpPredict: X must be finite, got NaN at index 3',
    );
    const badP = params.slice();
    badP[0] = Number.POSITIVE_INFINITY;
    expect(() => mlpPredict(spec, badP, X)).toThrow(
      'mlpPredict: params must be finite, got Infinity at index 0',
    );
    expect(() => mlpPredict(spec, params, X.subarray(1))).toThrow(
      'mlpPredict: X must be a Float64Array or Float32Array of a positive multiple of sizes[0] = 2, got length 9',
    );
    expect(() => mlpPredict(spec, params, X, 4)).toThrow(
      'mlpPredict: X must be a Float64Array or Float32Array of length 8 (batch·sizes[0] = 4·2), got length 10',
    );
  });
});

describe('initMlp', () => {
  const spec = mlpSpec([3, 20, 10], 'relu');
  const { layers } = mlpLayout(spec);
  it('pytorch default: W and b in ±1/√fan_in, deterministic per key', () => {
    const p = initMlp(spec, key(7));
    expect(p).toBeInstanceOf(Float64Array);
    expect(p).toHaveLength(mlpLayout(spec).size);
    expect(initMlp(spec, key(7))).toEqual(p);
    expect(initMlp(spec, key(8))).not.toEqual(p);
    for (const { inSize, outSize, wOffset } of layers) {
      const bound = 1 / Math.sqrt(inSize);
      const block = p.subarray(wOffset, wOffset + (inSize + 1) * outSize);
      expect(Math.max(...block.map(Math.abs))).toBeLessThanOrEqual(bound * (1 + 1e-7));
      expect(Math.max(...block.map(Math.abs))).toBeGreaterThan(bound * 0.5);
    }
  });
  it('xavier and he leave b = 0; xavier W within ±√(6/(m+n)); scale multiplies', () => {
    const x = initMlp(spec, key(1), { init: 'xavier' });
    const h = initMlp(spec, key(1), { init: 'he', scale: 2 });
    for (const { inSize, outSize, wOffset, bOffset } of layers) {
      expect(Array.from(x.subarray(bOffset, bOffset + outSize))).toEqual(
        new Array(outSize).fill(0),
      );
      expect(Array.from(h.subarray(bOffset, bOffset + outSize))).toEqual(
        new Array(outSize).fill(0),
      );
      const w = x.subarray(wOffset, bOffset);
      const bound = Math.sqrt(6 / (inSize + outSize));
      expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound * (1 + 1e-7));
    }
    const n1 = initMlp(spec, key(1), { init: 'normal' });
    const n3 = initMlp(spec, key(1), { init: 'normal', scale: 3 });
    expect(n3).toBeAllclose(
      n1.map((v) => 3 * v),
      { rtol: 1e-15, atol: 0 },
    );
    const he1 = initMlp(spec, key(1), { init: 'he' });
    expect(h).toBeAllclose(
      he1.map((v) => 2 * v),
      { rtol: 1e-15, atol: 0 },
    );
  });
  it('float32 dtype and validation', () => {
    const p = initMlp(spec, key(7), { dtype: 'float32' });
    expect(p).toBeInstanceOf(Float32Array);
    // The draws are float32 values already, so the float32 copy is exact.
    expect(Float64Array.from(p)).toEqual(initMlp(spec, key(7)));
    expect(() => initMlp(spec, new Uint32Array(3))).toThrow(
      'initMlp: key must be a key (Uint32Array of length 2, from key() or split()), got Uint32Array(3)',
    );
    expect(() => initMlp(spec, key(0), { init: 'glorot' as 'he' })).toThrow(
      `initMlp: opts.init must be 'pytorch', 'xavier', 'he' or 'normal', got "glorot"`,
    );
    expect(() => initMlp(spec, key(0), { scale: -1 })).toThrow(
      'initMlp: opts.scale must be a finite number > 0, got -1',
    );
  });
});
