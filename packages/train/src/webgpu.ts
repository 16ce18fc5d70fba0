/**
 * `fit(model, data, { backend: { kind: 'webgpu', createTrainer } })`: MLP training on a GPU-resident
 * trainer that the caller injects, so that this package needs no dependency on `@annlab/gpu`.
 *
 * The factory is `@annlab/gpu`'s `createGpuMlpTrainer` with its `gpu` bound:
 *
 * ```ts
 * import { createGpuMlpTrainer, requestGpu } from '@annlab/gpu';
 * const gpu = await requestGpu();
 * const backend = {
 *   kind: 'webgpu',
 *   createTrainer: (spec, params, opts) => createGpuMlpTrainer(gpu, spec, params, opts),
 * } as const;
 * const { model } = await fit(mlp, { x, y }, { epochs: 1000, optimizer: adam(0.01), backend });
 * ```
 *
 * Steps of a WebGPU run (after `fit`'s validation, split-free normalisation and batch plan):
 * 1. Map the options onto the trainer's: `sgd(η)` → `{ name: 'sgd', lr }`, `sgd(η, { momentum: β })`
 *    and `momentum(η, { beta: β })` → `{ name: 'momentum', lr, momentum: β }`, `adam(η, …)` →
 *    `{ name: 'adam', lr, beta1, beta2, eps }` (constant η only); the batch size; the epoch order.
 * 2. Create the trainer with the (normalised) data as float32 and the initial parameters.
 * 3. Run `progressEvery` epochs per submission; after each, read back the loss of the last batch
 *    and the parameters, check both are finite, record the history and report progress.
 * 4. Read the final parameters and dispose of the trainer (also on errors).
 */
import type { ActivationSpec, LossName } from '@annlab/core';
import type { BatchPlan } from './batches.js';
import { DivergenceError, TrainError } from './errors.js';
import type { OptimizerConfig } from './optimizers/index.js';
import type { AdapterFacts } from './parallel/choose.js';

/** The network as the trainer sees it (core's `MlpSpec`; `@annlab/gpu`'s `GpuMlpSpec`). */
export interface GpuTrainerSpec {
  readonly sizes: readonly number[];
  readonly activations: readonly ActivationSpec[];
}

/** The optimizers a GPU trainer runs (`@annlab/gpu`'s `GpuOptimizerSpec`). */
export type GpuOptimizerRequest =
  | { name: 'sgd'; lr: number }
  | { name: 'momentum'; lr: number; momentum: number }
  | { name: 'adam'; lr: number; beta1: number; beta2: number; eps: number };

/** The losses a GPU trainer computes, with core's conventions (`@annlab/gpu`'s `GpuLossName`). */
export type GpuLossRequest = 'halfSquaredError' | 'mse' | 'sse' | 'bceWithLogits';

/** Options `fit` passes to the factory (a subset of `@annlab/gpu`'s `GpuMlpTrainerOptions`). */
export interface GpuTrainerRequest {
  optimizer: GpuOptimizerRequest;
  loss: GpuLossRequest;
  /** The (normalised) training data, row-major, as float32. */
  data: { x: Float32Array; y: Float32Array };
  /** Rows per step (n for full batch); the last batch of an epoch may be smaller. */
  batchSize: number;
  /** The sample order of each epoch (mini-batches with shuffling only). */
  order?: (epoch: number) => ArrayLike<number>;
}

/** What `fit` needs of a GPU trainer (`@annlab/gpu`'s `GpuMlpTrainer` has all of it). */
export interface GpuMlpTrainerLike {
  /** Batches per epoch (must equal `fit`'s batch plan). */
  readonly batchesPerEpoch: number;
  /** Runs k training steps. */
  step(k?: number): Promise<void>;
  /** The loss of the last step's batch, before that step's update. */
  readLoss(): Promise<number>;
  /** The parameters in core's flat layout. */
  readParams(): Promise<Float32Array>;
  /** Releases the trainer's GPU buffers. */
  dispose(): void;
}

/** Creates a trainer; `(spec, params, opts) => createGpuMlpTrainer(gpu, spec, params, opts)`. */
export type GpuMlpTrainerFactory = (
  spec: GpuTrainerSpec,
  params: Float64Array,
  options: GpuTrainerRequest,
) => Promise<GpuMlpTrainerLike>;

