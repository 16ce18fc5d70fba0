/**
 * `fit`: one training loop for every model, batch mode and optimizer.
 *
 * Steps of `fit(model, data, options)`:
 * 1. Validate everything (model, data, options) before any work.
 * 2. Optionally split off a validation set (keyed), fit the normalisation on the training part
 *    (standard or min-max; `'auto'` targets follow the output activation) and scale both parts.
 * 3. Plan the batches (`batchPlan`): full batch, per-sample SGD or mini-batches, keyed shuffles.
 * 4. For each epoch: check the abort signal, snapshot the parameters, and for each batch compute the
 *    loss and the gradient (mean over the batch for the chain; the loss's own convention for MLPs),
 *    check both are finite, and apply the optimizer's updates in place.
 * 5. Record the epoch loss, validation loss, per-layer gradient norms and time; report progress;
 *    apply early stopping.
 * 6. Return a new model (the input model is not modified) with the parameters, normalisation and a
 *    training record, the history, and why training stopped.
 * With a WebGPU backend, steps 4–5 run on an injected trainer instead (see `webgpu.ts`).
 */
import {
  type Activation,
  type ActivationSpec,
  type ChainGradientMethod,
  chainBackpropInto,
  chainGradient,
  createChainWorkspace,
  createMlpWorkspace,
  type FloatArray,
  foldIn,
  formatValue,
  invalidArgument,
  type Key,
  LOSS_NAMES,
  type LossName,
  loss as lossFunction,
  type MlpDtype,
  type MlpWorkspace,
  key as makeKey,
  mlpForward,
  mlpValueAndGradient,
  permutation,
  ValidationError,
} from '@annlab/core';
import { type BatchMode, type BatchPlan, batchPlan, type Shuffle } from './batches.js';
import { sgdEpochLectureChain } from './chainKernel.js';
import { type Dataset, type Table, takeRows, toDataset } from './data.js';
import { DivergenceError } from './errors.js';
import {
  type ChainModel,
  chainActivations,
  chainOutput,
  checkModel,
  layerSlices,
  type MlpModel,
  type Model,
  modelData,
  modelWidths,
  type TrainingRecord,
  withParams,
} from './model.js';
import {
  autoTargetScaling,
  fitMinMax,
  fitStandardizer,
  type Normalization,
  type Standardizer,
  standardize,
  type TargetScalingChoice,
} from './normalize.js';
import { type GradientTransformation, type OptimizerState, sgd } from './optimizers/index.js';
import {
  type GpuLossRequest,
  type GpuOptimizerRequest,
  gpuOptimizer,
  isGpuLoss,
  runWebGpu,
  type WebGpuBackend,
} from './webgpu.js';

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
  /** Return the parameters of the best epoch instead of the last (default true). */
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
   * `'halfSquaredError'` sum over the batch, `'mse'` and `'bceWithLogits'` average). The chain always
   * trains on ½(ŷ − y)² averaged over the batch.
   */
  loss?: LossName;
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
  /** Stops training at the next epoch boundary; `fit` then returns with `stopReason: 'aborted'`. */
  signal?: AbortSignal;
  /**
   * MLP only: `'float64'` (default) or `'float32'`: forward and backward passes in float32 (core's
   * float32 dense kernels, the GPU's precision), with float64 master parameters and optimizer state.
   * The trained model holds the float64 master parameters.
   */
  dtype?: MlpDtype;
  /**
   * `'cpu'` (default), or `{ kind: 'webgpu', createTrainer }` to train an MLP on a GPU (see
   * {@link WebGpuBackend}); `fit` then returns a promise.
   */
  backend?: 'cpu';
}

/**
 * Options of {@link fit} on a GPU: as {@link FitOptions}, with `backend: { kind: 'webgpu', … }`.
 * Supported: `sgd(η)`, `sgd(η, { momentum })`, `momentum(η)` and `adam(η, …)` with a constant η;
 * full batch and mini-batches (shuffled per `shuffle` and `key`); the losses `'halfSquaredError'`,
 * `'mse'`, `'sse'` and `'bceWithLogits'`; `normalize`; `onProgress`; `signal`. Not supported (a
 * `ValidationError` names the option): schedules, other optimizers, `validation`,
 * `earlyStopping`, `recordGradNorms`, `dropLast`, `dtype: 'float64'`.
 *
 * The loss and parameters are read back every `progressEvery` epochs (and after the last):
 * `history.loss` and `history.time` hold NaN for the epochs in between; the loss read back is the
 * last batch's (full batch: the epoch's loss, as on the CPU; mini-batches: the last batch's loss,
 * scaled to the whole training set for the summed losses). `signal` is checked at those points too,
 * and a `DivergenceError` carries the parameters read back at the previous point.
 */
export interface WebGpuFitOptions extends Omit<FitOptions, 'backend'> {
  backend: WebGpuBackend;
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
}

