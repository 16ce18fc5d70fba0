/**
 * Losses over n predictions (a batch × outputs block, flattened), each with a fused value-and-gradient
 * that writes ∂L/∂pred into a caller's buffer and allocates nothing.
 */
import type { FloatArray } from '../../activations/index.js';
import { sigmoid } from '../../activations/index.js';
import { formatValue, ValidationError } from '../../errors.js';

/** Names of the losses; see {@link loss} for their conventions. */
export type LossName = 'halfSquaredError' | 'mse' | 'sse' | 'bceWithLogits';

/** The loss names, in documentation order. */
export const LOSS_NAMES: readonly LossName[] = Object.freeze([
  'halfSquaredError',
  'mse',
  'sse',
  'bceWithLogits',
]);

/** A loss over the first n entries of `pred` and `target`. */
export interface Loss {
  /** The loss's name. */
  readonly name: LossName;
  /** L(pred, target) over entries 0..n−1. */
  value(pred: ArrayLike<number>, target: ArrayLike<number>, n: number): number;
  /** Returns L and writes ∂L/∂pred[k] into gradOut[k] for k < n (nothing else is touched). */
  valueAndGradient(
    pred: ArrayLike<number>,
    target: ArrayLike<number>,
    n: number,
    gradOut: FloatArray,
  ): number;
}

/** max(z, 0) − z·y + log1p(e^(−|z|)): −y·log σ(z) − (1 − y)·log(1 − σ(z)) without overflow. */
function bceTerm(z: number, y: number): number {
  return Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
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
      for (let k = 0; k < n; k++) s += bceTerm(pred[k]!, target[k]!);
      return s / n;
    },
    valueAndGradient(pred, target, n, gradOut) {
      const c = 1 / n;
      let s = 0;
      for (let k = 0; k < n; k++) {
        const z = pred[k]!;
        const y = target[k]!;
        s += bceTerm(z, y);
        gradOut[k] = c * (sigmoid(z) - y);
      }
      return s / n;
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
 *   PyTorch's `BCEWithLogitsLoss`). Gradient (σ(z) − y)/n.
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
