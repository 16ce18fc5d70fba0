import { chainParams, initChain, key } from '@annlab/core';
import { describe, expect, it } from 'vitest';
import { DivergenceError } from './errors.js';
import { type ChainModel, predict } from './model.js';
import { chain, sgd } from './optimizers/index.js';
import { fit as fitModel } from './trainer/index.js';

const linspace = (a: number, b: number, n: number) =>
  Float64Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
const x1 = linspace(0.5, 3, 200);
const y1 = x1.map((v) => -3 * v + 2);
const net = (depth: number, seed = 0): ChainModel => ({
  kind: 'chain',
  params: initChain(key(seed), depth),
});
const mse = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return s / a.length;
};
const r2 = (pred: ArrayLike<number>, y: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < y.length; i++) m += y[i]!;
  m /= y.length;
  let v = 0;
  for (let i = 0; i < y.length; i++) v += (y[i]! - m) ** 2;
  return 1 - (mse(pred, y) * y.length) / v;
};

describe('fit on the chain: the lecture', () => {
  it('Example 1: f(x) = −3x + 2, N = 3, per-sample SGD, η = 0.01, 500 epochs from key(0)', () => {
    const r = fitModel(net(3), { x: x1, y: y1 }, { epochs: 500, batch: 'sgd', learningRate: 0.01 });
    expect(r.stopReason).toBe('epochs');
    expect(r.history.loss.length).toBe(500);
    expect(r.history.updates.at(-1)).toBe(100_000);
    const first = r.history.loss[0]!;
    const last = r.history.loss.at(-1)!;
    const final = 0.5 * mse(predict(r.model, x1), y1);
    console.log(`Example 1: loss epoch 1 ${first}, epoch 500 ${last}, final ½MSE ${final}`);
    // measured: epoch-1 loss 3.675, epoch-500 loss 0.01173, final ½·MSE 0.01135
    expect(final).toBeLessThan(0.015);
    expect(last).toBeLessThan(first / 100);
  });

  it('Example 2: f(x) = log x, N = 1, 2, 3, 300 epochs each: deeper fits better', () => {
    const y = x1.map(Math.log);
    const quality = [1, 2, 3].map((N) => {
      const r = fitModel(net(N), { x: x1, y }, { epochs: 300, batch: 'sgd', learningRate: 0.01 });
      return r2(predict(r.model, x1), y);
    });
    console.log(`Example 2 R²: N=1 ${quality[0]}, N=2 ${quality[1]}, N=3 ${quality[2]}`);
    // measured R²: N=1 0.949 (a line), N=2 0.9948, N=3 0.9909
    expect(quality[0]!).toBeGreaterThan(0.9);
    expect(quality[1]!).toBeGreaterThan(0.95);
    expect(quality[2]!).toBeGreaterThan(0.95);
  });

  it('backprop, autodiff and the triangular solve give the same trajectory', () => {
    const opts = { epochs: 5, batch: 8, learningRate: 0.05 } as const;
    const b = fitModel(net(4), { x: x1, y: y1 }, { ...opts, gradientMethod: 'backprop' });
    const a = fitModel(net(4), { x: x1, y: y1 }, { ...opts, gradientMethod: 'autodiff' });
    const t = fitModel(net(4), { x: x1, y: y1 }, { ...opts, gradientMethod: 'triangular' });
    expect(a.params).toBeAllclose(b.params, { rtol: 1e-12, atol: 1e-13 });
    expect(t.params).toBeAllclose(b.params, { rtol: 1e-12, atol: 1e-13 });
    expect(a.history.loss).toBeAllclose(b.history.loss, { rtol: 1e-12, atol: 0 });
  });

  it('the linear-algebra update step equals the autodiff one (single SGD update)', () => {
    const opts = { epochs: 1, batch: 200, learningRate: 0.1 } as const;
    const b = fitModel(net(3), { x: x1, y: y1 }, { ...opts, gradientMethod: 'triangular' });
    const a = fitModel(net(3), { x: x1, y: y1 }, { ...opts, gradientMethod: 'autodiff' });
    expect(b.params).toBeAllclose(a.params, { rtol: 1e-13, atol: 1e-15 });
  });

  it('the inlined per-sample SGD loop equals the generic optimizer path bit for bit', () => {
    // every inlined activation (sigmoid, tanh, relu, identity) and others through f and df
    for (const [depth, activations] of [
      [1, undefined],
      [2, undefined],
      [3, undefined],
      [3, ['tanh', 'softplus', 'identity']],
      [4, ['relu', 'sigmoid', 'gelu', 'identity']],
      [3, ['leakyRelu', 'tanh', 'sigmoid']],
    ] as const) {
      const m: ChainModel = {
        ...net(depth),
        ...(activations ? { activations: [...activations] } : {}),
      };
      const fast = fitModel(m, { x: x1, y: y1 }, { epochs: 20, batch: 'sgd', learningRate: 0.01 });
      const generic = fitModel(
        m,
        { x: x1, y: y1 },
        { epochs: 20, batch: 'sgd', optimizer: chain(sgd(0.01)) },
      );
      expect(fast.params).toBeAllclose(generic.params, { rtol: 0, atol: 0 });
      expect(fast.history.loss).toBeAllclose(generic.history.loss, { rtol: 0, atol: 0 });
    }
  });

  it('the inlined loop stays bit-identical when the residuals are subnormal-small', () => {
    // targets ~1e-155 give r² ~1e-310 (subnormal): the inlined loop's doubled loss sum would not
    // halve exactly there, so it must fall back to the exact sum (few samples, so that dividing
    // the sum by n keeps the difference visible)
    const x = Float64Array.from([0.5, 1.25, 2, 3]);
    const y = Float64Array.from([1.37e-155, 2.91e-155, 1.13e-155, 3.77e-155]);
    const m: ChainModel = { kind: 'chain', params: chainParams([0], [0]) };
    const fast = fitModel(m, { x, y }, { epochs: 5, batch: 'sgd', learningRate: 0.01 });
    const generic = fitModel(m, { x, y }, { epochs: 5, batch: 'sgd', optimizer: chain(sgd(0.01)) });
    expect(fast.history.loss[0]).toBeGreaterThan(0); // the losses are not all zero
    expect(Array.from(fast.history.loss)).toEqual(Array.from(generic.history.loss));
    expect(Array.from(fast.params)).toEqual(Array.from(generic.params));
  });

  it('batch vs SGD vs mini-batch on Example 1 from one key: loss against updates and time', () => {
    const runs = (['full', 'sgd', 20] as const).map((batch) => {
      const r = fitModel(net(3), { x: x1, y: y1 }, { epochs: 100, batch, learningRate: 0.01 });
      return { batch, r };
    });
    for (const { batch, r } of runs) {
      console.log(
        `batch ${batch}: ${r.stepsPerEpoch} updates/epoch, loss after 100 epochs ${r.history.loss.at(-1)} in ${r.history.wallTimeMs.toFixed(1)} ms`,
      );
    }
    const [full, one, mini] = runs.map(({ r }) => r);
    expect(full!.history.updates.at(-1)).toBe(100);
    expect(one!.history.updates.at(-1)).toBe(20_000);
    expect(mini!.history.updates.at(-1)).toBe(1_000);
    // Per epoch, more updates learn faster: measured sgd 0.034 < mini 2.36 < full 2.94.
    expect(one!.history.loss.at(-1)!).toBeLessThan(mini!.history.loss.at(-1)!);
    expect(mini!.history.loss.at(-1)!).toBeLessThan(full!.history.loss.at(-1)!);
    // Per update, full batch is at least as good as SGD after the same 100 updates.
    expect(full!.history.loss.at(-1)!).toBeLessThan(one!.history.loss[0]! * 2);
  });

  it('vanishing gradients: 10 sigmoid layers shrink toward the input, leaky ReLU does not', () => {
    const x = linspace(-1, 1, 50);
    const y = x.map((v) => Math.sin(2 * v));
    const depth = 10;
    const ratio = (activations: ChainModel['activations']) => {
      const m: ChainModel = {
        kind: 'chain',
        params: chainParams(new Array(depth).fill(1), new Array(depth).fill(0.1)),
        activations,
      };
      const r = fitModel(m, { x, y }, { epochs: 1, learningRate: 1e-3, recordGradNorms: true });
      const g = r.history.gradNorms[0]!;
      return g[depth - 1]! / g[0]!;
    };
    const sig = ratio([...new Array(depth - 1).fill('sigmoid'), 'identity']);
    const leaky = ratio([...new Array(depth - 1).fill('leakyRelu'), 'identity']);
    console.log(`gradient norm ratio last/first layer: sigmoid ${sig}, leaky ReLU ${leaky}`);
    // measured: sigmoid 8.8e5 (σ' ≤ ¼ per layer), leaky ReLU 3.5
    expect(sig).toBeGreaterThan(1e3);
    expect(leaky).toBeLessThan(10);
    expect(leaky).toBeGreaterThan(0.1);
  });
});

