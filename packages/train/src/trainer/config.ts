/**
 * Step 1 of every training run: the options, model and data are checked and resolved once into a
 * {@link TrainConfig}. Nothing downstream reads the raw options.
 *
 * Steps of {@link resolveConfig}:
 * 1. Reject unknown option names (with the nearest known name) and conflicting options.
 * 2. Check every option and resolve its default (optimizer, key, loss, early stopping, …).
 * 3. Optionally split off a validation set (keyed), fit the normalisation on the training part
 *    (standard or min-max; `'auto'` targets follow the output activation) and scale both parts.
 * 4. Plan the batches (`batchPlan`): full batch, per-sample SGD or mini-batches, keyed shuffles.
 */
import {
  type Activation,
  type ActivationSpec,
  type ChainGradientMethod,
  denseF32Kernel,
  foldIn,
  type Key,
  LOSS_NAMES,
  type LossName,
  type MlpDtype,
  key as makeKey,
  permutation,
  ValidationError,
} from '@annlab/core';
import { invalidArgument } from '@annlab/core/internal';
import { type BatchMode, type BatchPlan, batchPlan, type Shuffle } from '../batches.js';
import { type Dataset, type Table, takeRows, toDataset } from '../data.js';
import { chainActivations, checkModel, type Model, modelWidths } from '../model.js';
import {
  autoTargetScaling,
  fitMinMax,
  fitStandardizer,
  type Normalization,
  type Standardizer,
  standardize,
  type TargetScalingChoice,
} from '../normalize.js';
import { type GradientTransformation, sgd } from '../optimizers/index.js';
import { type AdapterFacts, chooseBackend } from '../parallel/choose.js';
import {
  coreCount,
  parallelPays,
  resolveThreads,
  sharedMemoryAvailable,
  type ThreadChoice,
} from '../parallel/pool.js';
import { type AutoBackend, type WebGpuBackend, webGpuBlocker } from '../webgpu.js';
import type {
  ComputeReport,
  FitOptions,
  InputScaling,
  ProgressEvent,
  TargetScaling,
} from './types.js';

/** Fold of the root key that orders the validation split. */
export const VALIDATION_FOLD = 0xffffffff;

/** Early stopping, resolved. */
export interface EarlyStoppingConfig {
  readonly patience: number;
  readonly minDelta: number;
  readonly restoreBest: boolean;
}

/** The validation set as given: a fraction of the data, or separate (checked) tables. */
export type ValidationSource = { readonly fraction: number } | { readonly x: Table; y: Table };

/** Everything a training run needs, checked and resolved once. */
export interface TrainConfig<M extends Model = Model> {
  /** The public function that resolved it (for error messages). */
  readonly fn: string;
  readonly model: M;
  readonly epochs: number;
  readonly optimizer: GradientTransformation;
  readonly key: Key;
  readonly loss: LossName;
  readonly gradientMethod: ChainGradientMethod;
  readonly recordGradNorms: boolean;
  readonly progressEvery: number;
  readonly onProgress: ((event: ProgressEvent) => void) | undefined;
  readonly signal: AbortSignal | undefined;
  readonly earlyStopping: EarlyStoppingConfig | undefined;
  readonly batch: BatchMode;
  readonly shuffle: Shuffle;
  readonly dropLast: boolean;
  readonly scaling: { readonly x: InputScaling; readonly y: TargetScaling };
  readonly validation: ValidationSource | undefined;
  /** The (normalised) training part. */
  readonly train: { readonly x: Table; readonly y: Table };
  /** The (normalised) validation part. */
  readonly val: { readonly x: Table; readonly y: Table } | undefined;
  readonly normalization: Normalization | undefined;
  readonly plan: BatchPlan;
  readonly dtype: MlpDtype;
  readonly backend: 'cpu' | WebGpuBackend;
  /** What runs and why (threads actually used, kernel, notes). */
  readonly compute: ComputeReport;
  /**
   * MLP: the gradient pool runs (with `compute.threads` threads) because `threads` was given and
   * the batch pays; its chunked sums make every thread count give the same bits.
   */
  readonly parallel: boolean;
  /** L1 and L2 penalty rates on the weights (MLP only), or undefined when both are 0. */
  readonly regularization: Regularization | undefined;
}

