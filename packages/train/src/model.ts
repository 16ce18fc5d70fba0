/** The models `fit` trains, and prediction with their stored normalisation. */
import {
  type Activation,
  type ActivationSpec,
  activation,
  type ChainParams,
  chainParams,
  defaultChainActivations,
  type LossName,
  type MlpSpec,
  mlpLayout,
  mlpPredict,
  NonFiniteError,
  ShapeError,
  ValidationError,
} from '@annlab/core';
import { formatValue } from '@annlab/core/internal';
import { type DataInput, toTable } from './data.js';
import type { Normalization } from './normalize.js';
import { standardize, unstandardize } from './normalize.js';
import type { OptimizerConfig } from './optimizers/index.js';

/** How a model was trained; stored by `fit` and in checkpoints (JSON). */
export interface TrainingRecord {
  readonly optimizer: OptimizerConfig;
  /** Epochs completed. */
  readonly epochs: number;
  /** Parameter updates made. */
  readonly updates: number;
  readonly batch: 'full' | 'sgd' | number;
  readonly shuffle: 'epoch' | 'fixed' | 'none' | 'custom';
  readonly dropLast: boolean;
  readonly loss: string;
  readonly gradientMethod?: string;
  /** `'float32'` when trained with `dtype: 'float32'` (absent: float64). */
  readonly dtype?: string;
  /** Threads that computed the gradients, when more than one. */
  readonly threads?: number;
  /** `'webgpu'` when trained on a GPU (absent: the CPU). */
  readonly backend?: string;
  readonly key: readonly [number, number];
  readonly stopReason: string;
  /** Training loss of the last completed epoch. */
  readonly finalLoss: number;
}

/**
 * The lecture's width-one network x_{i+1} = h_i(w_i x_i + b_i), trained on ½(ŷ − y)² per sample
 * (the mean over a batch).
 */
export interface ChainModel {
  readonly kind: 'chain';
  readonly params: ChainParams;
  /** N activations (default: sigmoid on layers 1..N−1, identity on layer N). */
  readonly activations?: ReadonlyArray<ActivationSpec | Activation>;
  /** Standardisation of x and y fitted on the training data (inverted by {@link predict}). */
  readonly normalization?: Normalization;
  readonly training?: TrainingRecord;
}

/**
 * A dense network (core's `MlpSpec`, flat parameters in `mlpLayout` order), trained on the loss
 * named in `fit`'s options (default `'mse'`).
 */
export interface MlpModel {
  readonly kind: 'mlp';
  readonly spec: MlpSpec;
  /** Flat parameters (Float64Array; see core's `initMlp`). */
  readonly params: Float64Array;
  readonly normalization?: Normalization;
  readonly training?: TrainingRecord;
  /**
   * A classifier's label of each class index (`classes[k]` for output k; two labels for a one-output
   * `bceWithLogits` model), e.g. `readTable`'s `classes`; stored in checkpoints.
   */
  readonly classes?: readonly string[];
}

/** A model `fit` can train: the lecture's width-one chain or a dense network. */
export type Model = ChainModel | MlpModel;

/** The losses `fit` accepts for MLPs (core's `LossName`). */
export type MlpLoss = LossName;

/** Activation objects of a chain model, with the model's checks. */
export function chainActivations(fn: string, model: ChainModel): Activation[] {
  const depth = model.params.depth;
  const specs = model.activations ?? defaultChainActivations(depth);
  if (!Array.isArray(specs) || specs.length !== depth) {
    throw new ShapeError(
      `${fn}: model.activations must be an array of depth = ${depth} activations, got ${formatValue(specs)}`,
      fn,
      'model.activations',
    );
  }
  return specs.map((s) =>
    typeof s === 'object' && s !== null && 'f' in s
      ? (s as Activation)
      : activation(s as ActivationSpec),
  );
}