/** The per-model part of the training loop; everything else is shared. */
interface Engine {
  /** Runs one epoch over `order`; returns the summed loss, or NaN if the loss/gradient diverged. */
  runEpoch(order: Int32Array): number;
  /** The epoch loss from runEpoch's sum. */
  epochLoss(sum: number): number;
  /** Loss of the live parameters on a (normalised) dataset. */
  evaluate(x: Table, y: Table): number;
  /** Per-layer norm sums of the epoch (reset by runEpoch) when recording, else undefined. */
  readonly normSums: Float64Array | undefined;
  /** Updates applied so far. */
  steps: number;
  /** Description of the last divergence. */
  divergence: string;
}

const FN = 'fit';
const VALIDATION_FOLD = 0xffffffff;

function resolveKey(k: unknown): Key {
  if (k === undefined) return makeKey(0);
  if (typeof k === 'number') {
    if (!Number.isSafeInteger(k))
      throw invalidArgument(FN, 'options.key', k, 'a key or an integer seed');
    return makeKey(k);
  }
  if (k instanceof Uint32Array && k.length === 2) return k;
  throw invalidArgument(
    FN,
    'options.key',
    k,
    'a key (Uint32Array(2), from key(seed)) or an integer seed',
  );
}

function resolveOptimizer(
  o: Pick<FitOptions, 'optimizer' | 'learningRate'>,
): GradientTransformation {
  if (o.optimizer !== undefined) {
    if (o.learningRate !== undefined) {
      throw new ValidationError(
        `${FN}: give either options.optimizer or options.learningRate, got both`,
        FN,
        'options.learningRate',
      );
    }
    const opt = o.optimizer as Partial<GradientTransformation> | null;
    if (
      opt === null ||
      typeof opt !== 'object' ||
      typeof opt.init !== 'function' ||
      typeof opt.update !== 'function'
    ) {
      throw invalidArgument(
        FN,
        'options.optimizer',
        o.optimizer,
        'a gradient transformation (sgd(), adam(), …)',
      );
    }
    return o.optimizer;
  }
  const lr = o.learningRate ?? 0.01;
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr <= 0) {
    throw invalidArgument(FN, 'options.learningRate', lr, 'a finite number > 0');
  }
  return sgd(lr);
}

/** The constant learning rate of a plain `sgd(η)` (no momentum, no schedule), else 0. */
function plainSgdRate(opt: GradientTransformation): number {
  const c = opt.config;
  return c?.name === 'sgd' && typeof c.learningRate === 'number' && c.momentum === 0
    ? c.learningRate
    : 0;
}

/** Resolves `options.normalize` to one method per side. */
function normalizeMethods(n: FitOptions['normalize']): { x: InputScaling; y: TargetScaling } {
  if (n === undefined || n === false) return { x: 'none', y: 'none' };
  if (n === true) return { x: 'standard', y: 'auto' };
  if (typeof n !== 'object' || n === null) {
    throw invalidArgument(
      FN,
      'options.normalize',
      n,
      'a boolean or { x?: boolean | method, y?: boolean | method }',
    );
  }
  const x = n.x === true ? 'standard' : n.x === false || n.x === undefined ? 'none' : n.x;
  const y = n.y === true ? 'auto' : n.y === false || n.y === undefined ? 'none' : n.y;
  if (x !== 'standard' && x !== 'minmax' && x !== 'none') {
    throw invalidArgument(
      FN,
      'options.normalize.x',
      n.x,
      "a boolean, 'standard', 'minmax' or 'none'",
    );
  }
  if (y !== 'auto' && y !== 'standard' && y !== 'minmax' && y !== 'none') {
    throw invalidArgument(
      FN,
      'options.normalize.y',
      n.y,
      "a boolean, 'auto', 'standard', 'minmax' or 'none'",
    );
  }
  return { x, y };
}

/** Fits the scaling of one side of the training data (undefined for `'none'`). */
function fitScaling(
  method: InputScaling | TargetScalingChoice['method'],
  data: Float64Array,
  cols: number,
  range: readonly [number, number] = [0, 1],
): Standardizer | undefined {
  if (method === 'standard') return fitStandardizer(data, cols);
  if (method === 'minmax') return fitMinMax(data, cols, range);
  return undefined;
}

/** The activation after the model's last layer. */
function outputActivation(m: Model): ActivationSpec | Activation {
  if (m.kind === 'mlp') return m.spec.activations[m.spec.activations.length - 1]!;
  return chainActivations(FN, m)[m.params.depth - 1]!;
}

function checkFunctionOption(name: string, v: unknown): void {
  if (v !== undefined && typeof v !== 'function')
    throw invalidArgument(FN, `options.${name}`, v, 'a function');
}

