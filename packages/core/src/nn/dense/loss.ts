/**
 * Losses over n predictions (a batch × outputs block, flattened), each with a fused value-and-gradient
 * that writes ∂L/∂pred into a caller's buffer and allocates nothing.
 */
import type { FloatArray } from '../../activations/index.js';
import { sigmoid } from '../../activations/index.js';
import { formatValue, ValidationError } from '../../errors.js';

/** Names of the losses; see {@link loss} for their conventions. */
export type LossName = 'halfSquaredError' | 'mse' | 'sse' | 'bceWithLogits' | 'softmaxCrossEntropy';

/** The loss names, in documentation order. */
export const LOSS_NAMES: readonly LossName[] = Object.freeze([
  'halfSquaredError',
  'mse',
  'sse',
  'bceWithLogits',
  'softmaxCrossEntropy',
]);

/** A loss over the first n entries of `pred` and `target`. */
export interface Loss {
  /** The loss's name. */
  readonly name: LossName;
  /**
   * L(pred, target) over entries 0..n−1. `width` is the row width (the network's outputs, default
   * 1): only `softmaxCrossEntropy` reads it (a softmax per row of `width` logits).
   */
  value(pred: ArrayLike<number>, target: ArrayLike<number>, n: number, width?: number): number;
  /** Returns L and writes ∂L/∂pred[k] into gradOut[k] for k < n (nothing else is touched). */
  valueAndGradient(
    pred: ArrayLike<number>,
    target: ArrayLike<number>,
    n: number,
    gradOut: FloatArray,
    width?: number,
  ): number;
}

/**
 * max(z, 0) − z·y + log1p(e^(−|z|)): −y·log σ(z) − (1 − y)·log(1 − σ(z)) without overflow. A target
 * outside [0, 1] (or NaN) has no such meaning (the "loss" can go negative): it throws.
 */
function bceTerm(z: number, y: number, k: number): number {
  if (!(y >= 0 && y <= 1)) {
    throw new ValidationError(
      `loss('bceWithLogits'): target must be in [0, 1] (a probability), got ${formatValue(y)} at index ${k}`,
      'bceWithLogits',
      'target',
    );
  }
  return Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
}

/**
 * Softmax cross-entropy of one row of logits z (entries at..at+K−1) against a probability row y:
 * Σₖ yₖ·(lse(z) − zₖ) with lse(z) = m + log Σ e^(zₖ − m), m = max z (no overflow at ±1000). With
 * gradOut, writes c·(softmax(z)·Σy − y), the gradient scaled by c. NaN logits give NaN.
 */
function sceRow(
  z: ArrayLike<number>,
  y: ArrayLike<number>,
  at: number,
  K: number,
  gradOut: FloatArray | null,
  c: number,
): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < K; k++) {
    const v = z[at + k]!;
    if (v > m || Number.isNaN(v)) m = v;
  }
  let s = 0;
  for (let k = 0; k < K; k++) s += Math.exp(z[at + k]! - m);
  const lse = m + Math.log(s);
  let l = 0;
  let ySum = 0;
  for (let k = 0; k < K; k++) {
    const t = y[at + k]!;
    // a zero target contributes nothing, even against a −∞ logit
    if (t !== 0) l += t * (lse - z[at + k]!);
    ySum += t;
  }
  if (gradOut !== null) {
    for (let k = 0; k < K; k++) {
      gradOut[at + k] = c * (Math.exp(z[at + k]! - lse) * ySum - y[at + k]!);
    }
  }
  return l;
}

/**
 * Softmax cross-entropy of one row of logits against an integer label y: lse(z) − z_y; with gradOut,
 * writes c·(softmax(z) − e_y).
 */
function sceLabelRow(
  z: ArrayLike<number>,
  at: number,
  K: number,
  label: number,
  gradOut: FloatArray | null,
  c: number,
): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < K; k++) {
    const v = z[at + k]!;
    if (v > m || Number.isNaN(v)) m = v;
  }
  let s = 0;
  for (let k = 0; k < K; k++) s += Math.exp(z[at + k]! - m);
  const lse = m + Math.log(s);
  if (gradOut !== null) {
    for (let k = 0; k < K; k++) {
      gradOut[at + k] = c * (Math.exp(z[at + k]! - lse) - (k === label ? 1 : 0));
    }
  }
  return lse - z[at + label]!;
}

/**
 * Mean softmax cross-entropy of `rows` rows of K logits against integer labels, unchecked (labels
 * must be integers in [0, K)); writes the gradient when gradOut is non-null. Used by
 * `mlpValueAndGradient` and {@link softmaxCrossEntropy}.
 */
export function sceLabels(
  z: ArrayLike<number>,
  labels: ArrayLike<number>,
  rows: number,
  K: number,
  gradOut: FloatArray | null,
): number {
  const c = 1 / rows;
  let total = 0;
  for (let r = 0; r < rows; r++) total += sceLabelRow(z, r * K, K, labels[r]!, gradOut, c);
  return total / rows;
}