/** Penalty l1·Σ|w| + l2·Σw² on the weights of every layer (not the biases). */
export interface Regularization {
  readonly l1: number;
  readonly l2: number;
}

/** Every option name of {@link FitOptions}, for the unknown-name check. */
export const OPTION_NAMES: readonly (keyof FitOptions)[] = [
  'epochs',
  'optimizer',
  'learningRate',
  'batch',
  'shuffle',
  'dropLast',
  'key',
  'loss',
  'gradientMethod',
  'normalize',
  'validation',
  'earlyStopping',
  'recordGradNorms',
  'onProgress',
  'progressEvery',
  'signal',
  'dtype',
  'backend',
  'l1',
  'l2',
  'threads',
];

/** Edit distance (insertions, deletions, substitutions, adjacent transpositions). */
function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) =>
    Array.from({ length: n + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = v;
    }
  }
  return d[m]![n]!;
}

/** The known name closest to `name`, if it is close enough to be a typo. */
export function suggestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const dist = editDistance(name, k);
    if (dist < bestD) {
      bestD = dist;
      best = k;
    }
  }
  return bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/**
 * Throws a `ValidationError` for the first key of `obj` not in `known`:
 * `fit: unknown option 'lerningRate'; did you mean 'learningRate'?`.
 */
export function rejectUnknownKeys(
  fn: string,
  path: string,
  obj: object,
  known: readonly string[],
): void {
  for (const name of Object.keys(obj)) {
    if (known.includes(name)) continue;
    const s = suggestName(name, known);
    const what = path === 'options' ? 'option' : `option in ${path}`;
    throw new ValidationError(
      `${fn}: unknown ${what} '${name}'; ${s ? `did you mean '${s}'?` : `known: ${known.join(', ')}`}`,
      fn,
      `${path}.${name}`,
    );
  }
}

function conflict(fn: string, arg: string, message: string): ValidationError {
  return new ValidationError(`${fn}: ${message}`, fn, arg);
}

function resolveKey(fn: string, k: unknown): Key {
  if (k === undefined) return makeKey(0);
  if (typeof k === 'number') {
    if (!Number.isSafeInteger(k))
      throw invalidArgument(fn, 'options.key', k, 'a key or an integer seed');
    return makeKey(k);
  }
  if (k instanceof Uint32Array && k.length === 2) return k;
  throw invalidArgument(
    fn,
    'options.key',
    k,
    'a key (Uint32Array(2), from key(seed)) or an integer seed',
  );
}

function resolveOptimizer(
  fn: string,
  o: Pick<FitOptions, 'optimizer' | 'learningRate'>,
): GradientTransformation {
  if (o.optimizer !== undefined) {
    if (o.learningRate !== undefined) {
      throw conflict(
        fn,
        'options.learningRate',
        'give either options.optimizer or options.learningRate, got both',
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
        fn,
        'options.optimizer',
        o.optimizer,
        'a gradient transformation (sgd(), adam(), …)',
      );
    }
    return o.optimizer;
  }
  const lr = o.learningRate ?? 0.01;
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr <= 0) {
    throw invalidArgument(fn, 'options.learningRate', lr, 'a finite number > 0');
  }
  return sgd(lr);
}