/**
 * Trains a model and returns the trained copy, its history and why it stopped.
 *
 * Batch modes: `batch: 'full'` (the mean gradient over the training set), `'sgd'` (one sample per
 * update, the lecture's rule) or a mini-batch size k; shuffling per `shuffle` and `key`. Any
 * optimizer from this package works; a plain `sgd(η)` on the chain with per-sample batches runs an
 * inlined loop (`chainBackpropInto` plus an in-place update, nothing allocated).
 *
 * Throws a `ValidationError` naming the argument before any work, and a {@link DivergenceError}
 * (with the last finite parameters) if the loss or a gradient becomes NaN or ±Infinity.
 *
 * MLPs also train with float32 passes (`dtype: 'float32'`) and on a GPU: with
 * `backend: { kind: 'webgpu', createTrainer }` (see {@link WebGpuFitOptions}) `fit` returns a
 * promise, and every error, validation included, rejects it.
 *
 * @example
 * ```ts
 * const net: ChainModel = { kind: 'chain', params: initChain(key(0), 3) };
 * const x = Array.from({ length: 200 }, (_, i) => 0.5 + (2.5 * i) / 199);
 * const y = x.map((v) => -3 * v + 2);
 * const { model, history } = fit(net, { x, y }, { epochs: 500, batch: 'sgd', learningRate: 0.01 });
 * history.loss.at(-1); // final training loss
 * predict(model, [1, 2]);
 * ```
 */
export function fit<M extends MlpModel>(
  model: M,
  data: Dataset,
  options: WebGpuFitOptions,
): Promise<FitResult<M>>;
export function fit<M extends Model>(model: M, data: Dataset, options: FitOptions): FitResult<M>;
export function fit<M extends Model>(
  model: M,
  data: Dataset,
  options: FitOptions | WebGpuFitOptions,
): FitResult<M> | Promise<FitResult<M>> {
  const b = (options as { backend?: unknown } | null)?.backend;
  if (b !== null && typeof b === 'object' && (b as { kind?: unknown }).kind === 'webgpu') {
    // Every failure, validation included, becomes a rejection of the returned promise.
    return (async () => fitWebGpu(prepare(model, data, options)))();
  }
  return fitCpu(prepare(model, data, options));
}

/** Everything `fit` resolves before training (steps 1–3). */
interface Prepared<M extends Model> {
  readonly m: M;
  readonly o: FitOptions | WebGpuFitOptions;
  readonly epochs: number;
  readonly opt: GradientTransformation;
  readonly rootKey: Key;
  readonly lossName: LossName;
  readonly method: ChainGradientMethod;
  readonly record: boolean;
  readonly every: number;
  readonly signal: AbortSignal | undefined;
  readonly es: EarlyStoppingOptions | undefined;
  readonly patience: number;
  readonly minDelta: number;
  readonly restoreBest: boolean;
  readonly train: { x: Table; y: Table };
  readonly val: { x: Table; y: Table } | undefined;
  readonly norm: Normalization | undefined;
  readonly plan: BatchPlan;
  readonly dtype: MlpDtype;
  readonly backend: 'cpu' | WebGpuBackend;
}

