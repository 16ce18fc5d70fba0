/**
 * The training vocabulary shared by `@annlab/train` (CPU) and `@annlab/gpu` (WebGPU), defined once
 * here so that both packages speak the same words: `'epoch'` shuffles, `learningRate` / `b1` / `b2`
 * optimizer fields, and the shape of a device-resident MLP trainer that `@annlab/train` drives
 * without depending on `@annlab/gpu`.
 */
import type { LossName } from './dense/loss.js';
import type { MlpSpec } from './dense/spec.js';

/**
 * How samples are ordered each epoch:
 * - `'epoch'`: a new keyed permutation every epoch, `permutation(foldIn(key, epoch), n)`;
 * - `'fixed'`: one permutation `permutation(key, n)` reused every epoch (the lecture's);
 * - `'none'`: the data order.
 */
export type ShuffleMode = 'epoch' | 'fixed' | 'none';

/**
 * An optimizer with a constant learning rate, as plain data (what a device trainer runs). Field
 * names follow `@annlab/train`'s optimizers: `sgd(learningRate)`, `sgd(learningRate, { momentum })`
 * and `adam(learningRate, { b1, b2, eps })`. Defaults: momentum 0.9, b1 0.9, b2 0.999, eps 1e-8.
 *
 * @example
 * ```ts
 * const spec: OptimizerSpec = { name: 'adam', learningRate: 0.01, b1: 0.9, b2: 0.999 };
 * ```
 */
export type OptimizerSpec =
  | { readonly name: 'sgd'; readonly learningRate: number }
  | { readonly name: 'momentum'; readonly learningRate: number; readonly momentum?: number }
  | {
      readonly name: 'adam';
      readonly learningRate: number;
      readonly b1?: number;
      readonly b2?: number;
      readonly eps?: number;
    };

/** The losses a device MLP trainer computes, with core's conventions (see `loss`). */
export type DeviceLossName = Extract<
  LossName,
  'halfSquaredError' | 'mse' | 'sse' | 'bceWithLogits'
>;

/** Options of a device MLP trainer (`@annlab/gpu`'s `createGpuMlpTrainer`). */
export interface MlpTrainerOptions {
  optimizer: OptimizerSpec;
  /** The loss, with core's conventions (see `loss`); a device trainer names any it lacks. */
  loss: LossName;
  /** Training data, row-major: x is n×sizes[0], y is n×sizes[L]. */
  data: { x: ArrayLike<number>; y: ArrayLike<number> };
  /** Rows per step; default all n (full batch). The last batch of an epoch may be smaller. */
  batchSize?: number;
  /**
   * The sample order of each epoch (a permutation of 0..n−1), asked for at the start of every epoch
   * when mini-batching; default the identity order.
   */
  order?: (epoch: number) => ArrayLike<number>;
  /**
   * L1/L2 penalty on the weights (not the biases): l1·sign(w) + 2·l2·w is added to each weight
   * gradient before the optimizer, the gradient of l1·Σ|w| + l2·Σw². The loss read back is the data
   * loss only. Absent: none.
   */
  regularization?: { readonly l1: number; readonly l2: number };
  /**
   * Accumulate each layer's gradient norm ‖(∂W, ∂b)‖₂ of every step (after the penalty), read
   * with `readGradNormSums`.
   */
  gradNorms?: boolean;
}

/** What `@annlab/train` needs of a device MLP trainer (`@annlab/gpu`'s `GpuMlpTrainer` has it). */
export interface DeviceMlpTrainer {
  /** Batches per epoch. */
  readonly batchesPerEpoch: number;
  /** Runs k training steps. */
  step(k?: number): Promise<void>;
  /** The loss of the last step's batch, before that step's update. */
  readLoss(): Promise<number>;
  /** The parameters in core's flat layout. */
  readParams(): Promise<Float32Array>;
  /** Changes the learning rate of later steps (a schedule). */
  setLearningRate?(learningRate: number): void;
  /**
   * With `options.gradNorms`: per layer, the sum of the steps' gradient norms since the last call
   * (which resets the sums to 0).
   */
  readGradNormSums?(): Promise<Float32Array>;
  /** Releases the trainer's device buffers. */
  dispose(): void;
}

/** Creates a device trainer: `(spec, params, options) => createGpuMlpTrainer(gpu, spec, params, options)`. */
export type DeviceMlpTrainerFactory = (
  spec: MlpSpec,
  params: Float64Array,
  options: MlpTrainerOptions,
) => Promise<DeviceMlpTrainer>;
