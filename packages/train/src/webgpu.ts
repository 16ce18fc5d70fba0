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
 * 1. Describe the run with the shared types of `@annlab/core` (`OptimizerSpec`, `MlpTrainerOptions`):
 *    `sgd(η)` → `{ name: 'sgd', learningRate }`, `sgd(η, { momentum: β })` and
 *    `momentum(η, { beta: β })` → `{ name: 'momentum', learningRate, momentum: β }`, `adam(η, …)` →
 *    `{ name: 'adam', learningRate, b1, b2, eps }` (constant η only); the batch size; the order.
 * 2. Create the trainer with the (normalised) data as float32 and the initial parameters.
 * 3. Run `progressEvery` epochs per submission; after each, read back the loss of the last batch
 *    and the parameters, check both are finite, record the history and report progress.
 * 4. Read the final parameters and dispose of the trainer (also on errors).
 */
import type {
  DeviceMlpTrainer,
  DeviceMlpTrainerFactory,
  LossName,
  MlpSpec,
  MlpTrainerOptions,
  OptimizerSpec,
} from '@annlab/core';
import type { BatchPlan } from './batches.js';
import { DivergenceError, TrainError } from './errors.js';
import type { OptimizerConfig } from './optimizers/index.js';

/** The network as the trainer sees it. @deprecated Use core's `MlpSpec` (the same type). */
export type GpuTrainerSpec = MlpSpec;

/** The optimizers a GPU trainer runs. @deprecated Use core's `OptimizerSpec` (the same type). */
export type GpuOptimizerRequest = OptimizerSpec;

/** The losses `fit` sends to a GPU trainer, with core's conventions. */
export type GpuLossRequest = Extract<
  LossName,
  'halfSquaredError' | 'mse' | 'sse' | 'bceWithLogits' | 'softmaxCrossEntropy'
>;

/** Options `fit` passes to the factory. @deprecated Use core's `MlpTrainerOptions` (the same type). */
export type GpuTrainerRequest = MlpTrainerOptions;

/** What `fit` needs of a GPU trainer. @deprecated Use core's `DeviceMlpTrainer` (the same type). */
export type GpuMlpTrainerLike = DeviceMlpTrainer;

/** Creates a trainer. @deprecated Use core's `DeviceMlpTrainerFactory` (the same type). */
export type GpuMlpTrainerFactory = DeviceMlpTrainerFactory;

/** `fit`'s `backend` option for GPU training of MLPs. */
export interface WebGpuBackend {
  readonly kind: 'webgpu';
  /** `(spec, params, options) => createGpuMlpTrainer(gpu, spec, params, options)`. */
  readonly createTrainer: DeviceMlpTrainerFactory;
}

/** Losses with a GPU kernel. */
const GPU_LOSSES: readonly LossName[] = [
  'halfSquaredError',
  'mse',
  'sse',
  'bceWithLogits',
  'softmaxCrossEntropy',
];

/**
 * The device optimizer of an optimizer's config (core's `OptimizerSpec`, the same field names), or
 * a reason why there is none (for the error): `sgd(η)`, `sgd(η, { momentum })`, `momentum(η)` and
 * `adam(η, …)`; with a schedule (given as `schedule`), the spec holds its first rate.
 */
export function gpuOptimizer(
  c: OptimizerConfig | undefined,
  schedule?: (step: number) => number,
): OptimizerSpec | string {
  const name = c?.name;
  const learningRate = typeof c?.learningRate === 'number' ? c.learningRate : schedule?.(0);
  if (name !== 'sgd' && name !== 'momentum' && name !== 'adam') {
    return `an optimizer without a GPU kernel (${String(name)})`;
  }
  if (typeof learningRate !== 'number') return `${name} with a learning-rate schedule`;
  if (name === 'adam') {
    const { b1, b2, eps } = c as { b1?: unknown; b2?: unknown; eps?: unknown };
    if (typeof b1 !== 'number' || typeof b2 !== 'number' || typeof eps !== 'number') {
      return 'adam without b1, b2 and eps in its config';
    }
    return { name: 'adam', learningRate, b1, b2, eps };
  }
  if (c?.nesterov === true) return `${name} with Nesterov momentum`;
  const momentum = name === 'sgd' ? c?.momentum : c?.beta;
  if (typeof momentum !== 'number') return `${name} without its momentum in the config`;
  return momentum === 0
    ? { name: 'sgd', learningRate }
    : { name: 'momentum', learningRate, momentum };
}

