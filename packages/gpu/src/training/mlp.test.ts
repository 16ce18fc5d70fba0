import { type ActivationSpec, activation, ShapeError } from '@annlab/core';
import { seeded } from '@annlab/test-utils';
import { expect, it } from 'vitest';
import type { GpuOptimizerSpec } from '../kernels/optimizer/optimizer.js';
import { describeGpu } from '../test-helpers/gpu.js';
import { createGpuMlpTrainer, type GpuMlpSpec, gpuMlpParamCount } from './mlp.js';

/**
 * Independent f64 reference: the same steps written as plain loops (forward, backprop of ½Σ or
 * mean squared error, SGD / Adam), run on the same float32-rounded start.
 */
function cpuTrain(
  spec: GpuMlpSpec,
  params0: Float64Array,
  x: Float64Array,
  y: Float64Array,
  opt: GpuOptimizerSpec,
  loss: 'halfSquaredError' | 'mse',
  batches: number[][],
): { params: Float64Array; lastLoss: number } {
  const p = Float64Array.from(params0);
  const m = new Float64Array(p.length);
  const v = new Float64Array(p.length);
  const sizes = spec.sizes;
  const L = sizes.length - 1;
  const acts = spec.activations.map((a) => activation(a));
  let lastLoss = Number.NaN;
  batches.forEach((rows, t) => {
    const g = new Float64Array(p.length);
    let total = 0;
    for (const r of rows) {
      const as: Float64Array[] = [x.slice(r * sizes[0]!, (r + 1) * sizes[0]!)];
      const zs: Float64Array[] = [];
      let off = 0;
      const offs: number[] = [];
      for (let l = 0; l < L; l++) {
        const fi = sizes[l]!;
        const fo = sizes[l + 1]!;
        offs.push(off);
        const z = new Float64Array(fo);
        for (let o = 0; o < fo; o++) {
          let s = p[off + fi * fo + o]!;
          for (let i = 0; i < fi; i++) s += p[off + o * fi + i]! * as[l]![i]!;
          z[o] = s;
        }
        zs.push(z);
        as.push(z.map((zz) => acts[l]!.f(zz)));
        off += fo * (fi + 1);
      }
      const out = as[L]!;
      const scale = loss === 'mse' ? 2 / (rows.length * sizes[L]!) : 1;
      let grad = out.map((o, k) => {
        const d = o - y[r * sizes[L]! + k]!;
        total += loss === 'mse' ? (d * d) / (rows.length * sizes[L]!) : 0.5 * d * d;
        return scale * d;
      });
      for (let l = L - 1; l >= 0; l--) {
        const fi = sizes[l]!;
        const fo = sizes[l + 1]!;
        const dz = grad.map((gg, o) => gg * acts[l]!.df(zs[l]![o]!));
        const prev = new Float64Array(fi);
        for (let o = 0; o < fo; o++) {
          g[offs[l]! + fi * fo + o]! += dz[o]!;
          for (let i = 0; i < fi; i++) {
            g[offs[l]! + o * fi + i]! += dz[o]! * as[l]![i]!;
            prev[i]! += dz[o]! * p[offs[l]! + o * fi + i]!;
          }
        }
        grad = prev;
      }
    }
    lastLoss = total;
    for (let i = 0; i < p.length; i++) {
      if (opt.name === 'sgd') p[i]! -= opt.learningRate * g[i]!;
      else if (opt.name === 'momentum') {
        m[i] = 0.9 * m[i]! + g[i]!;
        p[i]! -= opt.learningRate * m[i]!;
      } else {
        m[i] = 0.9 * m[i]! + 0.1 * g[i]!;
        v[i] = 0.999 * v[i]! + 0.001 * g[i]! ** 2;
        const s = t + 1;
        p[i]! -=
          (opt.learningRate * (m[i]! / (1 - 0.9 ** s))) /
          (Math.sqrt(v[i]! / (1 - 0.999 ** s)) + 1e-8);
      }
    }
  });
  return { params: p, lastLoss };
}

function problem(acts: ActivationSpec[], sizes: number[], n: number, seed: number) {
  const spec: GpuMlpSpec = { sizes, activations: acts };
  const rnd = seeded(seed);
  const f32 = (a: Float64Array) => Float64Array.from(Float32Array.from(a));
  const params = f32(rnd.array(gpuMlpParamCount(spec), -0.8, 0.8));
  const x = f32(rnd.array(n * sizes[0]!, -1, 1));
  const y = f32(rnd.array(n * sizes.at(-1)!, -1, 1));
  return { spec, params, x, y };
}