/** Resolves `options.normalize` to one method per side. */
function normalizeMethods(
  fn: string,
  n: FitOptions['normalize'],
): { x: InputScaling; y: TargetScaling } {
  if (n === undefined || n === false) return { x: 'none', y: 'none' };
  if (n === true) return { x: 'standard', y: 'auto' };
  if (typeof n !== 'object' || n === null) {
    throw invalidArgument(
      fn,
      'options.normalize',
      n,
      'a boolean or { x?: boolean | method, y?: boolean | method }',
    );
  }
  rejectUnknownKeys(fn, 'options.normalize', n, ['x', 'y']);
  const x = n.x === true ? 'standard' : n.x === false || n.x === undefined ? 'none' : n.x;
  const y = n.y === true ? 'auto' : n.y === false || n.y === undefined ? 'none' : n.y;
  if (x !== 'standard' && x !== 'minmax' && x !== 'none') {
    throw invalidArgument(
      fn,
      'options.normalize.x',
      n.x,
      "a boolean, 'standard', 'minmax' or 'none'",
    );
  }
  if (y !== 'auto' && y !== 'standard' && y !== 'minmax' && y !== 'none') {
    throw invalidArgument(
      fn,
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
function outputActivation(fn: string, m: Model): ActivationSpec | Activation {
  if (m.kind === 'mlp') return m.spec.activations[m.spec.activations.length - 1]!;
  return chainActivations(fn, m)[m.params.depth - 1]!;
}

function resolveEarlyStopping(
  fn: string,
  es: unknown,
  hasValidation: boolean,
): EarlyStoppingConfig | undefined {
  if (es === undefined) return undefined;
  if (es === null || typeof es !== 'object') {
    throw invalidArgument(fn, 'options.earlyStopping', es, '{ patience, minDelta?, restoreBest? }');
  }
  rejectUnknownKeys(fn, 'options.earlyStopping', es, ['patience', 'minDelta', 'restoreBest']);
  const { patience, minDelta = 0, restoreBest } = es as Record<string, unknown>;
  if (!Number.isInteger(patience) || (patience as number) < 1) {
    throw invalidArgument(fn, 'options.earlyStopping.patience', patience, 'an integer ≥ 1');
  }
  if (typeof minDelta !== 'number' || !Number.isFinite(minDelta) || minDelta < 0) {
    throw invalidArgument(fn, 'options.earlyStopping.minDelta', minDelta, 'a finite number ≥ 0');
  }
  if (restoreBest !== undefined && typeof restoreBest !== 'boolean') {
    throw invalidArgument(fn, 'options.earlyStopping.restoreBest', restoreBest, 'a boolean');
  }
  if (restoreBest === true && !hasValidation) {
    throw conflict(
      fn,
      'options.earlyStopping.restoreBest',
      'options.earlyStopping.restoreBest needs options.validation (the best epoch is judged on held-out data); add validation or drop restoreBest',
    );
  }
  return {
    patience: patience as number,
    minDelta,
    restoreBest: restoreBest ?? hasValidation,
  };
}

function isWebGpuBackend(b: unknown): b is WebGpuBackend {
  return (
    b !== null &&
    typeof b === 'object' &&
    (b as { kind?: unknown }).kind === 'webgpu' &&
    typeof (b as { createTrainer?: unknown }).createTrainer === 'function'
  );
}

/**
 * Whether the options ask for the WebGPU backend, or an `{ kind: 'auto' }` choice that may pick it
 * (without checking anything else): `fit` then returns a promise.
 */
export function wantsWebGpu(options: unknown): boolean {
  const b = (options as { backend?: unknown } | null)?.backend;
  const kind = b !== null && typeof b === 'object' ? (b as { kind?: unknown }).kind : undefined;
  return kind === 'webgpu' || kind === 'auto';
}

/** Steps 1–4 of the module comment. */
export function resolveConfig<M extends Model>(
  fn: string,
  model: M,
  data: Dataset,
  options: FitOptions,
): TrainConfig<M> {
  // 1.–2. Options, before any work.
  const m = checkModel(fn, model) as M;
  if (options === null || typeof options !== 'object') {
    throw invalidArgument(fn, 'options', options, 'an object with at least { epochs }');
  }
  const o = options;
  rejectUnknownKeys(fn, 'options', o, OPTION_NAMES);
  const epochs = o.epochs;
  if (typeof epochs !== 'number' || !Number.isInteger(epochs) || epochs < 1) {
    throw invalidArgument(fn, 'options.epochs', epochs, 'an integer ≥ 1');
  }
  const optimizer = resolveOptimizer(fn, o);
  const auto = resolveAuto(fn, o.backend as unknown);
  let backend: 'cpu' | WebGpuBackend = auto
    ? 'cpu'
    : ((o.backend as WebGpuBackend | undefined) ?? 'cpu');
  if (backend !== 'cpu' && !isWebGpuBackend(backend)) {
    throw invalidArgument(
      fn,
      'options.backend',
      backend,
      "'cpu', 'auto', { kind: 'webgpu', createTrainer: (spec, params, options) => trainer } or { kind: 'auto', webgpu, adapter }",
    );
  }
  if (backend !== 'cpu' && m.kind !== 'mlp') {
    throw invalidArgument(
      fn,
      'options.backend',
      'webgpu',
      "'cpu' for a chain model (the GPU trains MLPs)",
    );
  }
  let dtype: MlpDtype = o.dtype ?? (backend === 'cpu' ? 'float64' : 'float32');
  if (dtype !== 'float64' && dtype !== 'float32') {
    throw invalidArgument(fn, 'options.dtype', dtype, "'float64' or 'float32'");
  }
  if (backend !== 'cpu' && dtype === 'float64') {
    throw invalidArgument(fn, 'options.dtype', dtype, "'float32' or absent for backend 'webgpu'");
  }
  if (dtype === 'float32' && m.kind !== 'mlp') {
    throw invalidArgument(fn, 'options.dtype', dtype, "'float64' for a chain model");
  }
  let requested: ThreadChoice = { threads: 1, note: '' };
  if (o.threads !== undefined) {
    requested = resolveThreads(fn, 'options.threads', o.threads, coreCount());
    if (m.kind !== 'mlp') {
      throw invalidArgument(fn, 'options.threads', o.threads, 'absent for a chain model');
    }
    if (backend !== 'cpu') {
      throw invalidArgument(fn, 'options.threads', o.threads, "absent for backend 'webgpu'");
    }
  }
  const key = resolveKey(fn, o.key);
  const scaling = normalizeMethods(fn, o.normalize);
  const { inputs, outputs } = modelWidths(m);
  const loss0 = m.kind === 'mlp' ? ((o.loss ?? 'mse') as LossName) : 'halfSquaredError';
  // softmaxCrossEntropy takes one integer label per sample (1 column) or probability rows
  const yCols = (d: unknown) =>
    loss0 === 'softmaxCrossEntropy' && outputs > 1 && labelColumn(d, inputs) ? 1 : outputs;
  const all = toDataset(fn, data, inputs, yCols(data));
  checkClassTargets(fn, 'data.y', all.y, loss0, outputs);
  const gradientMethod = o.gradientMethod ?? 'backprop';
  if (
    gradientMethod !== 'backprop' &&
    gradientMethod !== 'autodiff' &&
    gradientMethod !== 'triangular'
  ) {
    throw invalidArgument(
      fn,
      'options.gradientMethod',
      gradientMethod,
      "'backprop', 'autodiff' or 'triangular'",
    );
  }
  let loss: LossName = 'halfSquaredError';
  if (m.kind === 'mlp') {
    loss = o.loss ?? 'mse';
    if (!LOSS_NAMES.includes(loss)) {
      throw invalidArgument(fn, 'options.loss', o.loss, LOSS_NAMES.map((l) => `'${l}'`).join(', '));
    }
    if (gradientMethod !== 'backprop') {
      throw invalidArgument(fn, 'options.gradientMethod', gradientMethod, "'backprop' for an MLP");
    }
  } else if (o.loss !== undefined && o.loss !== 'halfSquaredError') {
    throw invalidArgument(
      fn,
      'options.loss',
      o.loss,
      "'halfSquaredError' (the chain's loss) or absent",
    );
  }
  const regularization = resolveRegularization(fn, o, m.kind);
  if (
    (loss === 'softmaxCrossEntropy' || loss === 'bceWithLogits') &&
    scaling.y !== 'none' &&
    scaling.y !== 'auto'
  ) {
    throw invalidArgument(
      fn,
      'options.normalize',
      o.normalize,
      `no target scaling for the ${loss} loss (its targets are classes or probabilities)`,
    );
  }
  const recordGradNorms = o.recordGradNorms ?? false;
  if (typeof recordGradNorms !== 'boolean')
    throw invalidArgument(fn, 'options.recordGradNorms', recordGradNorms, 'a boolean');
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function')
    throw invalidArgument(fn, 'options.onProgress', o.onProgress, 'a function');
  const progressEvery = o.progressEvery ?? 1;
  if (!Number.isInteger(progressEvery) || progressEvery < 1) {
    throw invalidArgument(fn, 'options.progressEvery', progressEvery, 'an integer ≥ 1');
  }
  const signal = o.signal;
  if (signal !== undefined && (signal === null || typeof signal.aborted !== 'boolean')) {
    throw invalidArgument(fn, 'options.signal', signal, 'an AbortSignal');
  }
  const earlyStopping = resolveEarlyStopping(fn, o.earlyStopping, o.validation !== undefined);

  // 3. Validation split and normalisation.
  let train = all;
  let val: { x: Table; y: Table } | undefined;
  let validation: ValidationSource | undefined;
  const v = o.validation;
  if (v !== undefined) {
    if (v !== null && typeof v === 'object' && 'fraction' in v) {
      rejectUnknownKeys(fn, 'options.validation', v, ['fraction']);
      const f = v.fraction;
      const nVal = Math.ceil(f * all.x.rows);
      if (typeof f !== 'number' || !(f > 0 && f < 1) || nVal >= all.x.rows) {
        throw invalidArgument(
          fn,
          'options.validation.fraction',
          f,
          `a number in (0, 1) leaving at least one of the ${all.x.rows} samples for training`,
        );
      }
      const perm = permutation(foldIn(key, VALIDATION_FOLD), all.x.rows);
      const valIdx = perm.subarray(0, nVal);
      const trainIdx = perm.subarray(nVal);
      val = { x: takeRows(all.x, valIdx), y: takeRows(all.y, valIdx) };
      train = { x: takeRows(all.x, trainIdx), y: takeRows(all.y, trainIdx) };
      validation = { fraction: f };
    } else {
      val = toDataset(fn, v, inputs, yCols(v), 'options.validation');
      checkClassTargets(fn, 'options.validation.y', val.y, loss0, outputs);
      validation = val;
    }
  }
  let normalization: Normalization | undefined = m.normalization;
  if (scaling.x !== 'none' || scaling.y !== 'none') {
    const target: TargetScalingChoice =
      scaling.y === 'auto'
        ? autoTargetScaling(outputActivation(fn, m), loss)
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
    normalization = sx || sy ? { ...(sx ? { x: sx } : {}), ...(sy ? { y: sy } : {}) } : undefined;
  }
  const norm = normalization;
  if (norm) {
    const apply = (d: { x: Table; y: Table }) => ({
      x: norm.x ? { ...d.x, data: standardize(norm.x, d.x.data, inputs) } : d.x,
      y: norm.y ? { ...d.y, data: standardize(norm.y, d.y.data, outputs) } : d.y,
    });
    train = apply(train);
    if (val) val = apply(val);
  }

  // 4. Batches (validates batch, shuffle, dropLast).
  const batch = o.batch ?? 'full';
  const shuffle = o.shuffle ?? 'epoch';
  const dropLast = o.dropLast ?? false;
  let plan: BatchPlan;
  try {
    plan = batchPlan(train.x.rows, { batch, shuffle, dropLast, key });
  } catch (e) {
    if (e instanceof ValidationError) {
      throw new ValidationError(
        e.message.replace(/^batchPlan: (\w+)/, `${fn}: options.$1`),
        fn,
        `options.${e.arg}`,
      );
    }
    throw e;
  }

  // `backend: 'auto'`: the CPU (threads where they pay) or WebGPU, from the measured thresholds.
  let asked = o.threads !== undefined;
  const autoNotes: string[] = [];
  if (auto) {
    if (m.kind !== 'mlp') {
      autoNotes.push("backend 'auto': CPU: chain models train on the CPU");
    } else {
      const facts = {
        cores: coreCount(),
        sharedMemory: sharedMemoryAvailable(),
        ...(o.threads !== undefined ? { threads: requested.threads } : {}),
      };
      let choice = chooseBackend(m.spec, plan.batchSize, { ...facts, adapter: auto.adapter });
      if (choice.backend === 'webgpu') {
        const blocked = webGpuBlocker({ optimizer, loss, recordGradNorms, dropLast });
        const why = !auto.webgpu
          ? 'no WebGPU trainer was given (backend.webgpu)'
          : o.dtype === 'float64'
            ? "dtype 'float64' (WebGPU trains in float32)"
            : blocked
              ? `options.${blocked.arg} must be ${blocked.expectation} for the WebGPU trainer`
              : '';
        if (why === '' && auto.webgpu) {
          backend = auto.webgpu;
          dtype = 'float32';
          autoNotes.push(`backend 'auto': ${choice.reason}`);
        } else {
          const cpu = chooseBackend(m.spec, plan.batchSize, { ...facts, adapter: null });
          autoNotes.push(
            `backend 'auto': ${choice.reason}, but the CPU runs: ${why}; ${cpu.reason.replace(': no WebGPU adapter', '')}`,
          );
          choice = cpu;
        }
      } else {
        autoNotes.push(`backend 'auto': ${choice.reason}`);
      }
      if (choice.backend === 'cpu') {
        asked = choice.threads > 1;
        requested = { threads: choice.threads, note: requested.note };
      }
    }
  }

  return {
    fn,
    model: m,
    epochs,
    optimizer,
    key,
    loss,
    gradientMethod,
    recordGradNorms,
    progressEvery,
    onProgress: o.onProgress,
    signal,
    earlyStopping,
    batch,
    shuffle,
    dropLast,
    scaling,
    validation,
    train,
    val,
    normalization,
    plan,
    dtype,
    backend,
    regularization,
    ...computeReport(m, plan.batchSize, dtype, backend, asked, requested, autoNotes),
  };
}

/**
 * `backend: 'auto'` (CPU only) or `{ kind: 'auto', webgpu?, adapter? }`, checked; null for any
 * other value (checked as before).
 */
function resolveAuto(
  fn: string,
  b: unknown,
): { webgpu: WebGpuBackend | undefined; adapter: AdapterFacts | null } | null {
  if (b === 'auto') return { webgpu: undefined, adapter: null };
  if (b === null || typeof b !== 'object' || (b as { kind?: unknown }).kind !== 'auto') return null;
  const a = b as AutoBackend;
  if (a.webgpu !== undefined && !isWebGpuBackend(a.webgpu)) {
    throw invalidArgument(
      fn,
      'options.backend.webgpu',
      a.webgpu,
      "absent or { kind: 'webgpu', createTrainer: (spec, params, options) => trainer }",
    );
  }
  const ad = a.adapter;
  if (
    ad !== undefined &&
    ad !== null &&
    (typeof ad !== 'object' ||
      typeof (ad as { isFallbackAdapter?: unknown }).isFallbackAdapter !== 'boolean')
  ) {
    throw invalidArgument(
      fn,
      'options.backend.adapter',
      ad,
      'absent, null or { isFallbackAdapter: boolean, description?: string }',
    );
  }
  return { webgpu: a.webgpu, adapter: ad ?? null };
}

/**
 * Whether `data.y` holds one value per sample: a flat array as long as `data.x` has rows, or rows of
 * one value. Used to tell integer labels from probability rows for `softmaxCrossEntropy`.
 */
function labelColumn(data: unknown, inputs: number): boolean {
  const d = data as { x?: unknown; y?: unknown } | null;
  if (d === null || typeof d !== 'object') return false;
  const len = (v: unknown): number =>
    v !== null && typeof v === 'object' && typeof (v as ArrayLike<unknown>).length === 'number'
      ? (v as ArrayLike<unknown>).length
      : -1;
  const rowsOf = (v: unknown, cols: number): number => {
    const mat = v as { rows?: unknown; cols?: unknown; data?: unknown } | null;
    if (
      mat !== null &&
      typeof mat === 'object' &&
      typeof mat.rows === 'number' &&
      mat.data instanceof Float64Array
    ) {
      return mat.cols === cols ? mat.rows : -1;
    }
    const n = len(v);
    if (n <= 0) return -1;
    const first = (v as ArrayLike<unknown>)[0];
    if (len(first) >= 0 && typeof first !== 'string') return len(first) === cols ? n : -1;
    return n / cols;
  };
  const rows = rowsOf(d.x, inputs);
  return rows > 0 && rowsOf(d.y, 1) === rows;
}

/**
 * Targets of the classification losses: integer labels in [0, K) (softmaxCrossEntropy, one column),
 * probability rows summing to 1 (softmaxCrossEntropy), values in [0, 1] (bceWithLogits).
 */
function checkClassTargets(
  fn: string,
  arg: string,
  y: Table,
  loss: LossName,
  outputs: number,
): void {
  if (loss !== 'softmaxCrossEntropy' && loss !== 'bceWithLogits') return;
  const d = y.data;
  if (loss === 'softmaxCrossEntropy' && outputs < 2) {
    throw invalidArgument(
      fn,
      'options.loss',
      loss,
      'a loss for this 1-output model (softmaxCrossEntropy needs ≥ 2 outputs, one per class; use bceWithLogits)',
    );
  }
  if (loss === 'softmaxCrossEntropy' && y.cols === 1) {
    for (let i = 0; i < d.length; i++) {
      const v = d[i]!;
      if (!(Number.isInteger(v) && v >= 0 && v < outputs)) {
        throw invalidArgument(
          fn,
          `${arg}[${i}]`,
          v,
          `an integer class label in [0, ${outputs}) (the model has ${outputs} outputs)`,
        );
      }
    }
    return;
  }
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (!(v >= 0 && v <= 1)) {
      throw invalidArgument(fn, `${arg}[${i}]`, v, `a probability in [0, 1] for the ${loss} loss`);
    }
  }
  if (loss === 'softmaxCrossEntropy') {
    for (let r = 0; r < y.rows; r++) {
      let sum = 0;
      for (let k = 0; k < y.cols; k++) sum += d[r * y.cols + k]!;
      if (Math.abs(sum - 1) > 1e-6) {
        throw invalidArgument(
          fn,
          `${arg} row ${r}`,
          sum,
          'a probability row summing to 1 (or pass integer labels, one per sample)',
        );
      }
    }
  }
}

/** The l1 and l2 options: finite rates ≥ 0, MLP only; undefined when both are 0 or absent. */
function resolveRegularization(
  fn: string,
  o: FitOptions,
  kind: Model['kind'],
): Regularization | undefined {
  const rate = (name: 'l1' | 'l2'): number => {
    const v = o[name];
    if (v === undefined) return 0;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw invalidArgument(fn, `options.${name}`, v, 'a finite number ≥ 0');
    }
    if (v > 0 && kind !== 'mlp') {
      throw invalidArgument(
        fn,
        `options.${name}`,
        v,
        '0 or absent for a chain model (regularisation is for MLPs)',
      );
    }
    return v;
  };
  const l1 = rate('l1');
  const l2 = rate('l2');
  return l1 === 0 && l2 === 0 ? undefined : { l1, l2 };
}

/**
 * What a run computes on: the backend, the float32 kernel, and the threads actually used with why.
 * Threads run only where {@link parallelPays} (the measured threshold) says the batch is large
 * enough, and only where the calling thread may block (Node); otherwise one thread, with the reason.
 */
function computeReport(
  m: Model,
  batchSize: number,
  dtype: MlpDtype,
  backend: 'cpu' | WebGpuBackend,
  asked: boolean,
  requested: ThreadChoice,
  autoNotes: readonly string[],
): { compute: ComputeReport; parallel: boolean } {
  const kernel =
    backend !== 'cpu'
      ? 'webgpu'
      : dtype === 'float32'
        ? `float32 ${denseF32Kernel() === 'none' ? 'JS' : `WebAssembly ${denseF32Kernel()}`}`
        : 'float64';
  const notes = [...autoNotes, ...(requested.note ? [requested.note] : [])];
  let threads = requested.threads;
  let parallel = asked && m.kind === 'mlp';
  if (parallel && m.kind === 'mlp' && !parallelPays(m.spec, batchSize)) {
    if (threads > 1) {
      notes.push(
        `threads: one thread runs: a batch of ${batchSize} is below the size where threads pay`,
      );
    }
    threads = 1;
    parallel = false;
  }
  if (parallel && threads > 1 && !canBlock()) {
    notes.push('threads: one thread runs: this thread cannot wait for workers (not Node)');
    threads = 1;
  }
  return {
    compute: { backend: backend === 'cpu' ? 'cpu' : 'webgpu', kernel, threads, notes },
    parallel,
  };
}

/** Whether the calling thread may block in `Atomics.wait` (Node's threads; not a browser page). */
function canBlock(): boolean {
  return typeof process !== 'undefined' && process.versions?.node !== undefined;
}