/** Steps 1–3: validation, split, normalisation and batch plan. */
function prepare<M extends Model>(
  model: M,
  data: Dataset,
  options: FitOptions | WebGpuFitOptions,
): Prepared<M> {
  // 1. Validation, before any work.
  const m = checkModel(FN, model) as M;
  if (options === null || typeof options !== 'object') {
    throw invalidArgument(FN, 'options', options, 'an object with at least { epochs }');
  }
  const o = options;
  const epochs = o.epochs;
  if (typeof epochs !== 'number' || !Number.isInteger(epochs) || epochs < 1) {
    throw invalidArgument(FN, 'options.epochs', epochs, 'an integer ≥ 1');
  }
  const opt = resolveOptimizer(o);
  const backend: 'cpu' | WebGpuBackend = o.backend ?? 'cpu';
  if (
    backend !== 'cpu' &&
    (backend === null ||
      typeof backend !== 'object' ||
      backend.kind !== 'webgpu' ||
      typeof backend.createTrainer !== 'function')
  ) {
    throw invalidArgument(
      FN,
      'options.backend',
      backend,
      "'cpu' or { kind: 'webgpu', createTrainer: (spec, params, options) => trainer }",
    );
  }
  const dtype: MlpDtype = o.dtype ?? 'float64';
  if (dtype !== 'float64' && dtype !== 'float32') {
    throw invalidArgument(FN, 'options.dtype', dtype, "'float64' or 'float32'");
  }
  if (dtype === 'float32' && m.kind !== 'mlp') {
    throw invalidArgument(FN, 'options.dtype', dtype, "'float64' for a chain model");
  }
  const rootKey = resolveKey(o.key);
  const scaling = normalizeMethods(o.normalize);
  const { inputs, outputs } = modelWidths(m);
  const all = toDataset(FN, data, inputs, outputs);
  const method = o.gradientMethod ?? 'backprop';
  if (method !== 'backprop' && method !== 'autodiff' && method !== 'triangular') {
    throw invalidArgument(
      FN,
      'options.gradientMethod',
      method,
      "'backprop', 'autodiff' or 'triangular'",
    );
  }
  let lossName: LossName = 'halfSquaredError';
  if (m.kind === 'mlp') {
    lossName = o.loss ?? 'mse';
    if (!LOSS_NAMES.includes(lossName)) {
      throw invalidArgument(FN, 'options.loss', o.loss, LOSS_NAMES.map((l) => `'${l}'`).join(', '));
    }
  } else if (o.loss !== undefined && o.loss !== 'halfSquaredError') {
    throw invalidArgument(
      FN,
      'options.loss',
      o.loss,
      "'halfSquaredError' (the chain's loss) or absent",
    );
  }
  if (m.kind === 'mlp' && o.gradientMethod !== undefined && o.gradientMethod !== 'backprop') {
    throw invalidArgument(FN, 'options.gradientMethod', o.gradientMethod, "'backprop' for an MLP");
  }
  const record = o.recordGradNorms ?? false;
  if (typeof record !== 'boolean')
    throw invalidArgument(FN, 'options.recordGradNorms', record, 'a boolean');
  checkFunctionOption('onProgress', o.onProgress);
  const every = o.progressEvery ?? 1;
  if (!Number.isInteger(every) || every < 1) {
    throw invalidArgument(FN, 'options.progressEvery', every, 'an integer ≥ 1');
  }
  const signal = o.signal;
  if (signal !== undefined && (signal === null || typeof signal.aborted !== 'boolean')) {
    throw invalidArgument(FN, 'options.signal', signal, 'an AbortSignal');
  }
  const es = o.earlyStopping;
  let patience = Number.POSITIVE_INFINITY;
  let minDelta = 0;
  let restoreBest = false;
  if (es !== undefined) {
    if (es === null || typeof es !== 'object') {
      throw invalidArgument(
        FN,
        'options.earlyStopping',
        es,
        '{ patience, minDelta?, restoreBest? }',
      );
    }
    if (!Number.isInteger(es.patience) || es.patience < 1) {
      throw invalidArgument(FN, 'options.earlyStopping.patience', es.patience, 'an integer ≥ 1');
    }
    patience = es.patience;
    minDelta = es.minDelta ?? 0;
    if (typeof minDelta !== 'number' || !Number.isFinite(minDelta) || minDelta < 0) {
      throw invalidArgument(FN, 'options.earlyStopping.minDelta', minDelta, 'a finite number ≥ 0');
    }
    restoreBest = es.restoreBest ?? true;
  }

  // 2. Validation split and normalisation.
  let train = all;
  let val: { x: Table; y: Table } | undefined;
  const v = o.validation;
  if (v !== undefined) {
    if (v !== null && typeof v === 'object' && 'fraction' in v) {
      const f = v.fraction;
      const nVal = Math.ceil(f * all.x.rows);
      if (typeof f !== 'number' || !(f > 0 && f < 1) || nVal >= all.x.rows) {
        throw invalidArgument(
          FN,
          'options.validation.fraction',
          f,
          `a number in (0, 1) leaving at least one of the ${all.x.rows} samples for training`,
        );
      }
      const perm = permutation(foldIn(rootKey, VALIDATION_FOLD), all.x.rows);
      const valIdx = perm.subarray(0, nVal);
      const trainIdx = perm.subarray(nVal);
      val = { x: takeRows(all.x, valIdx), y: takeRows(all.y, valIdx) };
      train = { x: takeRows(all.x, trainIdx), y: takeRows(all.y, trainIdx) };
    } else {
      val = toDataset(FN, v, inputs, outputs, 'options.validation');
    }
  }
  let norm: Normalization | undefined = m.normalization;
  if (scaling.x !== 'none' || scaling.y !== 'none') {
    const target: TargetScalingChoice =
      scaling.y === 'auto'
        ? autoTargetScaling(outputActivation(m), lossName)
        : scaling.y === 'minmax'
          ? { method: 'minmax', range: [0, 1] }
          : { method: scaling.y };
    const sx = fitScaling(scaling.x, train.x.data, inputs);
    const sy = fitScaling(
      target.method,
      train.y.data,
      outputs,
      target.method === 'minmax' ? target.range : undefined,
    );
    norm = sx || sy ? { ...(sx ? { x: sx } : {}), ...(sy ? { y: sy } : {}) } : undefined;
  }
  if (norm) {
    const apply = (d: { x: Table; y: Table }) => ({
      x: norm.x ? { ...d.x, data: standardize(norm.x, d.x.data, inputs) } : d.x,
      y: norm.y ? { ...d.y, data: standardize(norm.y, d.y.data, outputs) } : d.y,
    });
    train = apply(train);
    if (val) val = apply(val);
  }

  // 3. Batches (validates batch, shuffle, dropLast).
  const n = train.x.rows;
  let plan: BatchPlan;
  try {
    plan = batchPlan(n, {
      batch: o.batch ?? 'full',
      shuffle: o.shuffle ?? 'epoch',
      dropLast: o.dropLast ?? false,
      key: rootKey,
    });
  } catch (e) {
    if (e instanceof ValidationError) {
      throw new ValidationError(
        e.message.replace(/^batchPlan: (\w+)/, `${FN}: options.$1`),
        FN,
        `options.${e.arg}`,
      );
    }
    throw e;
  }

  return {
    m,
    o,
    epochs,
    opt,
    rootKey,
    lossName,
    method,
    record,
    every,
    signal,
    es,
    patience,
    minDelta,
    restoreBest,
    train,
    val,
    norm,
    plan,
    dtype,
    backend,
  };
}