describeGpu('GPU-resident MLP trainer', (gpu) => {
  it('full-batch SGD: 20 steps match the f64 reference (tanh, gelu, identity; MSE)', async () => {
    const { spec, params, x, y } = problem(['tanh', 'gelu', 'identity'], [2, 9, 7, 2], 40, 1);
    const opt = { name: 'sgd', learningRate: 0.1 } as const;
    const trainer = await createGpuMlpTrainer(gpu(), spec, params, {
      optimizer: opt,
      loss: 'mse',
      data: { x, y },
    });
    expect(await trainer.readLoss()).toBeNaN();
    await trainer.step(10);
    await trainer.step(10);
    const all = Array.from({ length: 40 }, (_, i) => i);
    const ref = cpuTrain(spec, params, x, y, opt, 'mse', Array(20).fill(all));
    // float32 forward/backward over 20 steps; parameters are O(1).
    expect(await trainer.readParams()).toBeAllclose(ref.params, { rtol: 1e-4, atol: 2e-5 });
    expect(await trainer.readLoss()).toBeAllclose(ref.lastLoss, { rtol: 1e-4, atol: 0 });
    expect(trainer.steps).toBe(20);
    trainer.dispose();
  });

  it('full-batch Adam matches the f64 reference (relu hidden, ½ squared error)', async () => {
    const { spec, params, x, y } = problem(['relu', 'sigmoid', 'identity'], [3, 16, 8, 1], 30, 2);
    const opt = { name: 'adam', learningRate: 0.01 } as const;
    const trainer = await createGpuMlpTrainer(gpu(), spec, params, {
      optimizer: opt,
      loss: 'halfSquaredError',
      data: { x, y },
    });
    await trainer.step(15);
    const all = Array.from({ length: 30 }, (_, i) => i);
    const ref = cpuTrain(spec, params, x, y, opt, 'halfSquaredError', Array(15).fill(all));
    // Adam normalises each step to ≈ lr, so f32 round-off in tiny gradients shows as ≲ 1e-4.
    expect(await trainer.readParams()).toBeAllclose(ref.params, { rtol: 0, atol: 2e-4 });
    trainer.dispose();
  });

  it('mini-batch momentum with per-epoch orders and a smaller last batch matches the reference', async () => {
    const { spec, params, x, y } = problem(['tanh', 'identity'], [1, 12, 1], 21, 3);
    const opt = { name: 'momentum', learningRate: 0.05 } as const;
    const orders = [0, 1, 2].map((e) =>
      Array.from({ length: 21 }, (_, i) => (i * (e * 3 + 2) + e) % 21),
    );
    const trainer = await createGpuMlpTrainer(gpu(), spec, params, {
      optimizer: opt,
      loss: 'mse',
      data: { x, y },
      batchSize: 8,
      order: (e) => orders[e]!,
    });
    expect(trainer.batchesPerEpoch).toBe(3);
    await trainer.step(4); // crosses the first epoch boundary
    await trainer.step(5);
    const batches = orders.flatMap((o) => [o.slice(0, 8), o.slice(8, 16), o.slice(16)]);
    const ref = cpuTrain(spec, params, x, y, opt, 'mse', batches);
    expect(await trainer.readParams()).toBeAllclose(ref.params, { rtol: 1e-4, atol: 2e-5 });
    expect(await trainer.readLoss()).toBeAllclose(ref.lastLoss, { rtol: 1e-4, atol: 1e-7 });
    trainer.dispose();
  });

  it('validates the spec, params and data, naming the argument', async () => {
    const spec: GpuMlpSpec = { sizes: [1, 2, 1], activations: ['tanh', 'identity'] };
    const data = { x: [1, 2], y: [1, 2] };
    const opts = { optimizer: { name: 'sgd', learningRate: 0.1 }, loss: 'mse', data } as const;
    await expect(createGpuMlpTrainer(gpu(), spec, [1, 2], opts)).rejects.toThrow(
      'createGpuMlpTrainer: params must have the layout size = 7 elements, got 2',
    );
    await expect(
      createGpuMlpTrainer(gpu(), { sizes: [1, 2, 1], activations: ['tanh'] }, [], opts),
    ).rejects.toBeInstanceOf(ShapeError);
    await expect(
      createGpuMlpTrainer(gpu(), spec, new Float64Array(7), {
        ...opts,
        data: { x: [1, 2], y: [1] },
      }),
    ).rejects.toThrow('createGpuMlpTrainer: options.data.y must have rows·1 = 2 elements, got 1');
  });
});
