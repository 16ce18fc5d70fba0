/** The public types of `fit`, `fitAsync` and the trainer. */
import type { ChainGradientMethod, Key, LossName, MlpDtype } from '@annlab/core';
import type { BatchMode, Shuffle } from '../batches.js';
import type { Dataset } from '../data.js';
import type { Model } from '../model.js';
import type { GradientTransformation } from '../optimizers/index.js';
import type { AutoBackend, WebGpuBackend } from '../webgpu.js';

/** Scaling of the inputs in `normalize`: see {@link FitOptions.normalize}. */
export type InputScaling = 'standard' | 'minmax' | 'none';
/** Scaling of the targets in `normalize`: see {@link FitOptions.normalize}. */
export type TargetScaling = 'auto' | 'standard' | 'minmax' | 'none';
/** The `normalize` option of {@link fit}. */
export type NormalizeOption = boolean | { x?: boolean | InputScaling; y?: boolean | TargetScaling };

/** Why `fit` returned. */
export type StopReason = 'epochs' | 'earlyStopping' | 'aborted';

/** Early stopping on the validation loss (or the training loss without validation). */
export interface EarlyStoppingOptions {
  /** Epochs without improvement before stopping (integer ≥ 1). */
  patience: number;
  /** An improvement must lower the best loss by more than this (default 0). */
  minDelta?: number;
  /**
   * Return the parameters of the epoch with the best validation loss instead of the last (default
   * true with `validation`, false without; `true` without `validation` is an error).
   */
  restoreBest?: boolean;
}

/** Passed to `onProgress` every `progressEvery` epochs and after the last one. */
export interface ProgressEvent {
  /** The epoch just finished (0-based). */
  readonly epoch: number;
  /** Epochs requested. */
  readonly epochs: number;
  /** Training loss of that epoch. */
  readonly loss: number;
  /** Validation loss (NaN without validation). */
  readonly valLoss: number;
  /** The live parameters (copy them to keep them: training continues in this buffer). */
  readonly params: Float64Array;
  /** Mean per-layer gradient norms of the epoch (with `recordGradNorms`), else undefined. */
  readonly gradNorms: Float64Array | undefined;
  /** Updates so far. */
  readonly updates: number;
  /** Milliseconds since training started. */
  readonly elapsedMs: number;
  /** What the run computes on and why (threads used, clamped or not used), as in the result. */
  readonly compute?: ComputeReport;
}

/** What a run computes on, and why: reported with every progress event and in the result. */
export interface ComputeReport {
  /** `'cpu'` or `'webgpu'`. */
  readonly backend: 'cpu' | 'webgpu';
  /**
   * The dense kernels: `'float64'`, `'float32 WebAssembly relaxed-simd'` (fused multiply-add),
   * `'float32 WebAssembly simd'`, `'float32 JS'` (no WebAssembly SIMD), or `'webgpu'`.
   */
  readonly kernel: string;
  /** Threads computing gradients (1: the calling thread only). */
  readonly threads: number;
  /**
   * Why the thread count differs from the request, if it does: clamped to the cores, shared memory
   * unavailable (no cross-origin isolation), the batch below the size where threads pay.
   */
  readonly notes: readonly string[];
}