/** Steps 4–6 on the CPU. */
function fitCpu<M extends Model>(prep: Prepared<M>): FitResult<M> {
  const { m, o, epochs, opt, lossName, method, record, every, signal, es, train, val, plan } = prep;
  const { patience, minDelta, restoreBest } = prep;
  const params = modelData(m).slice();
  const state = opt.init(params);
  const slices = layerSlices(m);
  const engine =
    m.kind === 'chain'
      ? chainEngine(m, params, train, plan, opt, state, method, record ? slices : undefined)
      : mlpEngine(
          m,
          params,
          train,
          plan,
          opt,
          state,
          lossName,
          record ? slices : undefined,
          prep.dtype,
        );

  // 4.–5. The epoch loop.
  const lossHist = new Float64Array(epochs);
  const valHist = new Float64Array(val ? epochs : 0);
  const timeHist = new Float64Array(epochs);
  const updHist = new Float64Array(epochs);
  const normHist: Float64Array[] = [];
  const lastGood = params.slice();
  const best = restoreBest ? params.slice() : undefined;
  let bestLoss = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  let sinceBest = 0;
  let stopReason: StopReason = 'epochs';
  let done = 0;
  const t0 = performance.now();
  for (let e = 0; e < epochs; e++) {
    if (signal?.aborted) {
      stopReason = 'aborted';
      break;
    }
    lastGood.set(params);
    const order = plan.order(e);
    const sum = engine.runEpoch(order);
    let check = sum - sum;
    for (let k = 0; k < params.length; k++) check += params[k]! * 0;
    if (check !== 0) {
      if (engine.divergence === '') engine.divergence = 'the parameters became non-finite';
      throw new DivergenceError(
        `${FN}: training diverged in epoch ${e} at update ${engine.steps}: ${engine.divergence}; lastGoodParams holds the parameters from the start of that epoch`,
        lastGood.slice(),
        e,
        engine.steps,
      );
    }
    const loss = engine.epochLoss(sum);
    lossHist[e] = loss;
    const vl = val ? engine.evaluate(val.x, val.y) : Number.NaN;
    if (val) valHist[e] = vl;
    let norms: Float64Array | undefined;
    if (engine.normSums) {
      norms = engine.normSums.map((s) => s / plan.batchesPerEpoch);
      normHist.push(norms);
    }
    const now = performance.now() - t0;
    timeHist[e] = now;
    updHist[e] = engine.steps;
    done = e + 1;
    if (o.onProgress && ((e + 1) % every === 0 || e === epochs - 1)) {
      o.onProgress({
        epoch: e,
        epochs,
        loss,
        valLoss: vl,
        params,
        gradNorms: norms,
        updates: engine.steps,
        elapsedMs: now,
      });
    }
    const monitored = val ? vl : loss;
    if (monitored < bestLoss - minDelta) {
      bestLoss = monitored;
      bestEpoch = e;
      sinceBest = 0;
      best?.set(params);
    } else if (++sinceBest >= patience) {
      stopReason = 'earlyStopping';
      break;
    }
  }
  const wallTimeMs = performance.now() - t0;
  if (best && es && done > 0) params.set(best);
  if (!es && done > 0) bestEpoch = argmin(lossHist, done, val ? valHist : undefined);

  // 6. The result.
  return finish(prep, params, {
    loss: lossHist.slice(0, done),
    valLoss: valHist.slice(0, val ? done : 0),
    gradNorms: normHist,
    time: timeHist.slice(0, done),
    updates: updHist.slice(0, done),
    wallTimeMs,
    stopReason,
    bestEpoch,
  });
}