describe('fit: options and guards', () => {
  it('shuffle modes: none is the data order, fixed reuses one permutation, custom replays orders', () => {
    const base = { epochs: 3, batch: 'sgd', learningRate: 0.01 } as const;
    const none = fitModel(net(2), { x: x1, y: y1 }, { ...base, shuffle: 'none' });
    const ident = Int32Array.from({ length: 200 }, (_, i) => i);
    const replay = fitModel(net(2), { x: x1, y: y1 }, { ...base, shuffle: () => ident });
    expect(replay.params).toBeAllclose(none.params, { rtol: 0, atol: 0 });
    const epoch = fitModel(net(2), { x: x1, y: y1 }, base);
    const fixed = fitModel(net(2), { x: x1, y: y1 }, { ...base, shuffle: 'fixed' });
    expect(Math.abs(epoch.params[0]! - fixed.params[0]!)).toBeGreaterThan(0);
    expect(() => fitModel(net(2), { x: x1, y: y1 }, { ...base, shuffle: () => [0, 0] })).toThrow(
      'batchPlan: shuffle(0) must be a permutation of 0..199, got Array(2)',
    );
  });

  it('reports progress every k epochs, with the live parameters', () => {
    const seen: number[] = [];
    fitModel(
      net(2),
      { x: x1, y: y1 },
      {
        epochs: 10,
        progressEvery: 4,
        onProgress: (e) => {
          seen.push(e.epoch);
          expect(e.params.length).toBe(4);
          expect(Number.isFinite(e.loss)).toBe(true);
        },
      },
    );
    expect(seen).toEqual([3, 7, 9]);
  });

  it('stops on an aborted signal and returns what it has', () => {
    const ctrl = new AbortController();
    const r = fitModel(
      net(2),
      { x: x1, y: y1 },
      {
        epochs: 100,
        onProgress: (e) => e.epoch === 4 && ctrl.abort(),
        signal: ctrl.signal,
      },
    );
    expect(r.stopReason).toBe('aborted');
    expect(r.epochs).toBe(5);
  });

  it('early stopping on a validation split restores the best parameters', () => {
    const r = fitModel(
      net(3),
      { x: x1, y: y1 },
      {
        epochs: 400,
        batch: 'sgd',
        learningRate: 0.05,
        validation: { fraction: 0.25 },
        earlyStopping: { patience: 5, minDelta: 1e-3 },
      },
    );
    expect(r.stopReason).toBe('earlyStopping');
    expect(r.epochs).toBe(r.bestEpoch + 6);
    expect(r.history.valLoss.length).toBe(r.epochs);
    expect(r.history.updates[0]).toBe(150); // 200 − ⌈0.25·200⌉ training samples
  });

  it('divergence stops with the last finite parameters and the epoch', () => {
    let err: unknown;
    try {
      fitModel(net(1), { x: x1, y: y1 }, { epochs: 50, batch: 'sgd', learningRate: 1 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DivergenceError);
    const d = err as DivergenceError;
    expect(d.message).toMatch(/^fit: training diverged in epoch \d+ at update \d+/);
    expect(d.lastGoodParams.every(Number.isFinite)).toBe(true);
    expect(d.epoch).toBeGreaterThanOrEqual(0);
    let err2: unknown;
    try {
      fitModel(net(1), { x: x1, y: y1 }, { epochs: 500, batch: 10, optimizer: chain(sgd(1)) });
    } catch (e) {
      err2 = e;
    }
    expect(err2).toBeInstanceOf(DivergenceError);
  });

  it('divergence on the fused path names the same update and parameters as the generic path', () => {
    // the fused kernel checks once per epoch and replays a failed one with per-sample checks
    const catchIt = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as DivergenceError;
      }
      throw new Error('expected a DivergenceError');
    };
    for (const [depth, lr] of [
      [1, 2],
      [3, 50],
    ]) {
      const data = { x: x1, y: y1 };
      const fused = catchIt(() =>
        fitModel(net(depth), data, { epochs: 50, batch: 'sgd', learningRate: lr! }),
      );
      const generic = catchIt(() =>
        fitModel(net(depth), data, { epochs: 50, batch: 'sgd', optimizer: chain(sgd(lr!)) }),
      );
      expect(fused).toBeInstanceOf(DivergenceError);
      expect(fused.epoch).toBe(generic.epoch);
      expect(fused.step).toBe(generic.step);
      // the same update named; the wording of the cause differs by path
      const where = (m: string) => m.slice(0, m.indexOf(': the '));
      expect(where(fused.message)).toBe(where(generic.message));
      expect(Array.from(fused.lastGoodParams)).toEqual(Array.from(generic.lastGoodParams));
    }
  });

  it('rejects bad inputs before any work, naming argument and value', () => {
    const d = { x: x1, y: y1 };
    const m = net(2);
    expect(() => fitModel(m, { x: [1, Number.NaN, 3], y: [1, 2, 3] }, { epochs: 1 })).toThrow(
      'fit: data.x must be finite numbers, got NaN at index 1',
    );
    expect(() =>
      fitModel(m, { x: [1, 2], y: [1, 2, Number.POSITIVE_INFINITY] }, { epochs: 1 }),
    ).toThrow('fit: data.y must be finite numbers, got Infinity at index 2');
    expect(() => fitModel(m, { x: [1, 2, 3], y: [1, 2] }, { epochs: 1 })).toThrow(
      'fit: data.x and data.y must have the same number of samples, got 3 and 2',
    );
    expect(() => fitModel(m, { x: [], y: [] }, { epochs: 1 })).toThrow(
      'fit: data must have at least one sample, got 0',
    );
    expect(() => fitModel(m, d, { epochs: 2.5 })).toThrow(
      'fit: options.epochs must be an integer ≥ 1, got 2.5',
    );
    expect(() => fitModel(m, d, { epochs: 1, learningRate: 0 })).toThrow(
      'fit: options.learningRate must be a finite number > 0, got 0',
    );
    expect(() => fitModel(m, d, { epochs: 1, learningRate: Number.NaN })).toThrow(
      'fit: options.learningRate must be a finite number > 0, got NaN',
    );
    expect(() => fitModel(m, d, { epochs: 1, batch: 0 })).toThrow(
      "fit: options.batch must be 'full', 'sgd' or an integer batch size in [1, 200] (the number of samples), got 0",
    );
    expect(() => fitModel(m, d, { epochs: 1, batch: 201 })).toThrow(/options\.batch .* got 201/);
    expect(() => fitModel({ kind: 'chain' } as ChainModel, d, { epochs: 1 })).toThrow(
      /^fit: model.params must be ChainParams/,
    );
  });
});