/** Options of {@link fit}. */
export interface FitOptions {
  /** Number of epochs (integer ≥ 1). */
  epochs: number;
  /** The optimizer (default `sgd(learningRate)`). */
  optimizer?: GradientTransformation;
  /** Learning rate of the default SGD optimizer (default 0.01); not allowed with `optimizer`. */
  learningRate?: number;
  /** `'full'` (default), `'sgd'` (one sample per update) or a mini-batch size. */
  batch?: BatchMode;
  /**
   * `'epoch'` (default): a new order each epoch; `'fixed'`: one order reused; `'none'`; or a
   * function returning epoch e's order (a permutation of the training samples).
   */
  shuffle?: Shuffle;
  /** Drop the last short batch of each epoch (default false). */
  dropLast?: boolean;
  /**
   * Key of the shuffles and the validation split (a key or an integer seed; default `key(0)`).
   * Epoch e uses `permutation(foldIn(key, e), n)`; see `batchPlan`.
   */
  key?: Key | number;
  /**
   * MLP only: the loss (default `'mse'`); see core's `loss` for the conventions (`'sse'` and
   * `'halfSquaredError'` sum over the batch, `'mse'` and `'bceWithLogits'` average;
   * `'softmaxCrossEntropy'` averages over samples, with `y` one integer label per sample or one
   * probability row per sample). The chain always
   * trains on ½(ŷ − y)² averaged over the batch.
   */
  loss?: LossName;
  /**
   * MLP only: L1 penalty rate on the weights (not the biases): the objective gains l1·Σ|w| and the
   * gradient l1·sign(w) at every update. Default 0. `history.loss` stays the data loss.
   */
  l1?: number;
  /**
   * MLP only: L2 penalty rate on the weights (not the biases): the objective gains l2·Σw² and the
   * gradient 2·l2·w at every update (Keras's `l2(λ)`). Default 0.
   */
  l2?: number;
  /** Chain only: how gradients are computed (default `'backprop'`); all give the same trajectory. */
  gradientMethod?: ChainGradientMethod;
  /**
   * Scale inputs (`x`) and/or targets (`y`), fitted on the training data, stored with the model and
   * inverted by `predict` (default false: none). `true` means `{ x: 'standard', y: 'auto' }`;
   * `{ x: true }` means `'standard'`, `{ y: true }` means `'auto'`. `'auto'` picks the target scaling
   * from the output activation so that every scaled target is reachable ({@link autoTargetScaling}:
   * min-max onto [0, 1] for GELU, ReLU, softplus, ELU outputs; standardisation for identity).
   * `'minmax'` maps each column's [min, max] onto [0, 1].
   */
  normalize?: NormalizeOption;
  /**
   * A validation set: a fraction of the data split off with the key
   * (`permutation(foldIn(key, 2³² − 1), n)`, first ⌈fraction·n⌉ samples), or a separate dataset.
   */
  validation?: { fraction: number } | Dataset;
  earlyStopping?: EarlyStoppingOptions;
  /** Record the mean per-layer gradient norm of each epoch (default false; costs a little). */
  recordGradNorms?: boolean;
  onProgress?: (event: ProgressEvent) => void;
  /** Report progress every k epochs (default 1). */
  progressEvery?: number;
  /**
   * Stops training with `stopReason: 'aborted'`: `fit` checks it at each epoch boundary (a
   * synchronous `fit` cannot see a timer fire; use {@link fitAsync}), `fitAsync` and `run` also at
   * each yield to the event loop.
   */
  signal?: AbortSignal;
  /**
   * MLP only: `'float64'` (default) or `'float32'`: forward and backward passes in float32 (core's
   * float32 dense kernels, the GPU's precision), with float64 master parameters and optimizer state.
   * The trained model holds the float64 master parameters.
   */
  dtype?: MlpDtype;
  /**
   * `'cpu'` (default), `'auto'`, or `{ kind: 'webgpu', createTrainer }` to train an MLP on a GPU
   * (see {@link WebGpuBackend}) or `{ kind: 'auto', webgpu, adapter }` (see {@link AutoBackend});
   * with an object `fit` returns a promise. `'auto'` picks the thread count (MLP) from the measured
   * threshold (`chooseBackend`, CPU only); `result.compute.notes` says what it picked and why.
   */
  backend?: 'cpu' | 'auto';
  /**
   * MLP on the CPU only: threads computing each batch's gradient together (default 1), the calling
   * thread included: `worker_threads` over `SharedArrayBuffer` memory. Used only where the batch is
   * large enough to pay ({@link parallelPays}, e.g. W5's 4096 rows of 2→256→256→256→1), and only
   * under Node (a browser page cannot block for its workers); results are bit-identical for any
   * thread count. An integer ≥ 1; above the core count it is clamped. `result.compute` and every
   * progress event say how many ran and why.
   */
  threads?: number;
}

/**
 * Options of {@link fit} on a GPU: as {@link FitOptions}, with `backend: { kind: 'webgpu', … }`.
 * Supported: `sgd(η)`, `sgd(η, { momentum })`, `momentum(η)` and `adam(η, …)`, η a number or a
 * schedule (the trainer's rate is set before each run of updates that share a rate); full batch
 * and mini-batches (shuffled per `shuffle` and `key`); the losses `'halfSquaredError'`, `'mse'`,
 * `'sse'` and `'bceWithLogits'`; `normalize`; `validation` (its loss computed on the CPU in
 * float64 from the parameters read back); `earlyStopping`; `recordGradNorms` (the device sums each
 * step's per-layer norms; read back every epoch); `onProgress`; `signal`. Not supported (a
 * `ValidationError` names the option): other optimizers, `dropLast`, `dtype: 'float64'`.
 *
 * The loss and parameters are read back every `progressEvery` epochs (every epoch with validation
 * or early stopping) and after the last: `history.loss` and `history.time` hold NaN for the epochs
 * in between; the loss read back is the last batch's (full batch: the epoch's loss, as on the CPU;
 * mini-batches: the last batch's loss, scaled to the whole training set for the summed losses).
 * `signal` is checked at those points too, and a `DivergenceError` carries the parameters read
 * back at the previous point.
 */
export interface WebGpuFitOptions extends Omit<FitOptions, 'backend'> {
  backend: WebGpuBackend | AutoBackend;
}

/** Per-epoch records, columnar (index = epoch). */
export interface History {
  /** Training loss of each epoch (mean over the epoch's samples, measured during the epoch). */
  readonly loss: Float64Array;
  /** Validation loss at the end of each epoch (empty without validation). */
  readonly valLoss: Float64Array;
  /** Mean per-layer gradient norms of each epoch (empty unless `recordGradNorms`). */
  readonly gradNorms: Float64Array[];
  /** Milliseconds since the start, at the end of each epoch. */
  readonly time: Float64Array;
  /** Updates made by the end of each epoch. */
  readonly updates: Float64Array;
  /** Total wall time of the training loop in milliseconds. */
  readonly wallTimeMs: number;
}

/** What {@link fit} returns. */
export interface FitResult<M extends Model = Model> {
  /** The trained model (a new object; the input is unchanged), with normalisation and record. */
  readonly model: M;
  /** Its flat parameters (`model.params.data` for the chain). */
  readonly params: Float64Array;
  readonly history: History;
  readonly stopReason: StopReason;
  /** Epochs completed. */
  readonly epochs: number;
  /** Epoch of the best monitored loss (0-based). */
  readonly bestEpoch: number;
  /** Updates per epoch. */
  readonly stepsPerEpoch: number;
  /** What the run computed on, and why (threads used or not, kernel). */
  readonly compute: ComputeReport;
}

/** Options of {@link createTrainer}: the same as {@link FitOptions}. */
export type TrainerOptions = FitOptions;