/** Step 6: the trained model (with normalisation and training record) and the result. */
function finish<M extends Model>(
  prep: Prepared<M>,
  params: Float64Array,
  h: History & { stopReason: StopReason; bestEpoch: number },
): FitResult<M> {
  const { m, o, plan } = prep;
  const done = h.loss.length;
  const training: TrainingRecord = {
    optimizer: prep.opt.config,
    epochs: done,
    updates: done > 0 ? h.updates[done - 1]! : 0,
    batch: o.batch ?? 'full',
    shuffle: plan.shuffle,
    dropLast: o.dropLast ?? false,
    loss: prep.lossName,
    ...(m.kind === 'chain' ? { gradientMethod: prep.method } : {}),
    ...(prep.dtype === 'float32' ? { dtype: 'float32' } : {}),
    ...(prep.backend !== 'cpu' ? { backend: 'webgpu' } : {}),
    key: [prep.rootKey[0]!, prep.rootKey[1]!] as const,
    stopReason: h.stopReason,
    finalLoss: done > 0 ? h.loss[done - 1]! : Number.NaN,
  };
  const trained = withParams(m, params, {
    ...(prep.norm ? { normalization: prep.norm } : {}),
    training,
  } as Partial<M>);
  const { stopReason, bestEpoch, ...history } = h;
  return {
    model: trained,
    params: modelData(trained),
    history,
    stopReason,
    epochs: done,
    bestEpoch,
    stepsPerEpoch: plan.batchesPerEpoch,
  };
}

/** Index of the smallest of the first n entries of b (or a), skipping NaN (unread GPU epochs). */
function argmin(a: Float64Array, n: number, b: Float64Array | undefined): number {
  const s = b ?? a;
  let k = -1;
  for (let i = 0; i < n; i++) if (!Number.isNaN(s[i]!) && (k < 0 || s[i]! < s[k]!)) k = i;
  return Math.max(k, 0);
}

/** Steps 4–6 on an injected GPU trainer (see `webgpu.ts`). */
async function fitWebGpu<M extends Model>(prep: Prepared<M>): Promise<FitResult<M>> {
  const { m, o, epochs, plan, train } = prep;
  const backend = prep.backend as WebGpuBackend;
  if (m.kind !== 'mlp') {
    throw invalidArgument(
      FN,
      'options.backend',
      'webgpu',
      "'cpu' for a chain model (the GPU trains MLPs)",
    );
  }
  const unsupported = (arg: string, value: unknown, expectation: string) => {
    throw invalidArgument(FN, `options.${arg}`, value, `${expectation} for backend 'webgpu'`);
  };
  const optimizer = gpuOptimizer(prep.opt.config);
  if (typeof optimizer === 'string') {
    unsupported(
      'optimizer',
      optimizer,
      'sgd(η), sgd(η, { momentum }), momentum(η) or adam(η, …) with a constant η',
    );
  }
  const loss = prep.lossName;
  if (!isGpuLoss(loss))
    unsupported('loss', loss, "'halfSquaredError', 'mse', 'sse' or 'bceWithLogits'");
  if (o.validation !== undefined) unsupported('validation', o.validation, 'absent');
  if (o.earlyStopping !== undefined) unsupported('earlyStopping', o.earlyStopping, 'absent');
  if (prep.record) unsupported('recordGradNorms', true, 'false');
  if (o.dropLast === true) unsupported('dropLast', true, 'false');
  if (o.dtype === 'float64') unsupported('dtype', 'float64', "'float32' or absent");

  const lossHist = new Float64Array(epochs).fill(Number.NaN);
  const timeHist = new Float64Array(epochs).fill(Number.NaN);
  const updHist = new Float64Array(epochs);
  for (let e = 0; e < epochs; e++) updHist[e] = (e + 1) * plan.batchesPerEpoch;
  const t0 = performance.now();
  const out = await runWebGpu(backend.createTrainer, {
    spec: { sizes: [...m.spec.sizes], activations: [...m.spec.activations] },
    params: m.params,
    optimizer: optimizer as GpuOptimizerRequest,
    loss: loss as GpuLossRequest,
    x: train.x.data,
    y: train.y.data,
    plan,
    epochs,
    every: prep.every,
    signal: prep.signal,
    report(epoch, value, params, updates) {
      const now = performance.now() - t0;
      lossHist[epoch] = value;
      timeHist[epoch] = now;
      o.onProgress?.({
        epoch,
        epochs,
        loss: value,
        valLoss: Number.NaN,
        params,
        gradNorms: undefined,
        updates,
        elapsedMs: now,
      });
    },
  });
  const wallTimeMs = performance.now() - t0;
  const done = out.epochs;
  return finish(prep, out.params, {
    loss: lossHist.slice(0, done),
    valLoss: new Float64Array(0),
    gradNorms: [],
    time: timeHist.slice(0, done),
    updates: updHist.slice(0, done),
    wallTimeMs,
    stopReason: out.aborted ? 'aborted' : 'epochs',
    bestEpoch: argmin(lossHist, done, undefined),
  });
}