/** `fit`'s `backend` option for GPU training of MLPs. */
export interface WebGpuBackend {
  readonly kind: 'webgpu';
  readonly createTrainer: GpuMlpTrainerFactory;
}

/**
 * `fit`'s `backend` option that lets annlab choose: `{ kind: 'auto', webgpu, adapter }` picks the
 * CPU (with threads where the batch pays) or `webgpu` for the network and batch at hand, from
 * measured thresholds (`chooseBackend`); `result.compute` says which ran and why. Without `webgpu`
 * (or as the string `'auto'`) only the CPU is considered. Where WebGPU would be picked but its
 * trainer cannot run these options (e.g. `validation`, `dtype: 'float64'`), the CPU runs and
 * `compute.notes` says why. With this object `fit` returns a promise.
 *
 * @example
 * ```ts
 * const gpu = await requestGpu();
 * const backend = {
 *   kind: 'auto',
 *   webgpu: { kind: 'webgpu', createTrainer: (s, p, o) => createGpuMlpTrainer(gpu, s, p, o) },
 *   adapter: { isFallbackAdapter: gpu.adapterInfo.isFallbackAdapter },
 * } as const;
 * const r = await fit(net, { x, y }, { epochs: 100, optimizer: sgd(0.1), backend });
 * r.compute.notes; // ["backend 'auto': CPU, 2 threads: the WebGPU adapter … is a software emulation …"]
 * ```
 */
export interface AutoBackend {
  readonly kind: 'auto';
  /** The WebGPU backend to use if it is chosen; absent: the CPU only. */
  readonly webgpu?: WebGpuBackend;
  /** What is known of its adapter (absent or null: treated as no adapter). */
  readonly adapter?: AdapterFacts | null;
}

/**
 * Why the WebGPU trainer cannot run a configuration: the option, its value and what it must be;
 * null when it can.
 */
export function webGpuBlocker(c: {
  readonly optimizer: OptimizerConfig | undefined;
  readonly loss: LossName;
  readonly validation: unknown;
  readonly earlyStopping: unknown;
  readonly recordGradNorms: boolean;
  readonly dropLast: boolean;
}): { arg: string; value: unknown; expectation: string } | null {
  const optimizer = gpuOptimizer(c.optimizer);
  if (typeof optimizer === 'string') {
    return {
      arg: 'optimizer',
      value: optimizer,
      expectation: 'sgd(η), sgd(η, { momentum }), momentum(η) or adam(η, …) with a constant η',
    };
  }
  if (!isGpuLoss(c.loss)) {
    return {
      arg: 'loss',
      value: c.loss,
      expectation: "'halfSquaredError', 'mse', 'sse' or 'bceWithLogits'",
    };
  }
  if (c.validation !== undefined)
    return { arg: 'validation', value: c.validation, expectation: 'absent' };
  if (c.earlyStopping !== undefined)
    return { arg: 'earlyStopping', value: c.earlyStopping, expectation: 'absent' };
  if (c.recordGradNorms) return { arg: 'recordGradNorms', value: true, expectation: 'false' };
  if (c.dropLast) return { arg: 'dropLast', value: true, expectation: 'false' };
  return null;
}

/** Losses with a GPU kernel. */
const GPU_LOSSES: readonly LossName[] = ['halfSquaredError', 'mse', 'sse', 'bceWithLogits'];

/**
 * The GPU optimizer of an optimizer's config, or a reason why there is none (for the error).
 */
export function gpuOptimizer(c: OptimizerConfig | undefined): GpuOptimizerRequest | string {
  const name = c?.name;
  const lr = c?.learningRate;
  if (name !== 'sgd' && name !== 'momentum' && name !== 'adam') {
    return `an optimizer without a GPU kernel (${String(name)})`;
  }
  if (typeof lr !== 'number') return `${name} with a learning-rate schedule`;
  if (name === 'adam') {
    const { b1, b2, eps } = c as { b1?: unknown; b2?: unknown; eps?: unknown };
    if (typeof b1 !== 'number' || typeof b2 !== 'number' || typeof eps !== 'number') {
      return 'adam without b1, b2 and eps in its config';
    }
    return { name: 'adam', lr, beta1: b1, beta2: b2, eps };
  }
  if (c?.nesterov === true) return `${name} with Nesterov momentum`;
  const beta = name === 'sgd' ? c?.momentum : c?.beta;
  if (typeof beta !== 'number') return `${name} without its momentum in the config`;
  return beta === 0 ? { name: 'sgd', lr } : { name: 'momentum', lr, momentum: beta };
}

