/**
 * `backend: { kind: 'webgpu', createTrainer }` with a fake trainer factory: the fake runs core's
 * float32 dense passes on the CPU and its own float32 optimizer updates, written from the GPU
 * kernels' formulas (packages/gpu/src/kernels/optimizer/optimizer.wgsl.ts), so these tests check
 * fit's plumbing (option mapping, orders, read-backs, history, progress, errors, disposal) without a
 * GPU. The end-to-end check with `@annlab/gpu`'s real trainer lives where that package is a
 * dependency (the CLI and the demo).
 */
import {
  createMlpWorkspace,
  initChain,
  initMlp,
  key,
  type MlpSpec,
  mlpLayout,
  mlpSpec,
  mlpValueAndGradient,
} from '@annlab/core';
import { describe, expect, it } from 'vitest';
import { batchPlan } from './batches.js';
import { DivergenceError, TrainerStateError } from './errors.js';
import type { MlpModel } from './model.js';
import { adam, adamw, chain, clipByGlobalNorm, momentum, sgd } from './optimizers/index.js';
import { stepDecay } from './schedules.js';
import { createTrainer, fit as fitModel, restoreTrainer } from './trainer/index.js';
import type {
  GpuMlpTrainerFactory,
  GpuMlpTrainerLike,
  GpuTrainerRequest,
  GpuTrainerSpec,
  WebGpuBackend,
} from './webgpu.js';

interface FakeLog {
  requests: GpuTrainerRequest[];
  specs: GpuTrainerSpec[];
  orders: number[][];
  disposed: number;
  lastLoss: number;
  /** Rates set by setLearningRate, in order. */
  rates: number[];
}

/** A GpuMlpTrainer on the CPU in float32 (see the file comment). */
function fakeBackend(log: FakeLog): WebGpuBackend {
  const createTrainer: GpuMlpTrainerFactory = async (spec, params, req) => {
    log.requests.push(req);
    log.specs.push(spec);
    const s = spec as MlpSpec;
    const nIn = spec.sizes[0]!;
    const nOut = spec.sizes[spec.sizes.length - 1]!;
    const n = req.data.x.length / nIn;
    const bs = req.batchSize ?? n;
    const nb = Math.ceil(n / bs);
    const p = Float32Array.from(params);
    const g = new Float32Array(p.length);
    const m1 = new Float32Array(p.length);
    const m2 = new Float32Array(p.length);
    const ws = createMlpWorkspace(s, bs, 'float32');
    let order = Int32Array.from({ length: n }, (_, i) => i);
    let steps = 0;
    let t = 0;
    const o = req.optimizer;
    let rate = o.learningRate;
    // gradNorms: per layer, the sum of the steps' ‖(∂W, ∂b)‖₂ (float32 gradient, summed in f64)
    const layers = mlpLayout(s).layers;
    const normSums = new Float64Array(layers.length);
    const trainer: GpuMlpTrainerLike = {
      batchesPerEpoch: nb,
      setLearningRate(lr) {
        rate = lr;
        log.rates.push(lr);
      },
      async step(k = 1) {
        for (let q = 0; q < k; q++) {
          const j = steps % nb;
          if (j === 0 && req.order) {
            order = Int32Array.from(req.order(steps / nb));
            log.orders.push(Array.from(order));
          }
          const rows = Math.min(bs, n - j * bs);
          const xb = new Float32Array(rows * nIn);
          const yb = new Float32Array(rows * nOut);
          for (let r = 0; r < rows; r++) {
            const i = order[j * bs + r]!;
            xb.set((req.data.x as Float32Array).subarray(i * nIn, (i + 1) * nIn), r * nIn);
            yb.set((req.data.y as Float32Array).subarray(i * nOut, (i + 1) * nOut), r * nOut);
          }
          log.lastLoss = mlpValueAndGradient(s, p, xb, yb, rows, req.loss, ws, g);
          if (req.gradNorms) {
            layers.forEach((l, li) => {
              let q = 0;
              for (let k = l.wOffset; k < l.wOffset + l.inSize * l.outSize; k++) q += g[k]! ** 2;
              for (let k = l.bOffset; k < l.bOffset + l.outSize; k++) q += g[k]! ** 2;
              normSums[li] = normSums[li]! + Math.sqrt(q);
            });
          }
          t++;
          for (let i = 0; i < p.length; i++) {
            if (o.name === 'sgd') p[i] = p[i]! - rate * g[i]!;
            else if (o.name === 'momentum') {
              m1[i] = (o.momentum ?? 0.9) * m1[i]! + g[i]!; // v ← μv + g; p ← p − ηv
              p[i] = p[i]! - rate * m1[i]!;
            } else {
              const b1 = o.b1 ?? 0.9;
              const b2 = o.b2 ?? 0.999;
              m1[i] = b1 * m1[i]! + (1 - b1) * g[i]!;
              m2[i] = b2 * m2[i]! + (1 - b2) * g[i]! * g[i]!;
              const mh = m1[i]! / (1 - b1 ** t);
              const vh = m2[i]! / (1 - b2 ** t);
              p[i] = p[i]! - (rate * mh) / (Math.sqrt(vh) + (o.eps ?? 1e-8));
            }
          }
          steps++;
        }
      },
      readLoss: async () => log.lastLoss,
      readParams: async () => p.slice(),
      async readGradNormSums() {
        const out = Float32Array.from(normSums);
        normSums.fill(0);
        return out;
      },
      dispose() {
        log.disposed++;
      },
    };
    return trainer;
  };
  return { kind: 'webgpu', createTrainer };
}