/** Training engine of the width-one chain. */
function chainEngine(
  model: ChainModel,
  p: Float64Array,
  train: { x: Table; y: Table },
  plan: BatchPlan,
  opt: GradientTransformation,
  state: OptimizerState,
  method: ChainGradientMethod,
  slices: Array<readonly number[]> | undefined,
): Engine {
  const depth = model.params.depth;
  const P = 2 * depth;
  const acts: Activation[] = chainActivations(FN, model);
  const ws = createChainWorkspace(depth);
  const X = train.x.data;
  const Y = train.y.data;
  const g = new Float64Array(P);
  const gt = new Float64Array(P);
  const normSums = slices ? new Float64Array(slices.length) : undefined;
  const lr = plainSgdRate(opt);
  const paramsView = { depth, data: p, w: p.subarray(0, depth), b: p.subarray(depth) };
  const specs = acts;
  const lecture = acts.every((a, i) => a.name === (i < depth - 1 ? 'sigmoid' : 'identity'));
  const xs = new Float64Array(depth);
  const sig = new Float64Array(depth);
  const failed = new Int32Array(1);

  /** Gradient of one sample into `out`; returns ½(ŷ − y)². */
  const sampleGrad =
    method === 'backprop'
      ? (i: number, out: Float64Array) => chainBackpropInto(p, depth, X[i]!, Y[i]!, acts, ws, out)
      : (i: number, out: Float64Array) => {
          const r = chainGradient(paramsView, X[i]!, Y[i]!, { method, activations: specs });
          out.set(r.grad);
          return r.loss;
        };

  const engine: Engine = {
    normSums,
    steps: 0,
    divergence: '',
    epochLoss: (sum) => sum / plan.samplesPerEpoch,
    evaluate(x, y) {
      let s = 0;
      for (let i = 0; i < x.rows; i++) {
        const r = chainOutput(p, depth, x.data[i]!, acts) - y.data[i]!;
        s += 0.5 * r * r;
      }
      return s / x.rows;
    },
    runEpoch(order) {
      if (normSums) normSums.fill(0);
      // The fast path: per-sample SGD with backprop and a constant learning rate, update inlined.
      if (plan.batchSize === 1 && method === 'backprop' && lr > 0 && !normSums) {
        if (lecture) {
          const sum = sgdEpochLectureChain(
            p,
            depth,
            X,
            Y,
            xs,
            sig,
            order,
            plan.samplesPerEpoch,
            lr,
            failed,
          );
          if (Number.isNaN(sum)) {
            engine.steps += failed[0]!;
            engine.divergence = 'the loss or a gradient is not finite';
          } else engine.steps += plan.samplesPerEpoch;
          return sum;
        }
        return fastSgdEpoch(p, depth, X, Y, acts, ws, g, order, plan.samplesPerEpoch, lr, engine);
      }
      let sum = 0;
      for (let j = 0; j < plan.batchesPerEpoch; j++) {
        const s = plan.start(j);
        const e = plan.end(j);
        let loss: number;
        if (e - s === 1) {
          loss = sampleGrad(order[s]!, g);
        } else {
          g.fill(0);
          loss = 0;
          for (let q = s; q < e; q++) {
            loss += sampleGrad(order[q]!, gt);
            for (let k = 0; k < P; k++) g[k]! += gt[k]!;
          }
          const inv = 1 / (e - s);
          for (let k = 0; k < P; k++) g[k] = g[k]! * inv;
        }
        let check = 0;
        for (let k = 0; k < P; k++) check += g[k]! * 0;
        if (!(loss - loss === 0) || check !== 0) {
          engine.divergence = describe(loss, g);
          return Number.NaN;
        }
        if (normSums) addLayerNorms(g, slices!, normSums);
        const u = opt.update(g, state, p)[0];
        for (let k = 0; k < P; k++) p[k] = p[k]! + u[k]!;
        engine.steps++;
        sum += loss;
      }
      return sum;
    },
  };
  return engine;
}

/** Per-sample SGD over one epoch: `chainBackpropInto` then `p ← p − η g`; NaN on divergence. */
function fastSgdEpoch(
  p: Float64Array,
  depth: number,
  X: Float64Array,
  Y: Float64Array,
  acts: Activation[],
  ws: ReturnType<typeof createChainWorkspace>,
  g: Float64Array,
  order: Int32Array,
  count: number,
  lr: number,
  engine: Engine,
): number {
  const P = 2 * depth;
  let sum = 0;
  for (let j = 0; j < count; j++) {
    const i = order[j]!;
    const loss = chainBackpropInto(p, depth, X[i]!, Y[i]!, acts, ws, g);
    let check = loss - loss;
    for (let k = 0; k < P; k++) check += g[k]! * 0;
    if (check !== 0) {
      engine.divergence = describe(loss, g);
      engine.steps += j;
      return Number.NaN;
    }
    for (let k = 0; k < P; k++) p[k] = p[k]! - lr * g[k]!;
    sum += loss;
  }
  engine.steps += count;
  return sum;
}