/** Checks that a loss has a GPU kernel. */
export function isGpuLoss(loss: LossName): loss is GpuLossRequest {
  return GPU_LOSSES.includes(loss);
}

/** Everything a WebGPU run needs from `fit`'s preparation. */
export interface WebGpuRun {
  readonly spec: GpuTrainerSpec;
  /** Initial parameters (float64; the trainer rounds them). */
  readonly params: Float64Array;
  readonly optimizer: GpuOptimizerRequest;
  readonly loss: GpuLossRequest;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly plan: BatchPlan;
  readonly epochs: number;
  readonly every: number;
  readonly signal: AbortSignal | undefined;
  /** Called after each read-back: epoch (0-based), loss, parameters read back, updates. */
  readonly report: (epoch: number, loss: number, params: Float64Array, updates: number) => void;
}

/** What a WebGPU run returns to `fit`. */
export interface WebGpuOutcome {
  readonly params: Float64Array;
  readonly epochs: number;
  readonly updates: number;
  readonly aborted: boolean;
}

const isMeanLoss = (l: GpuLossRequest) => l === 'mse' || l === 'bceWithLogits';

/** Steps 2–4 of the module comment. */
export async function runWebGpu(
  factory: GpuMlpTrainerFactory,
  r: WebGpuRun,
): Promise<WebGpuOutcome> {
  const { plan } = r;
  const n = plan.n;
  const mini = plan.batchSize < n;
  const request: GpuTrainerRequest = {
    optimizer: r.optimizer,
    loss: r.loss,
    data: { x: Float32Array.from(r.x), y: Float32Array.from(r.y) },
    batchSize: plan.batchSize,
    ...(mini && plan.shuffle !== 'none' ? { order: (e: number) => plan.order(e) } : {}),
  };
  const trainer = await factory(r.spec, r.params.slice(), request);
  try {
    const nb = plan.batchesPerEpoch;
    if (trainer.batchesPerEpoch !== nb) {
      throw new TrainError(
        `fit: the GPU trainer runs ${trainer.batchesPerEpoch} batches per epoch, fit's batch plan ${nb}`,
      );
    }
    // The last batch's loss, as an estimate of the epoch loss in fit's units: means as they are,
    // sums scaled from the last batch's rows to the whole training set.
    const lastRows = n - (nb - 1) * plan.batchSize;
    const scale = isMeanLoss(r.loss) ? 1 : n / lastRows;
    let lastGood = r.params.slice();
    let done = 0;
    let updates = 0;
    while (done < r.epochs) {
      if (r.signal?.aborted) return { params: lastGood, epochs: done, updates, aborted: true };
      const next = Math.min(r.epochs, (Math.floor(done / r.every) + 1) * r.every);
      await trainer.step((next - done) * nb);
      updates += (next - done) * nb;
      const loss = (await trainer.readLoss()) * scale;
      const params = Float64Array.from(await trainer.readParams());
      let check = loss - loss;
      for (let k = 0; k < params.length; k++) check += params[k]! * 0;
      if (check !== 0) {
        throw new DivergenceError(
          `fit: training diverged on the GPU between epochs ${done} and ${next - 1} (the loss is ${loss}${
            Number.isFinite(loss) ? ', the parameters are not finite' : ''
          }); lastGoodParams holds ${
            done === 0
              ? 'the initial parameters'
              : `the parameters read back after epoch ${done - 1}`
          }`,
          lastGood,
          done,
          updates - (next - done) * nb,
        );
      }
      lastGood = params;
      done = next;
      r.report(done - 1, loss, params, updates);
    }
    return { params: lastGood, epochs: done, updates, aborted: false };
  } finally {
    trainer.dispose();
  }
}