/** max |a − b| / max(|b|, 1e-3): for the measured figures logged below. */
const maxRel = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), 1e-3));
  }
  return m;
};

const newLog = (): FakeLog => ({
  requests: [],
  specs: [],
  orders: [],
  disposed: 0,
  lastLoss: Number.NaN,
  rates: [],
});
const x = Float64Array.from({ length: 50 }, (_, i) => -1 + (2 * i) / 49);
const y = Array.from(x, (v) => [Math.sin(2 * v), v * v]);
const model = (): MlpModel => {
  const spec = mlpSpec([1, 8, 8, 2], 'tanh');
  return { kind: 'mlp', spec, params: Float64Array.from(initMlp(spec, key(4))) };
};

describe("fit with backend: { kind: 'webgpu' } (fake trainer)", () => {
  it('full-batch Adam: same trajectory as the CPU (float32 tolerances), loss read every progressEvery epochs', async () => {
    const log = newLog();
    const events: Array<[number, number, number]> = [];
    const r = await fitModel(
      model(),
      { x, y },
      {
        epochs: 20,
        optimizer: adam(0.01),
        loss: 'sse',
        normalize: true,
        progressEvery: 5,
        onProgress: (e) => events.push([e.epoch, e.updates, e.loss]),
        backend: fakeBackend(log),
      },
    );
    const cpu = fitModel(
      model(),
      { x, y },
      { epochs: 20, optimizer: adam(0.01), loss: 'sse', normalize: true },
    );
    expect(log.requests[0]!.optimizer).toEqual({
      name: 'adam',
      learningRate: 0.01,
      b1: 0.9,
      b2: 0.999,
      eps: 1e-8,
    });
    expect(log.requests[0]!.loss).toBe('sse');
    expect(log.requests[0]!.batchSize).toBe(50);
    expect(log.requests[0]!.order).toBeUndefined();
    expect(log.specs[0]).toEqual({
      sizes: [1, 8, 8, 2],
      activations: ['tanh', 'tanh', 'identity'],
    });
    // the data reach the trainer normalised, as float32
    expect(log.requests[0]!.data.x).toBeInstanceOf(Float32Array);
    const xs = cpu.model.normalization!.x!;
    expect(log.requests[0]!.data.x[0]!).toBeAllclose((-1 - xs.mean[0]!) / xs.std[0]!, {
      rtol: 1e-7,
      atol: 0,
    });
    expect(log.disposed).toBe(1);
    expect(events.map((e) => e[0])).toEqual([4, 9, 14, 19]);
    expect(events.map((e) => e[1])).toEqual([5, 10, 15, 20]);
    // Loss of epochs 4, 9, 14, 19 (full batch: the epoch's loss before its update, as on the CPU);
    // NaN where nothing was read back. Float32 vs float64: rtol 1e-4 (measured max 8e-8).
    const read = [4, 9, 14, 19];
    console.log(
      `fake GPU vs CPU float64, Adam full batch: loss max rel diff ${maxRel(
        read.map((e) => r.history.loss[e]!),
        read.map((e) => cpu.history.loss[e]!),
      )}, params ${maxRel(r.params, cpu.params)}`,
    );
    for (let e = 0; e < 20; e++) {
      if (read.includes(e)) {
        expect(r.history.loss[e]!).toBeAllclose(cpu.history.loss[e]!, { rtol: 1e-4, atol: 0 });
      } else expect(r.history.loss[e]).toBeNaN();
    }
    expect(Array.from(r.history.updates)).toEqual(Array.from({ length: 20 }, (_, e) => e + 1));
    // measured: max relative parameter difference 2.1e-6
    expect(r.params).toBeAllclose(cpu.params, { rtol: 1e-3, atol: 1e-5 });
    expect(r.model.normalization).toEqual(cpu.model.normalization);
    expect(r.model.training?.backend).toBe('webgpu');
    expect(r.stopReason).toBe('epochs');
    // bestEpoch: the smallest loss among the epochs read back
    const best = read.reduce((a, b) => (r.history.loss[b]! < r.history.loss[a]! ? b : a));
    expect(r.bestEpoch).toBe(best);
  });

  it("mini-batches with momentum: fit's keyed orders reach the trainer; summed losses scale to the set", async () => {
    const log = newLog();
    const opts = {
      epochs: 6,
      batch: 16, // 50 samples: 16, 16, 16, 2
      optimizer: sgd(0.002, { momentum: 0.9 }),
      loss: 'sse' as const,
      key: 11,
    };
    const r = await fitModel(model(), { x, y }, { ...opts, backend: fakeBackend(log) });
    expect(log.requests[0]!.optimizer).toEqual({
      name: 'momentum',
      learningRate: 0.002,
      momentum: 0.9,
    });
    expect(log.requests[0]!.batchSize).toBe(16);
    const plan = batchPlan(50, { batch: 16, key: key(11) });
    expect(log.orders).toEqual(Array.from({ length: 6 }, (_, e) => Array.from(plan.order(e))));
    expect(r.stepsPerEpoch).toBe(4);
    expect(r.history.updates.at(-1)).toBe(24);
    // the last batch has 2 rows: its summed loss × 50 / 2 estimates the epoch's SSE over all 50
    expect(r.history.loss.at(-1)!).toBeAllclose((log.lastLoss * 50) / 2, { rtol: 1e-15, atol: 0 });
    const cpu = fitModel(model(), { x, y }, opts);
    console.log(
      `fake GPU vs CPU float64, momentum mini-batch: params ${maxRel(r.params, cpu.params)}`,
    );
    // 24 momentum steps, float32 vs float64: rtol 1e-3 (measured max relative difference 4.1e-6)
    expect(r.params).toBeAllclose(cpu.params, { rtol: 1e-3, atol: 1e-5 });
    const plain = await fitModel(
      model(),
      { x, y },
      { epochs: 1, optimizer: momentum(0.1, { beta: 0.5 }), backend: fakeBackend(log) },
    );
    expect(log.requests[1]!.optimizer).toEqual({
      name: 'momentum',
      learningRate: 0.1,
      momentum: 0.5,
    });
    expect(log.requests[1]!.loss).toBe('mse'); // fit's default
    expect(plain.epochs).toBe(1);
    await fitModel(model(), { x, y }, { epochs: 1, learningRate: 0.2, backend: fakeBackend(log) });
    expect(log.requests[2]!.optimizer).toEqual({ name: 'sgd', learningRate: 0.2 });
  });

  it('a step-decay schedule on mini-batches: the rate changes between updates as on the CPU', async () => {
    const log = newLog();
    const opts = () =>
      ({
        epochs: 12,
        batch: 16, // 4 batches per epoch: the rate halves after update 20, 40
        optimizer: sgd(stepDecay(0.1, { stepSize: 20, gamma: 0.5 })),
      }) as const;
    const r = await fitModel(model(), { x, y }, { ...opts(), backend: fakeBackend(log) });
    const cpu = fitModel(model(), { x, y }, opts());
    expect(log.requests[0]!.optimizer).toEqual({ name: 'sgd', learningRate: 0.1 });
    // one rate per run of updates with the same rate within each epoch's submission
    expect(log.rates.filter((v, i) => v !== log.rates[i - 1])).toEqual([0.1, 0.05, 0.025]);
    expect(log.rates.length).toBe(12); // 12 epochs of 4 updates: the rate never changes mid-epoch
    // float32 passes vs float64: measured max relative parameter difference ~1e-6
    expect(r.params).toBeAllclose(cpu.params, { rtol: 1e-3, atol: 1e-5 });
  });

  it('validation and early stopping on the GPU follow the CPU f64 path (float32 tolerances)', async () => {
    const log = newLog();
    const opts = () =>
      ({
        epochs: 300,
        optimizer: adam(0.05),
        loss: 'mse',
        validation: { fraction: 0.2 },
        earlyStopping: { patience: 5, minDelta: 1e-3 },
      }) as const;
    const r = await fitModel(model(), { x, y }, { ...opts(), backend: fakeBackend(log) });
    const cpu = fitModel(model(), { x, y }, opts());
    console.log(
      `fake GPU vs CPU, early stopping: ${r.epochs} vs ${cpu.epochs} epochs, best ${r.bestEpoch} vs ${cpu.bestEpoch}`,
    );
    expect(cpu.stopReason).toBe('earlyStopping'); // the case exercises early stopping
    expect(r.stopReason).toBe('earlyStopping');
    expect(r.epochs).toBe(cpu.epochs);
    expect(r.bestEpoch).toBe(cpu.bestEpoch);
    // validation loss of every epoch (read back each epoch), float32 vs float64
    expect(r.history.valLoss.length).toBe(cpu.history.valLoss.length);
    expect(r.history.valLoss).toBeAllclose(cpu.history.valLoss, { rtol: 1e-3, atol: 1e-6 });
    // restoreBest (default with validation): the best epoch's parameters
    expect(r.params).toBeAllclose(cpu.params, { rtol: 1e-3, atol: 1e-5 });
  });

  it('rejects what does not map onto the GPU trainer, naming the option', async () => {
    const backend = fakeBackend(newLog());
    const run = (o: object, m: MlpModel = model()) =>
      fitModel(m, { x, y }, { epochs: 2, ...o, backend } as Parameters<typeof fitModel>[2] & {
        backend: WebGpuBackend;
      });
    await expect(run({ optimizer: adamw(0.01) })).rejects.toThrow(
      /^fit: options.optimizer must be .* got "an optimizer without a GPU kernel \(adamw\)"/,
    );
    await expect(run({ optimizer: chain(clipByGlobalNorm(1), adam(0.1)) })).rejects.toThrow(
      /got "an optimizer without a GPU kernel \(chain\)"/,
    );
    await expect(run({ optimizer: sgd(0.1, { momentum: 0.9, nesterov: true }) })).rejects.toThrow(
      /got "sgd with Nesterov momentum"/,
    );
    await expect(run({ batch: 16, dropLast: true })).rejects.toThrow(
      "fit: options.dropLast must be false for backend 'webgpu', got true",
    );
    await expect(run({ dtype: 'float64' })).rejects.toThrow(
      `fit: options.dtype must be 'float32' or absent for backend 'webgpu', got "float64"`,
    );
    // validation errors of fit itself also reject (no synchronous throw from the GPU path)
    await expect(run({ epochs: 0 })).rejects.toThrow(
      'fit: options.epochs must be an integer ≥ 1, got 0',
    );
    const net = { kind: 'chain' as const, params: initChain(key(0), 3) };
    await expect(
      fitModel(net as never, { x, y: x }, { epochs: 1, backend } as never),
    ).rejects.toThrow(
      `fit: options.backend must be 'cpu' for a chain model (the GPU trains MLPs), got "webgpu"`,
    );
    expect(() =>
      fitModel(model(), { x, y }, { epochs: 1, backend: { kind: 'webgl' } as never }),
    ).toThrow(
      /^fit: options.backend must be 'cpu', 'auto', \{ kind: 'webgpu', createTrainer: \(spec, params, options\) => trainer \} or \{ kind: 'auto', webgpu, adapter \}, got/,
    );
  });

  it('divergence: a DivergenceError with the parameters of the last read-back; the trainer is disposed', async () => {
    const log = newLog();
    const run = fitModel(
      model(),
      { x, y },
      { epochs: 20, optimizer: sgd(1e3), loss: 'sse', progressEvery: 2, backend: fakeBackend(log) },
    );
    const e = await run.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(DivergenceError);
    const d = e as DivergenceError;
    expect(d.message).toMatch(/^fit: training diverged on the GPU between epochs \d+ and \d+/);
    expect(d.lastGoodParams.every(Number.isFinite)).toBe(true);
    expect(d.epoch % 2).toBe(0);
    expect(log.disposed).toBe(1);
  });

  it('abort: the signal is checked at each read-back', async () => {
    const log = newLog();
    const ctl = new AbortController();
    let seen = new Float64Array(0);
    const r = await fitModel(
      model(),
      { x, y },
      {
        epochs: 100,
        progressEvery: 10,
        onProgress: (e) => {
          seen = e.params.slice();
          if (e.epoch === 29) ctl.abort();
        },
        signal: ctl.signal,
        backend: fakeBackend(log),
      },
    );
    expect(r.stopReason).toBe('aborted');
    expect(r.epochs).toBe(30);
    expect(r.history.loss.length).toBe(30);
    expect(r.params).toBeAllclose(seen, { rtol: 0, atol: 0 }); // the read-back after epoch 29
    expect(log.disposed).toBe(1);
  });
});

