/**
 * Scaling of inputs and targets, fitted on the training data, stored with the model and inverted on
 * prediction. Every scaling is the per-column affine map z = (v − mean) / std:
 * - `'standard'`: mean and (population) standard deviation, so z has mean 0 and variance 1;
 * - `'minmax'`: the column's [min, max] maps onto a range [lo, hi] (default [0, 1]), i.e.
 *   std = (max − min) / (hi − lo) and mean = min − lo · std.
 *
 * Min-max scaling exists for outputs whose activation is bounded: a GELU output cannot go below
 * −0.17, so standardised targets (which go to about −1.7) are partly unreachable, while targets
 * scaled to [0, 1] are all reachable. {@link autoTargetScaling} picks the scaling from the output
 * activation.
 */
import {
  type Activation,
  type ActivationSpec,
  activation,
  type LossName,
  ShapeError,
} from '@annlab/core';
import { assertAllFinite, assertInteger, invalidArgument } from '@annlab/core/internal';

/** How a column is scaled: see the module comment. */
export type ScalingMethod = 'standard' | 'minmax';

/**
 * A per-column affine scaling z = (v − mean) / std (std > 0). Made by {@link fitStandardizer}
 * (`mean`, `std` are the column's mean and standard deviation; a constant column gets std 1) or by
 * {@link fitMinMax} (`mean`, `std` are the shift and scale that map [min, max] onto `range`).
 */
export interface Standardizer {
  readonly mean: Float64Array;
  readonly std: Float64Array;
  /** How it was fitted; absent means `'standard'` (as in checkpoints written before min-max). */
  readonly method?: ScalingMethod;
  /** `'minmax'` only: the range [lo, hi] the training data's [min, max] maps onto. */
  readonly range?: readonly [number, number];
}

/** The normalisation stored with a model; an absent side is not transformed. */
export interface Normalization {
  readonly x?: Standardizer;
  readonly y?: Standardizer;
}

function checkShape(fn: string, data: Float64Array, cols: number): number {
  assertInteger(fn, 'cols', cols, 1);
  if (data.length % cols !== 0) {
    throw new ShapeError(
      `${fn}: data length ${data.length} is not a multiple of cols = ${cols}`,
      fn,
      'data',
    );
  }
  return data.length / cols;
}

/**
 * Fits a {@link Standardizer} to row-major `data` with `cols` columns (two passes, so the variance
 * does not suffer from cancellation).
 * @example `fitStandardizer(Float64Array.of(1, 2, 3), 1)` → mean [2], std [√(2/3)]
 */
export function fitStandardizer(data: Float64Array, cols: number): Standardizer {
  const rows = checkShape('fitStandardizer', data, cols);
  if (rows === 0) {
    throw new ShapeError(
      'fitStandardizer: data must have at least one row, got 0',
      'fitStandardizer',
      'data',
    );
  }
  assertAllFinite('fitStandardizer', 'data', data);
  const mean = new Float64Array(cols);
  const std = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c]! += data[r * cols + c]!;
  for (let c = 0; c < cols; c++) mean[c] = mean[c]! / rows;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const d = data[r * cols + c]! - mean[c]!;
      std[c]! += d * d;
    }
  }
  for (let c = 0; c < cols; c++) {
    const s = Math.sqrt(std[c]! / rows);
    std[c] = s > 0 && Number.isFinite(s) ? s : 1;
  }
  return { mean, std };
}

/**
 * Fits a min-max {@link Standardizer} to row-major `data` with `cols` columns: each column's
 * [min, max] maps onto `range` = [lo, hi] (default [0, 1]). A constant column maps to the middle
 * of the range.
 * @example `fitMinMax(Float64Array.of(2, 4, 6), 1)` → maps 2 → 0, 4 → 0.5, 6 → 1
 */
