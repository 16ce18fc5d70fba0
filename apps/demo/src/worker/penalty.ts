/**
 * L1/L2 penalties on the weights (not the biases) as an optimizer wrapper: the penalty's gradient is
 * added to the loss's before each update, so any optimizer and batch mode of the CPU trainer gets
 * them. The objective gains `rate·Σ|w|` (l1, gradient rate·sign(w)) or `rate·Σw²` (l2, gradient
 * 2·rate·w, Keras's `l2(λ)`), the convention of train's own `l1`/`l2` options; the recorded loss
 * stays the data loss.
 */
import { mlpLayout } from '@annlab/core';
import type { GradientTransformation, Model } from '@annlab/train';
import type { Regularization } from './protocol.js';

/** 1 at the weights and 0 at the biases of a model's flat parameters. */
export function weightMask(model: Model): Uint8Array {
  if (model.kind === 'chain') {
    const d = model.params.depth;
    return Uint8Array.from({ length: 2 * d }, (_, i) => (i < d ? 1 : 0));
  }
  const layout = mlpLayout(model.spec);
  const mask = new Uint8Array(layout.size);
  for (const l of layout.layers) mask.fill(1, l.wOffset, l.wOffset + l.inSize * l.outSize);
  return mask;
}

/**
 * Adds the penalty's gradient to `grads` in place, at the weights only.
 *
 * @example
 * ```ts
 * addPenaltyGradient(g, params, weightMask(model), { kind: 'l2', rate: 1e-3 });
 * ```
 */
export function addPenaltyGradient(
  grads: Float64Array,
  params: Float64Array,
  mask: Uint8Array,
  reg: Regularization,
): void {
  const { rate } = reg;
  for (let k = 0; k < grads.length; k++) {
    if (mask[k] === 0) continue;
    const w = params[k]!;
    grads[k] = grads[k]! + (reg.kind === 'l1' ? rate * Math.sign(w) : 2 * rate * w);
  }
}

/**
 * The optimizer with the penalty's gradient added before each update (one buffer, reused).
 *
 * @example
 * ```ts
 * const opt = withPenalty(adam(0.01), { kind: 'l1', rate: 1e-3 }, weightMask(model));
 * ```
 */
export function withPenalty(
  opt: GradientTransformation,
  reg: Regularization,
  mask: Uint8Array,
): GradientTransformation {
  let buffer: Float64Array | undefined;
  return {
    config: opt.config,
    init: (params) => opt.init(params),
    update(grads, state, params) {
      if (!params) throw new Error('withPenalty: the update needs the parameters');
      if (buffer?.length !== grads.length) buffer = new Float64Array(grads.length);
      buffer.set(grads);
      addPenaltyGradient(buffer, params, mask, reg);
      return opt.update(buffer, state, params);
    },
  };
}