describe("createTrainer with backend: { kind: 'webgpu' } (fake trainer)", () => {
  it('run() follows the CPU f64 trainer (schedule, mini-batches, float32 tolerances); a paused run continues the same device trainer', async () => {
    const opts = () =>
      ({
        epochs: 12,
        batch: 16, // 4 batches per epoch
        optimizer: adam(stepDecay(0.02, { stepSize: 20, gamma: 0.5 })),
        loss: 'sse',
        key: 3,
      }) as const;
    const log = newLog();
    const gpu = createTrainer(model(), { x, y }, { ...opts(), backend: fakeBackend(log) });
    expect(gpu.stepsPerEpoch).toBe(4);
    await gpu.run({ epochs: 5 }); // pause after epoch 4
    expect(gpu.epoch).toBe(5);
    expect(gpu.updates).toBe(20);
    expect(gpu.stopReason).toBeUndefined();
    const r = await gpu.run(); // continue to 12
    expect(log.requests.length).toBe(1); // one device trainer for both calls
    expect(log.disposed).toBe(0); // kept until dispose()
    expect(r.stopReason).toBe('epochs');
    expect(r.epochs).toBe(12);
    expect(Array.from(r.history.updates)).toEqual(Array.from({ length: 12 }, (_, e) => 4 * e + 4));
    // the uninterrupted GPU run: the fake is deterministic float32, so a pause that kept the
    // device's Adam moments gives the same bits (a restart of the moments would not)
    const log2 = newLog();
    const whole = createTrainer(model(), { x, y }, { ...opts(), backend: fakeBackend(log2) });
    const w = await whole.run();
    expect(r.params).toBeAllclose(w.params, { rtol: 0, atol: 0 });
    expect(log.rates).toEqual(log2.rates);
    // the schedule's rates reached the device at the same updates as the CPU's schedule
    expect(log2.rates.filter((v, i) => v !== log2.rates[i - 1])).toEqual([0.02, 0.01, 0.005]);
    const cpu = createTrainer(model(), { x, y }, opts());
    cpu.runEpochs(12);
    const c = cpu.result();
    console.log(`createTrainer webgpu (fake) vs CPU f64: params ${maxRel(r.params, c.params)}`);
    // 48 Adam updates, float32 vs float64: rtol 1e-3 (the fit tests above measure ~1e-6)
    expect(r.params).toBeAllclose(c.params, { rtol: 1e-3, atol: 1e-5 });
    gpu.dispose();
    expect(log.disposed).toBe(1);
    await expect(gpu.run()).rejects.toThrow('run: the trainer was disposed');
  });

  it('validation and early stopping per epoch as on the CPU; the loss read back each epoch', async () => {
    const opts = () =>
      ({
        epochs: 300,
        optimizer: adam(0.05),
        loss: 'mse',
        validation: { fraction: 0.2 },
        earlyStopping: { patience: 5, minDelta: 1e-3 },
      }) as const;
    const events: number[] = [];
    const gpu = createTrainer(
      model(),
      { x, y },
      {
        ...opts(),
        backend: fakeBackend(newLog()),
        onProgress: (e) => events.push(e.epoch),
      },
    );
    const r = await gpu.run();
    const cpu = createTrainer(model(), { x, y }, opts());
    cpu.runEpochs(300);
    const c = cpu.result();
    expect(c.stopReason).toBe('earlyStopping'); // the case exercises early stopping
    expect(r.stopReason).toBe('earlyStopping');
    expect(r.epochs).toBe(c.epochs);
    expect(r.bestEpoch).toBe(c.bestEpoch);
    expect(events).toEqual(Array.from({ length: r.epochs }, (_, e) => e));
    // float32 device vs float64 CPU (measured ~1e-6 in the fit tests above)
    expect(r.history.valLoss).toBeAllclose(c.history.valLoss, { rtol: 1e-3, atol: 1e-6 });
    expect(r.history.loss.every(Number.isFinite)).toBe(true);
    expect(r.params).toBeAllclose(c.params, { rtol: 1e-3, atol: 1e-5 }); // restoreBest
    await expect(gpu.run()).rejects.toThrow(/^run: training has finished \(earlyStopping/);
  });

  it('step() and runEpochs() are refused with a named error; unsupported options fail at creation', async () => {
    const gpu = createTrainer(model(), { x, y }, { epochs: 3, backend: fakeBackend(newLog()) });
    const sync = [() => gpu.step(), () => gpu.runEpochs(1)];
    for (const f of sync) {
      expect(f).toThrow(TrainerStateError);
      try {
        f();
      } catch (e) {
        expect((e as TrainerStateError).state).toBe('asynchronous');
        expect((e as Error).message).toMatch(
          /^(step|runEpochs): a WebGPU trainer runs asynchronously/,
        );
      }
    }
    expect(() =>
      createTrainer(
        model(),
        { x, y },
        { epochs: 2, batch: 16, dropLast: true, backend: fakeBackend(newLog()) },
      ),
    ).toThrow("createTrainer: options.dropLast must be false for backend 'webgpu', got true");
    expect(() =>
      createTrainer(
        model(),
        { x, y },
        { epochs: 2, optimizer: adamw(0.1), backend: fakeBackend(newLog()) },
      ),
    ).toThrow(/^createTrainer: options.optimizer must be/);
    await expect(gpu.run({ epochs: 0 })).rejects.toThrow(
      'run: options.epochs must be an integer ≥ 1, got 0',
    );
  });

  it('divergence: a DivergenceError, the last good parameters kept, the trainer refuses to go on', async () => {
    const gpu = createTrainer(
      model(),
      { x, y },
      {
        epochs: 20,
        optimizer: sgd(1e3),
        loss: 'sse',
        backend: fakeBackend(newLog()),
      },
    );
    const e = await gpu.run().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(DivergenceError);
    const d = e as DivergenceError;
    expect(d.message).toMatch(
      /^createTrainer: training diverged on the GPU between epochs \d+ and \d+/,
    );
    expect(gpu.params.every(Number.isFinite)).toBe(true);
    expect(gpu.params).toBeAllclose(d.lastGoodParams, { rtol: 0, atol: 0 });
    await expect(gpu.run()).rejects.toThrow(/^run: training diverged/);
    expect(gpu.result().params.every(Number.isFinite)).toBe(true);
  });

  it('abort then run again: the same trajectory as one run; snapshot holds the read-back parameters', async () => {
    const opts = () => ({ epochs: 40, optimizer: momentum(0.01), loss: 'mse' as const });
    const ctl = new AbortController();
    const gpu = createTrainer(
      model(),
      { x, y },
      {
        ...opts(),
        progressEvery: 5,
        backend: fakeBackend(newLog()),
      },
    );
    const first = await gpu.run({
      signal: ctl.signal,
      onProgress: (e) => {
        if (e.epoch === 14) ctl.abort();
      },
    });
    expect(first.stopReason).toBe('aborted');
    expect(first.epochs).toBe(15);
    const snap = gpu.snapshot();
    expect(snap.params).toBeAllclose(gpu.params, { rtol: 0, atol: 0 });
    expect(snap.position.epoch).toBe(15);
    expect(snap.optimizer.state.count).toBe(0); // the device's moments are not in it
    // loss read back every progressEvery epochs, NaN in between
    expect(Number.isNaN(first.history.loss[13]!)).toBe(true);
    expect(Number.isFinite(first.history.loss[14]!)).toBe(true);
    const r = await gpu.run();
    expect(r.stopReason).toBe('epochs');
    const whole = await createTrainer(
      model(),
      { x, y },
      {
        ...opts(),
        progressEvery: 5,
        backend: fakeBackend(newLog()),
      },
    ).run();
    expect(r.params).toBeAllclose(whole.params, { rtol: 0, atol: 0 });
    // a snapshot restores on the CPU (the moments restart there)
    const cpu = restoreTrainer(snap, { x, y });
    expect(cpu.epoch).toBe(15);
    cpu.runEpochs(1);
    expect(cpu.params.every(Number.isFinite)).toBe(true);
  });

  it('recordGradNorms: per-layer mean batch gradient norms of each epoch, as the CPU f64 trainer', async () => {
    const opts = () =>
      ({
        epochs: 6,
        batch: 16,
        optimizer: adam(0.01),
        loss: 'sse',
        key: 7,
        recordGradNorms: true,
        progressEvery: 3, // gradient norms read back every epoch all the same
      }) as const;
    const log = newLog();
    const gpu = createTrainer(model(), { x, y }, { ...opts(), backend: fakeBackend(log) });
    expect(log.requests.length).toBe(0);
    await gpu.run({ epochs: 2 });
    const r = await gpu.run();
    expect(log.requests[0]!.gradNorms).toBe(true);
    const cpu = createTrainer(model(), { x, y }, opts());
    cpu.runEpochs(6);
    const c = cpu.result();
    expect(r.history.gradNorms.length).toBe(6);
    expect(r.history.gradNorms[0]!.length).toBe(3); // three layers
    console.log(
      `gradient norms, fake GPU vs CPU f64: max rel ${maxRel(
        r.history.gradNorms.flatMap((g) => Array.from(g)),
        c.history.gradNorms.flatMap((g) => Array.from(g)),
      )}`,
    );
    for (let e = 0; e < 6; e++) {
      // float32 gradients vs float64 after up to 24 Adam steps: rtol 1e-3
      expect(r.history.gradNorms[e]!).toBeAllclose(c.history.gradNorms[e]!, {
        rtol: 1e-3,
        atol: 1e-6,
      });
    }
    // the loss is read back every epoch too (one-epoch chunks)
    expect(r.history.loss.every(Number.isFinite)).toBe(true);
    expect(gpu.snapshot().position.normSums).not.toBeNull();
    // fit on WebGPU records them too
    const f = await fitModel(model(), { x, y }, { ...opts(), backend: fakeBackend(newLog()) });
    expect(f.history.gradNorms).toEqual(r.history.gradNorms);
  });

  it('recordGradNorms with a device trainer that cannot read gradient norms: a named error', async () => {
    const backend = fakeBackend(newLog());
    const bare: WebGpuBackend = {
      kind: 'webgpu',
      createTrainer: async (spec, params, o) => {
        const { readGradNormSums: _, ...rest } = await backend.createTrainer(spec, params, o);
        return rest as GpuMlpTrainerLike;
      },
    };
    const gpu = createTrainer(
      model(),
      { x, y },
      { epochs: 2, recordGradNorms: true, backend: bare },
    );
    await expect(gpu.run()).rejects.toThrow(
      'createTrainer: the GPU trainer has no readGradNormSums, which options.recordGradNorms needs',
    );
  });

  it('dispose() during run(): the run stops with a named error and the device trainer is released once', async () => {
    const log = newLog();
    const gpu = createTrainer(model(), { x, y }, { epochs: 50, backend: fakeBackend(log) });
    const running = gpu.run();
    gpu.dispose(); // while the device trainer is still being created
    await expect(running).rejects.toThrow('run: the trainer was disposed');
    expect(log.disposed).toBe(1);
    expect(gpu.epoch).toBe(0);
  });
});
