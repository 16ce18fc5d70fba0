/**
 * The W1 hot loop: one epoch of per-sample SGD on the lecture's chain (sigmoid on layers 1..N−1,
 * identity on layer N) with the update fused into the backward pass. Internal to `fit`.
 *
 * Bit-identical to `chainBackpropInto` followed by `p ← p − η·g` (same sigmoid branches, same
 * operation order `p − η·(s·x)`), which the tests check; it only saves the gradient buffer round
 * trip and the per-call argument checks, which at N = 3 are a third of the time.
 */

/**
 * Steps per sample i = order[j], j ∈ [from, to), adding each loss to `acc` in turn:
 * 1. forward: v = x_i; for l < N−1: keep v, σ_l = σ(w_l v + b_l), v = σ_l; ŷ = w_{N−1} v + b_{N−1};
 * 2. r = ŷ − y_i, loss ½r²;
 * 3. backward from t = r, top layer first: ∂w_l = t·x_l, ∂b_l = t; update w_l, b_l; carry
 *    t ← t·w_l (old w_l) and, entering a sigmoid layer, t ← t·σ_l(1 − σ_l).
 * Returns `acc` plus the losses, or NaN as soon as a loss or gradient is not finite (`failed` gets the
 * sample position), leaving the parameters possibly non-finite: the caller restores its snapshot.
 */
export function sgdEpochLectureChain(
  p: Float64Array,
  depth: number,
  X: Float64Array,
  Y: Float64Array,
  xs: Float64Array,
  sig: Float64Array,
  order: Int32Array,
  from: number,
  to: number,
  lr: number,
  acc: number,
  failed: Int32Array,
): number {
  if (depth === 1) return sgdEpochNeuron(p, X, Y, order, from, to, lr, acc, failed);
  const hidden = depth - 1;
  let sum = acc;
  for (let j = from; j < to; j++) {
    const i = order[j]!;
    let v = X[i]!;
    for (let l = 0; l < hidden; l++) {
      xs[l] = v;
      const z = p[l]! * v + p[depth + l]!;
      let s: number;
      if (z >= 0) {
        s = 1 / (1 + Math.exp(-z));
      } else {
        const e = Math.exp(z);
        s = e / (1 + e);
      }
      sig[l] = s;
      v = s;
    }
    const r = p[hidden]! * v + p[depth + hidden]! - Y[i]!;
    let t = r;
    let w = p[hidden]!;
    p[hidden] = w - lr * (t * v);
    p[depth + hidden] = p[depth + hidden]! - lr * t;
    t = t * w;
    for (let l = hidden - 1; l >= 0; l--) {
      const s = sig[l]!;
      t = t * (s * (1 - s));
      w = p[l]!;
      p[l] = w - lr * (t * xs[l]!);
      p[depth + l] = p[depth + l]! - lr * t;
      t = t * w;
    }
    const loss = 0.5 * r * r;
    // t carries every gradient factor: it is finite iff all of them were (t·0 is NaN otherwise).
    if (loss - loss !== 0 || t * 0 !== 0) {
      failed[0] = j;
      return Number.NaN;
    }
    sum += loss;
  }
  return sum;
}

/**
 * The same epoch for N = 1 (one identity neuron, Example 2's first network), with w and b kept in
 * locals: r = w·x + b − y, w ← w − η·(r·x), b ← b − η·r. Bit-identical to the general loop above (same
 * operations in the same order); it only drops the loop overhead that dominates at this size.
 */
function sgdEpochNeuron(
  p: Float64Array,
  X: Float64Array,
  Y: Float64Array,
  order: Int32Array,
  from: number,
  to: number,
  lr: number,
  acc: number,
  failed: Int32Array,
): number {
  let w = p[0]!;
  let b = p[1]!;
  let sum = acc;
  for (let j = from; j < to; j++) {
    const i = order[j]!;
    const x = X[i]!;
    const r = w * x + b - Y[i]!;
    const t = r * w;
    w = w - lr * (r * x);
    b = b - lr * r;
    const loss = 0.5 * r * r;
    if (loss - loss !== 0 || t * 0 !== 0) {
      p[0] = w;
      p[1] = b;
      failed[0] = j;
      return Number.NaN;
    }
    sum += loss;
  }
  p[0] = w;
  p[1] = b;
  return sum;
}