/** Checks that a loss has a GPU kernel. */
export function isGpuLoss(loss: LossName): loss is GpuLossRequest {
  return GPU_LOSSES.includes(loss);
}

/** Everything a WebGPU run needs from `fit`'s preparation. */
export interface WebGpuRun {
  readonly spec: MlpSpec;
  /** Initial parameters (float64; the trainer rounds them). */
  readonly params: Float64Array;
  readonly optimizer: OptimizerSpec;
  readonly loss: GpuLossRequest;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly plan: BatchPlan;
  /** L1/L2 penalty rates on the weights, or undefined. */
  readonly regularization?: { readonly l1: number; readonly l2: number } | undefined;
  readonly epochs: number;
  readonly every: number;
  readonly signal: AbortSignal | undefined;
  /** The learning rate of each update (0-based), when the optimizer has a schedule. */
  readonly schedule?: ((step: number) => number) | undefined;
  /**
   * Called after each read-back: epoch (0-based), loss, parameters read back, updates. Returning
   * true stops training there (early stopping).
   */
  readonly report: (
    epoch: number,
    loss: number,
    params: Float64Array,
    updates: number,
  ) => boolean | undefined;
}

/** What a WebGPU run returns to `fit`. */
export interface WebGpuOutcome {
  readonly params: Float64Array;
  readonly epochs: number;
  readonly updates: number;
  readonly aborted: boolean;
  /** `report` asked to stop. */
  readonly stopped: boolean;
}

const isMeanLoss = (l: GpuLossRequest) =>
  l === 'mse' || l === 'bceWithLogits' || l === 'softmaxCrossEntropy';

/**
 * Runs `k` updates from update `start`, each at `schedule(step)`: consecutive updates with the same
 * rate go in one submission, each run after `setLearningRate`.
 */
export async function stepScheduled(
  trainer: DeviceMlpTrainer,
  start: number,
  k: number,
  schedule: (step: number) => number,
): Promise<void> {
  if (typeof trainer.setLearningRate !== 'function') {
    throw new TrainError(
      'fit: the GPU trainer has no setLearningRate, which a learning-rate schedule needs',
    );
  }
  const end = start + k;
  let s = start;
  while (s < end) {
    const lr = schedule(s);
    let t = s + 1;
    while (t < end && schedule(t) === lr) t++;
    trainer.setLearningRate(lr);
    await trainer.step(t - s);
    s = t;
  }
}

/** Steps 2–4 of the module comment. */
export async function runWebGpu(
  factory: DeviceMlpTrainerFactory,
  r: WebGpuRun,
): Promise<WebGpuOutcome> {
  const { plan } = r;
  const n = plan.n;
  const mini = plan.batchSize < n;
  const request: MlpTrainerOptions = {
    optimizer: r.optimizer,
    loss: r.loss,
    data: { x: Float32Array.from(r.x), y: Float32Array.from(r.y) },
    batchSize: plan.batchSize,
    ...(r.regularization ? { regularization: { ...r.regularization } } : {}),
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
      if (r.signal?.aborted) {
        return { params: lastGood, epochs: done, updates, aborted: true, stopped: false };
      }
      const next = Math.min(r.epochs, (Math.floor(done / r.every) + 1) * r.every);
      if (r.schedule) await stepScheduled(trainer, updates, (next - done) * nb, r.schedule);
      else await trainer.step((next - done) * nb);
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
      if (r.report(done - 1, loss, params, updates) === true) {
        return { params: lastGood, epochs: done, updates, aborted: false, stopped: true };
      }
    }
    return { params: lastGood, epochs: done, updates, aborted: false, stopped: false };
  } finally {
    trainer.dispose();
  }
}