const LOSSES: { readonly [N in LossName]: Loss } = {
  // L = ½ Σ (ŷ − y)²;  ∂L/∂ŷ = ŷ − y
  halfSquaredError: {
    name: 'halfSquaredError',
    value(pred, target, n) {
      let s = 0;
      for (let k = 0; k < n; k++) {
        const r = pred[k]! - target[k]!;
        s += r * r;
      }
      return 0.5 * s;
    },
    valueAndGradient(pred, target, n, gradOut) {
      let s = 0;
      for (let k = 0; k < n; k++) {
        const r = pred[k]! - target[k]!;
        s += r * r;
        gradOut[k] = r;
      }
      return 0.5 * s;
    },
  },
  // L = (1/n) Σ (ŷ − y)²;  ∂L/∂ŷ = 2(ŷ − y)/n
  mse: {
    name: 'mse',
    value(pred, target, n) {
      let s = 0;
      for (let k = 0; k < n; k++) {
        const r = pred[k]! - target[k]!;
        s += r * r;
      }
      return s / n;
    },
    valueAndGradient(pred, target, n, gradOut) {
      const c = 2 / n;
      let s = 0;
      for (let k = 0; k < n; k++) {
        const r = pred[k]! - target[k]!;
        s += r * r;
        gradOut[k] = c * r;
      }
      return s / n;
    },
  },
  // L = Σ (ŷ − y)²;  ∂L/∂ŷ = 2(ŷ − y)
  sse: {
    name: 'sse',
    value(pred, target, n) {
      let s = 0;
      for (let k = 0; k < n; k++) {
        const r = pred[k]! - target[k]!;
        s += r * r;
      }
      return s;
    },
    valueAndGradient(pred, target, n, gradOut) {
      let s = 0;
      for (let k = 0; k < n; k++) {
        const r = pred[k]! - target[k]!;
        s += r * r;
        gradOut[k] = 2 * r;
      }
      return s;
    },
  },
  // L = (1/n) Σ max(z, 0) − z·y + log1p(e^(−|z|));  ∂L/∂z = (σ(z) − y)/n
  bceWithLogits: {
    name: 'bceWithLogits',
    value(pred, target, n) {
      let s = 0;
      for (let k = 0; k < n; k++) s += bceTerm(pred[k]!, target[k]!, k);
      return s / n;
    },
    valueAndGradient(pred, target, n, gradOut) {
      const c = 1 / n;
      let s = 0;
      for (let k = 0; k < n; k++) {
        const z = pred[k]!;
        const y = target[k]!;
        s += bceTerm(z, y, k);
        gradOut[k] = c * (sigmoid(z) - y);
      }
      return s / n;
    },
  },
  // L = (1/rows) Σ_rows Σₖ yₖ·(lse(z) − zₖ);  ∂L/∂zₖ = (softmax(z)ₖ·Σy − yₖ)/rows
  softmaxCrossEntropy: {
    name: 'softmaxCrossEntropy',
    value(pred, target, n, width = 1) {
      const rows = n / width;
      let s = 0;
      for (let r = 0; r < rows; r++) s += sceRow(pred, target, r * width, width, null, 0);
      return s / rows;
    },
    valueAndGradient(pred, target, n, gradOut, width = 1) {
      const rows = n / width;
      const c = 1 / rows;
      let s = 0;
      for (let r = 0; r < rows; r++) s += sceRow(pred, target, r * width, width, gradOut, c);
      return s / rows;
    },
  },
};

/**
 * A loss by name. Conventions, for predictions ŷ and targets y over n entries (in a network, the
 * batch × outputs block, n = batch·outputs):
 *
 * - `'halfSquaredError'`: ½ Σ (ŷ − y)², summed over outputs and batch (the lecture's per-sample loss
 *   ½‖ŷ − y‖², summed over the samples). Gradient ŷ − y.
 * - `'sse'`: Σ (ŷ − y)², the sum of squared errors (PyTorch's `MSELoss(reduction='sum')`).
 *   Gradient 2(ŷ − y).
 * - `'mse'`: (1/n) Σ (ŷ − y)², the mean over batch × outputs (PyTorch's default `MSELoss`).
 *   Gradient 2(ŷ − y)/n.
 * - `'bceWithLogits'`: (1/n) Σ [max(z, 0) − z·y + log1p(e^(−|z|))] for logits z = ŷ and targets
 *   y ∈ [0, 1], the mean binary cross-entropy of σ(z) computed without overflow (finite at z = ±1000;
 *   PyTorch's `BCEWithLogitsLoss`). Gradient (σ(z) − y)/n. A target outside [0, 1] or NaN throws a
 *   `ValidationError` naming its index (it would make the "loss" negative).
 * - `'softmaxCrossEntropy'`: for rows of K = `width` logits z and probability (or one-hot) targets y,
 *   (1/rows) Σ_rows Σₖ yₖ·(lse(z) − zₖ), the mean cross-entropy of softmax(z), with the log-sum-exp
 *   lse(z) = max z + log Σ e^(zₖ − max z) (finite at logits ±1000; PyTorch's `CrossEntropyLoss` with
 *   probability targets). Gradient (softmax(z)·Σy − y)/rows. Integer labels: see
 *   {@link softmaxCrossEntropy} and `mlpValueAndGradient`.
 *
 * `value` and `valueAndGradient` read entries 0..n−1 only and do not validate (they sit in the
 * training loop); `valueAndGradient` writes the gradient into `gradOut` and allocates nothing.
 *
 * @example
 * ```ts
 * const g = new Float64Array(2);
 * loss('sse').valueAndGradient([1, 2], [0, 0], 2, g); // 5; g = [2, 4]
 * loss('mse').value([1, 2], [0, 0], 2); // 2.5
 * ```
 */
