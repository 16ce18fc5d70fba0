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
import type { AdapterFacts } from './parallel/choose.js';

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

/**
 * `fit`'s `backend` option that lets annlab choose: `{ kind: 'auto', webgpu, adapter }` picks the
 * CPU (with threads where the batch pays) or `webgpu` for the network and batch at hand, from
 * measured thresholds (`chooseBackend`); `result.compute` says which ran and why. Without `webgpu`
 * (or as the string `'auto'`) only the CPU is considered. Where WebGPU would be picked but its
 * trainer cannot run these options (e.g. `recordGradNorms`, `dtype: 'float64'`), the CPU runs and
 * `compute.notes` says why. With this object `fit` returns a promise.
 *
 * @example
 * ```ts
 * const gpu = await requestGpu();
 * const backend = {
 *   kind: 'auto',
 *   webgpu: { kind: 'webgpu', createTrainer: (s, p, o) => createGpuMlpTrainer(gpu, s, p, o) },
 *   adapter: { isFallbackAdapter: gpu.adapter.isFallbackAdapter, description: gpu.adapter.architecture },
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
  readonly optimizer: {
    readonly config: OptimizerConfig | undefined;
    readonly learningRate?: unknown;
  };
  readonly loss: LossName;
  readonly recordGradNorms: boolean;
  readonly dropLast: boolean;
}): { arg: string; value: unknown; expectation: string } | null {
  const lr = c.optimizer.config?.learningRate;
  const schedule =
    typeof lr === 'number' || typeof c.optimizer.learningRate !== 'function'
      ? undefined
      : (c.optimizer.learningRate as (step: number) => number);
  const optimizer = gpuOptimizer(c.optimizer.config, schedule);
  if (typeof optimizer === 'string') {
    return {
      arg: 'optimizer',
      value: optimizer,
      expectation:
        'sgd(η), sgd(η, { momentum }), momentum(η) or adam(η, …) (η a number or a schedule)',
    };
  }
  if (!isGpuLoss(c.loss)) {
    return {
      arg: 'loss',
      value: c.loss,
      expectation: "'halfSquaredError', 'mse', 'sse', 'bceWithLogits' or 'softmaxCrossEntropy'",
    };
  }
  if (c.dropLast) return { arg: 'dropLast', value: true, expectation: 'false' };
  return null;
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