/** normSums[l] += ‖g restricted to layer l's parameter ranges‖₂. */
function addLayerNorms(
  g: Float64Array,
  slices: Array<readonly number[]>,
  normSums: Float64Array,
): void {
  for (let l = 0; l < slices.length; l++) {
    const r = slices[l]!;
    let s = 0;
    for (let q = 0; q < r.length; q += 2) {
      for (let k = r[q]!; k < r[q + 1]!; k++) s += g[k]! * g[k]!;
    }
    normSums[l]! += Math.sqrt(s);
  }
}

/** Training engine of dense networks: gathers each batch, then core's `mlpValueAndGradient`. */
function mlpEngine(
  model: MlpModel,
  p: Float64Array,
  train: { x: Table; y: Table },
  plan: BatchPlan,
  opt: GradientTransformation,
  state: OptimizerState,
  lossName: LossName,
  slices: Array<readonly number[]> | undefined,
  dtype: MlpDtype,
): Engine {
  const spec = model.spec;
  const inS = train.x.cols;
  const outS = train.y.cols;
  const n = train.x.rows;
  const P = p.length;
  const bs = plan.batchSize;
  const direct = bs === n && plan.shuffle === 'none';
  // float32: the passes run on float32 copies (data once; parameters before every step) and the
  // float32 gradient is widened into g for the float64 optimizer.
  const f32 = dtype === 'float32';
  const make = (k: number): FloatArray => (f32 ? new Float32Array(k) : new Float64Array(k));
  const ws = createMlpWorkspace(spec, bs, dtype);
  const lastSize = n - (plan.batchesPerEpoch - 1) * bs;
  const X: FloatArray = f32 ? Float32Array.from(train.x.data) : train.x.data;
  const Y: FloatArray = f32 ? Float32Array.from(train.y.data) : train.y.data;
  const Xb = direct ? X : make(bs * inS);
  const Yb = direct ? Y : make(bs * outS);
  const short = lastSize > 0 && lastSize < bs;
  const Xs = short ? make(lastSize * inS) : Xb;
  const Ys = short ? make(lastSize * outS) : Yb;
  const g = new Float64Array(P);
  const pc: FloatArray = f32 ? new Float32Array(P) : p;
  const gc: FloatArray = f32 ? new Float32Array(P) : g;
  const normSums = slices ? new Float64Array(slices.length) : undefined;
  const isMean = lossName === 'mse' || lossName === 'bceWithLogits';
  const lossFn = lossFunction(lossName);
  let evalWs: MlpWorkspace | undefined;
  let evalX: Float64Array | undefined;
  let evalX32: FloatArray | undefined;

  const engine: Engine = {
    normSums,
    steps: 0,
    divergence: '',
    epochLoss: (sum) => (isMean ? sum / plan.samplesPerEpoch : (sum * n) / plan.samplesPerEpoch),
    evaluate(x, y) {
      if (evalWs?.batchSize !== x.rows) evalWs = createMlpWorkspace(spec, x.rows, dtype);
      if (evalX !== x.data) {
        evalX = x.data;
        evalX32 = f32 ? Float32Array.from(x.data) : x.data;
      }
      if (f32) pc.set(p);
      const out = mlpForward(spec, pc, evalX32!, x.rows, evalWs);
      return lossFn.value(out, y.data, x.rows * outS);
    },
    runEpoch(order) {
      if (normSums) normSums.fill(0);
      let sum = 0;
      for (let j = 0; j < plan.batchesPerEpoch; j++) {
        const s = plan.start(j);
        const e = plan.end(j);
        const m = e - s;
        const xb = m === bs ? Xb : Xs;
        const yb = m === bs ? Yb : Ys;
        if (!direct) {
          for (let q = 0; q < m; q++) {
            const i = order[s + q]!;
            for (let c = 0; c < inS; c++) xb[q * inS + c] = X[i * inS + c]!;
            for (let c = 0; c < outS; c++) yb[q * outS + c] = Y[i * outS + c]!;
          }
        }
        if (f32) pc.set(p);
        const loss = mlpValueAndGradient(spec, pc, xb, yb, m, lossName, ws, gc);
        if (f32) g.set(gc);
        let check = loss - loss;
        for (let k = 0; k < P; k++) check += g[k]! * 0;
        if (check !== 0) {
          engine.divergence = describe(loss, g);
          return Number.NaN;
        }
        if (normSums) addLayerNorms(g, slices!, normSums);
        const u = opt.update(g, state, p)[0];
        for (let k = 0; k < P; k++) p[k] = p[k]! + u[k]!;
        engine.steps++;
        sum += isMean ? loss * m : loss;
      }
      return sum;
    },
  };
  return engine;
}

function describe(loss: number, g: Float64Array): string {
  if (!Number.isFinite(loss)) return `the loss is ${formatValue(loss)}`;
  for (let k = 0; k < g.length; k++) {
    if (!Number.isFinite(g[k]!)) return `gradient element ${k} is ${formatValue(g[k])}`;
  }
  return 'non-finite value';
}
