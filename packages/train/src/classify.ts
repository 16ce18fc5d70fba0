/**
 * Classification with a trained dense network: class probabilities and classes from its logits,
 * and the metrics that judge them (accuracy, confusion matrix, log-loss).
 */
import { ShapeError, ValidationError } from '@annlab/core';
import { formatValue } from '@annlab/core/internal';
import type { DataInput } from './data.js';
import { checkModel, type Model, modelWidths, predict } from './model.js';

/** Losses whose outputs are logits of classes. */
const CLASSIFICATION_LOSSES = ['softmaxCrossEntropy', 'bceWithLogits'];

function logits(fn: string, model: Model, x: DataInput): { z: Float64Array; K: number } {
  const m = checkModel(fn, model);
  if (m.kind !== 'mlp') {
    throw new ValidationError(
      `${fn}: model must be an MLP with logits as outputs, got a ${m.kind} model`,
      fn,
      'model',
    );
  }
  const loss = m.training?.loss;
  if (loss !== undefined && !CLASSIFICATION_LOSSES.includes(loss)) {
    throw new ValidationError(
      `${fn}: model was trained on the ${formatValue(loss)} loss, not as a classifier (softmaxCrossEntropy or bceWithLogits)`,
      fn,
      'model',
    );
  }
  return { z: predict(m, x), K: modelWidths(m).outputs };
}

/**
 * Class probabilities of a classifier: softmax over each row of logits for K ≥ 2 outputs
 * (`softmaxCrossEntropy`, a `rows × K` array), or σ(z), the probability of class 1, for one output
 * (`bceWithLogits`, a `rows × 1` array). Computed stably (the row maximum is subtracted first).
 *
 * @example
 * ```ts
 * const p = predictProba(model, [[0.1, 0.2], [1, -1]]); // Float64Array(2 × K), rows sum to 1
 * ```
 */
export function predictProba(model: Model, x: DataInput): Float64Array {
  const { z, K } = logits('predictProba', model, x);
  return probabilities(z, K);
}

/** Softmax per row of K logits (σ for K = 1), into a new array. */
export function probabilities(z: ArrayLike<number>, K: number): Float64Array {
  const out = new Float64Array(z.length);
  if (K === 1) {
    for (let i = 0; i < z.length; i++) out[i] = 1 / (1 + Math.exp(-z[i]!));
    return out;
  }
  for (let at = 0; at < z.length; at += K) {
    let m = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < K; k++) m = Math.max(m, z[at + k]!);
    let s = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(z[at + k]! - m);
      out[at + k] = e;
      s += e;
    }
    for (let k = 0; k < K; k++) out[at + k]! /= s;
  }
  return out;
}

/**
 * The predicted class of each row: the arg-max of the logits for K ≥ 2 outputs (ties go to the
 * lower index), or 1 where σ(z) ≥ ½ (z ≥ 0) for one output.
 *
 * @example
 * ```ts
 * predictClass(model, [[0.1, 0.2], [1, -1]]); // Int32Array [2, 0], say
 * ```
 */
export function predictClass(model: Model, x: DataInput): Int32Array {
  const { z, K } = logits('predictClass', model, x);
  return argmaxRows(z, K);
}

/** Arg-max of each row of K values (z ≥ 0 → 1 for K = 1). */
export function argmaxRows(z: ArrayLike<number>, K: number): Int32Array {
  const rows = z.length / K;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    if (K === 1) {
      out[r] = z[r]! >= 0 ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let k = 1; k < K; k++) if (z[r * K + k]! > z[r * K + best]!) best = k;
    out[r] = best;
  }
  return out;
}

function checkLabels(
  fn: string,
  arg: string,
  labels: unknown,
  n: number,
  K: number,
): ArrayLike<number> {
  const a = labels as ArrayLike<number> | null;
  if (a === null || typeof a !== 'object' || a.length !== n) {
    throw new ShapeError(
      `${fn}: ${arg} must be an array of ${n} class labels, got ${formatValue(labels)}`,
      fn,
      arg,
    );
  }
  for (let i = 0; i < n; i++) {
    const y = a[i]!;
    if (!(Number.isInteger(y) && y >= 0 && y < K)) {
      throw new ValidationError(
        `${fn}: ${arg} must be integer class labels ${K === Number.MAX_SAFE_INTEGER ? '≥ 0' : `in [0, ${K})`}, got ${formatValue(y)} at index ${i}`,
        fn,
        arg,
      );
    }
  }
  return a;
}

