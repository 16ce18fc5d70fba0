/**
 * annlab's entries: W1–W4 through the public `fit` of @annlab/train, W5 through @annlab/gpu.
 *
 * The timed region is one `fit` call from the initial model (validation and the copy it returns
 * included: that is what users pay). The bench's data layout is mapped onto annlab's: chain
 * `[w, b]` → `chainParams(w, b)`; MLP weights [in, out] → annlab's flat `W (out×in), b` per layer.
 * An API that has not landed is reported as "not available" instead of failing the run.
 */
import * as core from '@annlab/core';
import * as gpuApi from '@annlab/gpu';
import * as train from '@annlab/train';
import type { ChainProblem, MlpProblem } from './data.js';
import { handChainOrdersTrainer, sequenceTrainer } from './hand/chain.js';
import type { Trainer } from './harness.js';
import { setupWebGpu } from './webgpu.js';
import type { Impl } from './workloads/types.js';

/** One chain problem trained by `fit(…, { batch: 'sgd', learningRate, shuffle: epoch → order })`. */
function chainFitTrainer(p: ChainProblem): Trainer {
  const model: train.ChainModel = { kind: 'chain', params: core.chainParams(p.init[0], p.init[1]) };
  const data = { x: p.x, y: p.y };
  let trained: train.ChainModel = model;
  return {
    reset() {
      trained = model;
    },
    train(epochs) {
      trained = train.fit(model, data, {
        epochs,
        batch: 'sgd',
        learningRate: p.lr,
        shuffle: (e: number) => p.orders[e]!,
      }).model;
    },
    params: () => [trained.params.w.slice(), trained.params.b.slice()],
  };
}

/** W1/W2 through @annlab/train's `fit` (per-sample SGD on chains); W2 = three fits in sequence. */
export function annlabChainImpl(problems: ChainProblem[]): Impl {
  return {
    library: 'annlab',
    backend: 'CPU f64 (fit)',
    create: async () =>
      problems.length === 1
        ? chainFitTrainer(problems[0]!)
        : sequenceTrainer(problems.map(chainFitTrainer)),
  };
}

/** One chain problem trained by `fit` with its defaults: no `shuffle` option (keyed orders). */
function chainFitDefaultsTrainer(p: ChainProblem): Trainer {
  const model: train.ChainModel = { kind: 'chain', params: core.chainParams(p.init[0], p.init[1]) };
  const data = { x: p.x, y: p.y };
  let trained: train.ChainModel = model;
  return {
    reset() {
      trained = model;
    },
    train(epochs) {
      trained = train.fit(model, data, { epochs, batch: 'sgd', learningRate: p.lr }).model;
    },
    params: () => [trained.params.w.slice(), trained.params.b.slice()],
  };
}

/**
 * W1/W2 "fit defaults": `fit` with no `shuffle` option, as users run it. Its loss is checked against
 * the hand-written loop on fit's default orders, `permutation(foldIn(key(0), e), n)`.
 */
export function annlabChainDefaultsImpl(problems: ChainProblem[]): Impl {
  const k = core.key(0);
  const ref = (p: ChainProblem) =>
    handChainOrdersTrainer(p, (e) => core.permutation(core.foldIn(k, e), p.x.length));
  return {
    library: 'annlab',
    backend: 'CPU f64 (fit defaults: keyed shuffle each epoch)',
    create: async () =>
      problems.length === 1
        ? chainFitDefaultsTrainer(problems[0]!)
        : sequenceTrainer(problems.map(chainFitDefaultsTrainer)),
    reference: () =>
      problems.length === 1 ? ref(problems[0]!) : sequenceTrainer(problems.map(ref)),
  };
}

/** The bench's `[W (in×out), b, …]` as annlab's flat `W (out×in), b` per layer. */
export function toAnnlabMlpParams(p: MlpProblem): Float64Array {
  const size = p.init.reduce((s, t) => s + t.length, 0);
  const flat = new Float64Array(size);
  let off = 0;
  for (let l = 0; l + 1 < p.sizes.length; l++) {
    const nin = p.sizes[l]!;
    const nout = p.sizes[l + 1]!;
    const W = p.init[2 * l]!;
    for (let o = 0; o < nout; o++) {
      for (let i = 0; i < nin; i++) flat[off + o * nin + i] = W[i * nout + o]!;
    }
    off += nin * nout;
    flat.set(p.init[2 * l + 1]!, off);
    off += nout;
  }
  return flat;
}

/** annlab's flat MLP parameters back in the bench's layout. */
export function fromAnnlabMlpParams(p: MlpProblem, flat: ArrayLike<number>): Float64Array[] {
  const out: Float64Array[] = [];
  let off = 0;
  for (let l = 0; l + 1 < p.sizes.length; l++) {
    const nin = p.sizes[l]!;
    const nout = p.sizes[l + 1]!;
    const W = new Float64Array(nin * nout);
    for (let o = 0; o < nout; o++) {
      for (let i = 0; i < nin; i++) W[i * nout + o] = flat[off + o * nin + i]!;
    }
    off += nin * nout;
    out.push(
      W,
      Float64Array.from({ length: nout }, (_, j) => flat[off + j]!),
    );
    off += nout;
  }
  return out;
}

/** The annlab spec of a bench MLP problem. */
export function annlabSpec(p: MlpProblem): core.MlpSpec {
  const act = (a: MlpProblem['hidden']): core.ActivationSpec =>
    a === 'gelu' ? { name: 'gelu', approximate: 'none' } : a;
  return core.mlpSpec(p.sizes, act(p.hidden), act(p.output));
}