export function fitMinMax(
  data: Float64Array,
  cols: number,
  range: readonly [number, number] = [0, 1],
): Standardizer {
  const fn = 'fitMinMax';
  const rows = checkShape(fn, data, cols);
  if (rows === 0) throw new ShapeError(`${fn}: data must have at least one row, got 0`, fn, 'data');
  assertAllFinite(fn, 'data', data);
  if (
    !Array.isArray(range) ||
    range.length !== 2 ||
    !Number.isFinite(range[0]) ||
    !Number.isFinite(range[1]) ||
    !(range[0] < range[1])
  ) {
    throw invalidArgument(fn, 'range', range, 'two finite numbers [lo, hi] with lo < hi');
  }
  const [lo, hi] = range;
  const mean = new Float64Array(cols);
  const std = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    let min = data[c]!;
    let max = min;
    for (let r = 1; r < rows; r++) {
      const v = data[r * cols + c]!;
      if (v < min) min = v;
      else if (v > max) max = v;
    }
    const s = (max - min) / (hi - lo);
    if (s > 0 && Number.isFinite(s)) {
      std[c] = s;
      mean[c] = min - lo * s;
    } else {
      std[c] = 1;
      mean[c] = min - (lo + hi) / 2;
    }
  }
  return { mean, std, method: 'minmax', range: [lo, hi] };
}

/** What {@link autoTargetScaling} chooses: a method (with its range for min-max) or none. */
export type TargetScalingChoice =
  | { readonly method: 'standard' }
  | { readonly method: 'minmax'; readonly range: readonly [number, number] }
  | { readonly method: 'none' };

/**
 * The target scaling that `normalize: true` (or `{ y: 'auto' }`) uses, chosen so that every scaled
 * target lies inside the output activation's range:
 * - `bceWithLogits` and `softmaxCrossEntropy` losses: none (the targets are probabilities or classes);
 * - unbounded outputs (`identity`, `leakyRelu`): `'standard'`;
 * - outputs bounded below only (`relu`, `gelu`, `elu`): `'minmax'` onto [0, 1]; `softplus`, whose
 *   0 is only approached, onto [0.1, 1];
 * - `sigmoid` (0, 1): `'minmax'` onto [0.1, 0.9]; `tanh` (−1, 1): onto [−0.9, 0.9] (the ends of a
 *   saturating range need infinite pre-activations, so the targets stay inside it).
 *
 * @example `autoTargetScaling('gelu')` → `{ method: 'minmax', range: [0, 1] }`
 */
export function autoTargetScaling(
  output: ActivationSpec | Activation,
  loss?: LossName,
): TargetScalingChoice {
  const fn = 'autoTargetScaling';
  let name: string;
  if (output !== null && typeof output === 'object' && 'f' in output) name = output.name;
  else {
    try {
      name = activation(output).name;
    } catch {
      throw invalidArgument(fn, 'output', output, 'an activation spec or object');
    }
  }
  if (loss === 'bceWithLogits' || loss === 'softmaxCrossEntropy') return { method: 'none' };
  switch (name) {
    case 'relu':
    case 'gelu':
    case 'elu':
      return { method: 'minmax', range: [0, 1] };
    case 'softplus':
      return { method: 'minmax', range: [0.1, 1] };
    case 'sigmoid':
      return { method: 'minmax', range: [0.1, 0.9] };
    case 'tanh':
      return { method: 'minmax', range: [-0.9, 0.9] };
    case 'identity':
    case 'leakyRelu':
      return { method: 'standard' };
    default:
      throw invalidArgument(fn, 'output', name, 'a known activation');
  }
}

/**
 * Writes `(v − mean) / std` per column to `out` (default: a new array) and returns it.
 * @example `standardize(s, x, 1)`
 */
export function standardize(
  s: Standardizer,
  data: Float64Array,
  cols: number,
  out: Float64Array = new Float64Array(data.length),
): Float64Array {
  checkShape('standardize', data, cols);
  if (s.mean.length !== cols) {
    throw new ShapeError(
      `standardize: the standardizer has ${s.mean.length} columns, data has ${cols}`,
      'standardize',
      's',
    );
  }
  for (let i = 0; i < data.length; i++) {
    const c = i % cols;
    out[i] = (data[i]! - s.mean[c]!) / s.std[c]!;
  }
  return out;
}

/**
 * Inverse of {@link standardize}: writes `v · std + mean` per column to `out` and returns it.
 * @example `unstandardize(s, standardize(s, y, 3), 3)` ≈ y
 */
export function unstandardize(
  s: Standardizer,
  data: Float64Array,
  cols: number,
  out: Float64Array = new Float64Array(data.length),
): Float64Array {
  checkShape('unstandardize', data, cols);
  if (s.mean.length !== cols) {
    throw new ShapeError(
      `unstandardize: the standardizer has ${s.mean.length} columns, data has ${cols}`,
      'unstandardize',
      's',
    );
  }
  for (let i = 0; i < data.length; i++) {
    const c = i % cols;
    out[i] = data[i]! * s.std[c]! + s.mean[c]!;
  }
  return out;
}