/**
 * The fraction of rows whose predicted class equals the true label.
 *
 * @example
 * ```ts
 * accuracy([0, 1, 2, 2], [0, 1, 1, 2]); // 0.75
 * ```
 */
export function accuracy(predicted: ArrayLike<number>, labels: ArrayLike<number>): number {
  const fn = 'accuracy';
  const n = (predicted as ArrayLike<number> | null)?.length;
  if (typeof n !== 'number' || n < 1) {
    throw new ValidationError(
      `${fn}: predicted must be a non-empty array of class labels, got ${formatValue(predicted)}`,
      fn,
      'predicted',
    );
  }
  checkLabels(fn, 'predicted', predicted, n, Number.MAX_SAFE_INTEGER);
  checkLabels(fn, 'labels', labels, n, Number.MAX_SAFE_INTEGER);
  let hits = 0;
  for (let i = 0; i < n; i++) if (predicted[i] === labels[i]) hits++;
  return hits / n;
}

/**
 * The K × K confusion matrix: `m[t][p]` counts rows of true class t predicted as p (rows: truth,
 * columns: prediction, as scikit-learn's `confusion_matrix`).
 *
 * @example
 * ```ts
 * confusionMatrix([0, 1, 1], [0, 0, 1], 2); // [[1, 1], [0, 1]]
 * ```
 */
export function confusionMatrix(
  predicted: ArrayLike<number>,
  labels: ArrayLike<number>,
  classes: number,
): number[][] {
  const fn = 'confusionMatrix';
  if (!Number.isInteger(classes) || classes < 1) {
    throw new ValidationError(
      `${fn}: classes must be an integer ≥ 1, got ${formatValue(classes)}`,
      fn,
      'classes',
    );
  }
  const n = (predicted as ArrayLike<number> | null)?.length ?? -1;
  checkLabels(fn, 'predicted', predicted, n, classes);
  checkLabels(fn, 'labels', labels, n, classes);
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < n; i++) m[labels[i]!]![predicted[i]!]!++;
  return m;
}

/**
 * Mean negative log-likelihood of the true labels: −(1/n) Σ log p(labelᵢ). `proba` holds K
 * probabilities per row (rows × K), or for a binary classifier one probability of class 1 per row.
 * Probabilities are clipped to [1e−15, 1], so a confident mistake costs at most ≈ 34.5, not ∞.
 *
 * @example
 * ```ts
 * logLoss([0.9, 0.1, 0.2, 0.8], [0, 1]); // −(ln 0.9 + ln 0.8)/2 ≈ 0.164
 * ```
 */
export function logLoss(proba: ArrayLike<number>, labels: ArrayLike<number>): number {
  const fn = 'logLoss';
  const n = (labels as ArrayLike<number> | null)?.length;
  const len = (proba as ArrayLike<number> | null)?.length;
  if (typeof n !== 'number' || n < 1 || typeof len !== 'number' || len % n !== 0 || len === 0) {
    throw new ShapeError(
      `${fn}: proba must hold rows × classes probabilities for ${typeof n === 'number' ? n : '?'} labels, got ${formatValue(proba)}`,
      fn,
      'proba',
    );
  }
  const K = len / n;
  checkLabels(fn, 'labels', labels, n, K === 1 ? 2 : K);
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) {
      const p = proba[i * K + k]!;
      if (!(p >= 0 && p <= 1)) {
        throw new ValidationError(
          `${fn}: proba must be probabilities in [0, 1], got ${formatValue(p)} at index ${i * K + k}`,
          fn,
          'proba',
        );
      }
    }
    const y = labels[i]!;
    const p = K === 1 ? (y === 1 ? proba[i]! : 1 - proba[i]!) : proba[i * K + y]!;
    total -= Math.log(Math.min(1, Math.max(1e-15, p)));
  }
  return total / n;
}