/**
 * W3/W4/W5 through @annlab/train's `fit` (full batch with Adam, or mini-batch SGD), in float64 or
 * with `dtype: 'float32'` (the f32x4 WebAssembly kernel, `denseF32Kernel()` names the variant).
 */
export function annlabMlpImpl(p: MlpProblem, _id: string, dtype: core.MlpDtype = 'float64'): Impl {
  return {
    library: 'annlab',
    backend: dtype === 'float64' ? 'CPU f64 (fit)' : `CPU f32 (fit, wasm ${core.denseF32Kernel()})`,
    async create() {
      const spec = annlabSpec(p);
      const model: train.MlpModel = { kind: 'mlp', spec, params: toAnnlabMlpParams(p) };
      const nin = p.sizes[0]!;
      const nout = p.sizes[p.sizes.length - 1]!;
      const data = {
        x: core.matrix(p.rows, nin, p.x.slice()),
        y: core.matrix(p.rows, nout, p.y.slice()),
      };
      const o = p.optimizer;
      const batch = p.batch;
      let trained: train.MlpModel = model;
      return {
        reset() {
          trained = model;
        },
        train(epochs) {
          const optimizer =
            o.kind === 'adam'
              ? train.adam(o.lr, { b1: o.b1, b2: o.b2, eps: o.eps })
              : train.sgd(o.lr);
          trained = train.fit(model, data, {
            epochs,
            optimizer,
            batch: batch ? batch.size : 'full',
            ...(batch ? { shuffle: (e: number) => batch.orders[e]! } : {}),
            loss: p.loss,
            ...(dtype === 'float32' ? { dtype } : {}),
          }).model;
        },
        params: () => fromAnnlabMlpParams(p, trained.params),
      };
    },
  };
}

/**
 * Full-batch SGD on every core through @annlab/train's `createGradientPool` (float32 passes in the
 * f32x4 kernel, float64 parameters), `threads` threads including the calling one. The update
 * p ← p − η·g is the same as `fit`'s SGD step.
 */
export function annlabThreadsImpl(p: MlpProblem, threads: number): Impl {
  return {
    library: 'annlab',
    backend: `CPU f32, ${threads} threads (createGradientPool, wasm ${core.denseF32Kernel()})`,
    async create() {
      if (p.optimizer.kind !== 'sgd' || p.batch) return 'only full-batch SGD is wired here';
      const spec = annlabSpec(p);
      const init = toAnnlabMlpParams(p);
      const pool = await train.createGradientPool({
        spec,
        dtype: 'float32',
        loss: p.loss,
        maxBatch: p.rows,
        threads,
      });
      pool.x.set(p.x);
      pool.y.set(p.y);
      const params = init.slice();
      const g = new Float64Array(params.length);
      const lr = p.optimizer.lr;
      return {
        reset() {
          params.set(init);
        },
        async train(epochs) {
          for (let e = 0; e < epochs; e++) {
            pool.params.set(params);
            await pool.step(p.rows, g);
            for (let k = 0; k < params.length; k++) params[k] = params[k]! - lr * g[k]!;
          }
        },
        params: () => fromAnnlabMlpParams(p, params),
        dispose: () => pool.close(),
      };
    },
  };
}

const annlabGpus = new Map<boolean, Promise<gpuApi.Gpu | string>>();

/**
 * annlab's device on the Dawn adapter the peers use (one per waiting mode, created once), or why
 * there is none. `polling: true` turns `sleepWhileWaiting` off, so annlab waits for the GPU as the
 * peers do (Dawn's binding polling on the main thread), for a like-for-like comparison.
 */
export function getAnnlabGpu(polling = false): Promise<gpuApi.Gpu | string> {
  let g = annlabGpus.get(polling);
  if (!g) {
    g = (async () => {
      const { info, reason } = await setupWebGpu();
      if (!info) return reason;
      try {
        return await gpuApi.requestGpu({ gpu: navigator.gpu, sleepWhileWaiting: !polling });
      } catch (e) {
        return `@annlab/gpu requestGpu failed: ${(e as Error).message}`;
      }
    })();
    annlabGpus.set(polling, g);
  }
  return g;
}

/**
 * W5 through @annlab/gpu's `createGpuMlpTrainer` (parameters and data stay on the GPU); with
 * `polling`, on a device that polls while waiting like the peers.
 */
export function annlabGpuMlpImpl(p: MlpProblem, polling = false): Impl {
  return {
    library: 'annlab',
    backend: polling
      ? 'webgpu f32 (createGpuMlpTrainer, polling while waiting)'
      : 'webgpu f32 (createGpuMlpTrainer)',
    async create() {
      const gpu = await getAnnlabGpu(polling);
      if (typeof gpu === 'string') return gpu;
      if (p.optimizer.kind !== 'sgd' || p.batch) return 'only full-batch SGD is wired here';
      const spec = annlabSpec(p);
      const flat = toAnnlabMlpParams(p);
      const options: gpuApi.GpuMlpTrainerOptions = {
        optimizer: { name: 'sgd', learningRate: p.optimizer.lr },
        loss: p.loss,
        data: { x: p.x, y: p.y },
      };
      let trainer = await gpuApi.createGpuMlpTrainer(gpu, spec, flat, options);
      return {
        async reset() {
          trainer.dispose();
          trainer = await gpuApi.createGpuMlpTrainer(gpu, spec, flat, options);
        },
        async train(epochs) {
          await trainer.step(epochs);
        },
        params: async () => fromAnnlabMlpParams(p, await trainer.readParams()),
        dispose() {
          trainer.dispose();
        },
      };
    },
  };
}
