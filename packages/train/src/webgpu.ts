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
 * The run itself is the WebGPU trainer (`trainer/webgpuTrainer.ts`), the same for `fit`,
 * `fitAsync` and `createTrainer`; this module maps the optimizer and loss onto the device
 * (`sgd(η)` → `{ name: 'sgd', learningRate }`, `sgd(η, { momentum: β })` and
 * `momentum(η, { beta: β })` → `{ name: 'momentum', learningRate, momentum: β }`, `adam(η, …)` →
 * `{ name: 'adam', learningRate, b1, b2, eps }`) and runs scheduled updates.
 */
import type {
  DeviceMlpTrainer,
  DeviceMlpTrainerFactory,
  LossName,
  MlpSpec,
  MlpTrainerOptions,
  OptimizerSpec,
} from '@annlab/core';
import { TrainError } from './errors.js';
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