export function loss(name: LossName): Loss {
  const l = Object.hasOwn(LOSSES, name) ? LOSSES[name] : undefined;
  if (l === undefined) {
    throw new ValidationError(
      `loss: name must be one of ${LOSS_NAMES.join(', ')}, got ${formatValue(name)}`,
      'loss',
      'name',
    );
  }
  return l;
}

/**
 * Mean softmax cross-entropy of logits against integer labels or probability targets, with
 * validation; writes ∂L/∂logits into `gradOut` when given. Computed stably with log-sum-exp.
 *
 * - `logits`: rows × `classes`, row-major.
 * - `targets`: one integer label in [0, classes) per row (length rows), or a probability row per row
 *   (length rows × classes; entries in [0, 1], each row summing to 1 within 1e-6; one-hot included).
 *
 * L = (1/rows) Σ_rows (lse(z) − z_label), or Σₖ yₖ·(lse(z) − zₖ) for probability rows.
 * Gradient (softmax(z) − y)/rows.
 *
 * @example
 * ```ts
 * softmaxCrossEntropy([0, 0, 0], [2], 3); // ln 3
 * const g = new Float64Array(2);
 * softmaxCrossEntropy([0, 0], [1, 0], 2, g); // ln 2, g = [−0.5, 0.5]
 * ```
 */
export function softmaxCrossEntropy(
  logits: ArrayLike<number>,
  targets: ArrayLike<number>,
  classes: number,
  gradOut?: FloatArray,
): number {
  const fn = 'softmaxCrossEntropy';
  if (typeof classes !== 'number' || !Number.isInteger(classes) || classes < 2) {
    throw new ValidationError(
      `${fn}: classes must be an integer ≥ 2, got ${formatValue(classes)}`,
      fn,
      'classes',
    );
  }
  const isArray = (v: unknown): v is ArrayLike<number> =>
    v !== null && typeof v === 'object' && typeof (v as ArrayLike<number>).length === 'number';
  if (!isArray(logits) || logits.length === 0 || logits.length % classes !== 0) {
    throw new ValidationError(
      `${fn}: logits must be a non-empty array of rows × classes (a multiple of ${classes}) numbers, got ${formatValue(logits)}`,
      fn,
      'logits',
    );
  }
  const rows = logits.length / classes;
  for (let i = 0; i < logits.length; i++) {
    if (Number.isNaN(logits[i]!)) {
      throw new ValidationError(
        `${fn}: logits must not be NaN, got NaN at index ${i}`,
        fn,
        'logits',
      );
    }
  }
  if (
    gradOut !== undefined &&
    !(
      (gradOut instanceof Float64Array || gradOut instanceof Float32Array) &&
      gradOut.length >= logits.length
    )
  ) {
    throw new ValidationError(
      `${fn}: gradOut must be a Float64Array or Float32Array of length ≥ ${logits.length}, got ${formatValue(gradOut)}`,
      fn,
      'gradOut',
    );
  }
  const g = gradOut ?? null;
  if (isArray(targets) && targets.length === rows) {
    for (let r = 0; r < rows; r++) {
      const y = targets[r]!;
      if (!(Number.isInteger(y) && y >= 0 && y < classes)) {
        throw new ValidationError(
          `${fn}: targets must be integer labels in [0, ${classes}), got ${formatValue(y)} at index ${r}`,
          fn,
          'targets',
        );
      }
    }
    return sceLabels(logits, targets, rows, classes, g);
  }
  if (!isArray(targets) || targets.length !== rows * classes) {
    throw new ValidationError(
      `${fn}: targets must hold one label per row (${rows}) or a probability row per row (${rows} × ${classes} = ${rows * classes}), got ${formatValue(targets)}`,
      fn,
      'targets',
    );
  }
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let k = 0; k < classes; k++) {
      const y = targets[r * classes + k]!;
      if (!(y >= 0 && y <= 1)) {
        throw new ValidationError(
          `${fn}: targets must be probabilities in [0, 1], got ${formatValue(y)} at index ${r * classes + k}`,
          fn,
          'targets',
        );
      }
      sum += y;
    }
    if (Math.abs(sum - 1) > 1e-6) {
      throw new ValidationError(
        `${fn}: each target row must sum to 1, row ${r} sums to ${sum}`,
        fn,
        'targets',
      );
    }
  }
  const l = LOSSES.softmaxCrossEntropy;
  return g === null
    ? l.value(logits, targets, logits.length, classes)
    : l.valueAndGradient(logits, targets, logits.length, g, classes);
}