/** Checks the model's shape and finiteness at a public boundary. */
export function checkModel(fn: string, model: unknown): Model {
  const m = model as Partial<ChainModel | MlpModel> | null;
  if (m === null || typeof m !== 'object' || (m.kind !== 'chain' && m.kind !== 'mlp')) {
    throw new ValidationError(
      `${fn}: model must be { kind: 'chain', params } or { kind: 'mlp', spec, params }, got ${formatValue(model)}`,
      fn,
      'model',
    );
  }
  let data: Float64Array;
  if (m.kind === 'mlp') {
    let size: number;
    try {
      size = mlpLayout(m.spec as MlpSpec).size;
    } catch (e) {
      throw new ValidationError(
        `${fn}: model.spec is invalid: ${(e as Error).message}`,
        fn,
        'model.spec',
      );
    }
    if (!(m.params instanceof Float64Array) || m.params.length !== size) {
      throw new ShapeError(
        `${fn}: model.params must be a Float64Array of the spec's ${size} parameters (initMlp), got ${formatValue(m.params)}`,
        fn,
        'model.params',
      );
    }
    data = m.params;
  } else {
    const p = m.params as Partial<ChainParams> | undefined;
    if (
      !p ||
      !Number.isInteger(p.depth) ||
      (p.depth as number) < 1 ||
      !(p.data instanceof Float64Array) ||
      p.data.length !== 2 * (p.depth as number)
    ) {
      throw new ValidationError(
        `${fn}: model.params must be ChainParams { depth, data: Float64Array(2·depth) } (chainParams, initChain), got ${formatValue(p)}`,
        fn,
        'model.params',
      );
    }
    data = p.data;
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      throw new ValidationError(
        `${fn}: model.params must be finite, got ${formatValue(data[i])} at index ${i}`,
        fn,
        'model.params',
      );
    }
  }
  if (m.kind === 'chain') chainActivations(fn, m as ChainModel);
  return m as Model;
}

/** The flat parameter vector of a model (the live buffer, not a copy). */
export function modelData(model: Model): Float64Array {
  return model.kind === 'chain' ? model.params.data : model.params;
}

/** Input and output widths. */
export function modelWidths(model: Model): { inputs: number; outputs: number } {
  if (model.kind === 'chain') return { inputs: 1, outputs: 1 };
  const sizes = model.spec.sizes;
  return { inputs: sizes[0]!, outputs: sizes[sizes.length - 1]! };
}

/** The parameter slices of each layer, for per-layer gradient norms: [start, end) pairs. */
export function layerSlices(model: Model): Array<readonly number[]> {
  if (model.kind === 'mlp') {
    return mlpLayout(model.spec).layers.map((l) => [
      l.wOffset,
      l.wOffset + l.inSize * l.outSize,
      l.bOffset,
      l.bOffset + l.outSize,
    ]);
  }
  const n = model.params.depth;
  return Array.from({ length: n }, (_, i) => [i, i + 1, n + i, n + i + 1]);
}

/** A model of the same kind with new flat parameters (copied). */
export function withParams<M extends Model>(model: M, data: Float64Array, extra: Partial<M>): M {
  if (model.kind === 'mlp') return { ...model, ...extra, params: data.slice() } as M;
  const n = model.params.depth;
  const params = chainParams(data.subarray(0, n), data.subarray(n, 2 * n));
  const activations = chainActivations('withParams', model).map((a) => a.spec);
  return { ...model, ...extra, params, activations } as M;
}

/** Runs the chain on normalised inputs: x ← h_i(w_i x + b_i). */
export function chainOutput(p: Float64Array, depth: number, x: number, acts: Activation[]): number {
  let v = x;
  for (let i = 0; i < depth; i++) v = acts[i]!.f(p[i]! * v + p[depth + i]!);
  return v;
}

/**
 * Predictions of a model for the inputs `x` (any {@link DataInput}), in the units of the training
 * targets: the stored normalisation is applied to x and inverted on the outputs. Returns a
 * row-major Float64Array of `rows × outputs`.
 *
 * @example
 * ```ts
 * const { model } = fit(net, { x, y }, { epochs: 500, batch: 'sgd', normalize: true });
 * predict(model, [0.5, 1, 2]); // Float64Array(3)
 * ```
 */
export function predict(model: Model, x: DataInput): Float64Array {
  const fn = 'predict';
  const m = checkModel(fn, model);
  const { inputs, outputs } = modelWidths(m);
  const t = toTable(fn, 'x', x, inputs);
  const norm = m.normalization;
  const xin = norm?.x ? standardize(norm.x, t.data, inputs) : t.data;
  let out: Float64Array;
  if (m.kind === 'mlp') {
    out = Float64Array.from(mlpPredict(m.spec, m.params, xin, t.rows));
  } else {
    const acts = chainActivations(fn, m);
    out = new Float64Array(t.rows);
    for (let i = 0; i < t.rows; i++) {
      out[i] = chainOutput(m.params.data, m.params.depth, xin[i]!, acts);
    }
  }
  const y = norm?.y ? unstandardize(norm.y, out, outputs, out) : out;
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i]!)) {
      const row = Math.floor(i / outputs);
      throw new NonFiniteError(
        `predict: the output is not finite (${formatValue(y[i])}) for input row ${row}; the model's parameters overflow float64 there`,
      );
    }
  }
  return y;
}
