/**
 * The fused per-sample SGD kernels of the chain (internal to the trainer): an epoch range of
 * per-sample SGD with the update done inside the backward pass.
 *
 * Bit-identical to core's `chainBackpropInto` followed by `p ← p − η·g` (the same forward values,
 * δs and operation order `p − η·(s·x)`), which the tests check; they only save the gradient
 * buffer's round trip and the per-call argument checks, which at N = 3 are a third of the time.
 *
 * Two kinds: {@link sgdChainRun} checks nothing per sample (the fast path: its caller checks the
 * sum and the parameters once per call, since a non-finite loss or gradient leaves them
 * non-finite for good), and {@link sgdChainEpoch} stops at the first non-finite loss or gradient
 * (the caller replays a failed call with it from the call's starting parameters to name the
 * update, bit for bit the same run).
 */
import type { Activation } from '@annlab/core';

/** Activation codes the kernel inlines (others call `f` and `df`). */
const IDENTITY = 0;
const SIGMOID = 1;
const TANH = 2;
const RELU = 3;
const OTHER = 4;

/**
 * Below this a squared residual r² may be subnormal once halved, where ½·Σr² is no longer exactly
 * Σ½r² (scaling by ½ commutes with rounding only for normal numbers).
 */
const TINY = 2 ** -1000;

/** The kernel's code of each activation, by name (as core's `chainBackpropInto` inlines them). */
export function activationCodes(acts: readonly Activation[]): Int32Array {
  return Int32Array.from(acts, (a) =>
    a.name === 'identity'
      ? IDENTITY
      : a.name === 'sigmoid'
        ? SIGMOID
        : a.name === 'tanh'
          ? TANH
          : a.name === 'relu'
            ? RELU
            : OTHER,
  );
}

/** Whether the chain is the lecture's: sigmoid hidden layers and an identity output. */
export function isSigmoidChain(codes: Int32Array): boolean {
  const last = codes.length - 1;
  for (let l = 0; l < last; l++) if (codes[l] !== SIGMOID) return false;
  return codes[last] === IDENTITY;
}

/**
 * The steps of {@link sgdChainEpoch} without its per-sample checks: returns `acc` plus the losses
 * of samples order[j], j ∈ [from, to). A non-finite loss or gradient entry makes the returned sum
 * or a parameter non-finite, and it stays so (∞ − x and NaN − x are never finite, and η > 0), so
 * the caller detects divergence by checking the sum and the parameters after the call. Runs the
 * lecture's sigmoid-hidden, identity-output chain (`sigmoidChain`, from {@link isSigmoidChain})
 * through a loop without the activation switch, which may return −1 instead of the sum (see
 * `sigmoidChainRun`): the parameters are then right, and the caller replays the call with
 * {@link sgdChainEpoch} for the exact sum.
 */
export function sgdChainRun(
  p: Float64Array,
  depth: number,
  codes: Int32Array,
  sigmoidChain: boolean,
  acts: readonly Activation[],
  X: Float64Array,
  Y: Float64Array,
  xs: Float64Array,
  deltas: Float64Array,
  order: Int32Array,
  from: number,
  to: number,
  lr: number,
  acc: number,
): number {
  if (sigmoidChain) return sigmoidChainRun(p, depth, X, Y, xs, deltas, order, from, to, lr, acc);
  let sum = acc;
  for (let j = from; j < to; j++) {
    const i = order[j]!;
    let v = X[i]!;
    for (let l = 0; l < depth; l++) {
      xs[l] = v;
      const z = p[l]! * v + p[depth + l]!;
      switch (codes[l]) {
        case SIGMOID:
          if (z >= 0) {
            v = 1 / (1 + Math.exp(-z));
          } else {
            const e = Math.exp(z);
            v = e / (1 + e);
          }
          deltas[l] = v * (1 - v);
          break;
        case IDENTITY:
          v = z;
          deltas[l] = 1;
          break;
        case TANH: {
          v = Math.tanh(z);
          const e = Math.exp(-2 * Math.abs(z));
          const d = 1 + e;
          deltas[l] = (4 * e) / (d * d);
          break;
        }
        case RELU:
          v = z > 0 ? z : z <= 0 ? 0 : Number.NaN;
          deltas[l] = z > 0 ? 1 : z <= 0 ? 0 : Number.NaN;
          break;
        default:
          v = acts[l]!.f(z);
          deltas[l] = acts[l]!.df(z);
      }
    }
    const r = v - Y[i]!;
    let t = r;
    for (let l = depth - 1; l >= 0; l--) {
      const s = t * deltas[l]!;
      const w = p[l]!;
      p[l] = w - lr * (s * xs[l]!);
      p[depth + l] = p[depth + l]! - lr * s;
      t = s * w;
    }
    sum += 0.5 * r * r;
  }
  return sum;
}

/**
 * {@link sgdChainRun} for sigmoid hidden layers and an identity output: the same operations
 * (identity's δ = 1, and t·1 = t), monomorphic. `ys` holds each hidden layer's σ.
 *
 * The loss sum is kept doubled, S = 2·acc + Σ r², and halved at the end: one multiplication less
 * per sample, and the same bits as acc + Σ ½r² as long as every r² is normal and at least 2^−1000
 * (scaling by a power of two commutes with rounding, and a partial sum ≥ r² stays normal too).
 * A smaller r² (a near-perfect fit) makes it return −1 so the caller recomputes the sum exactly;
 * an overflow of S makes it non-finite, which the caller replays the same way.
 */
function sigmoidChainRun(
  p: Float64Array,
  depth: number,
  X: Float64Array,
  Y: Float64Array,
  xs: Float64Array,
  ys: Float64Array,
  order: Int32Array,
  from: number,
  to: number,
  lr: number,
  acc: number,
): number {
  const last = depth - 1;
  let sum2 = 2 * acc;
  let tiny = false;
  for (let j = from; j < to; j++) {
    const i = order[j]!;
    let v = X[i]!;
    for (let l = 0; l < last; l++) {
      xs[l] = v;
      const z = p[l]! * v + p[depth + l]!;
      if (z >= 0) {
        v = 1 / (1 + Math.exp(-z));
      } else {
        const e = Math.exp(z);
        v = e / (1 + e);
      }
      ys[l] = v;
    }
    const wo = p[last]!;
    const r = wo * v + p[depth + last]! - Y[i]!;
    p[last] = wo - lr * (r * v);
    p[depth + last] = p[depth + last]! - lr * r;
    let t = r * wo;
    for (let l = last - 1; l >= 0; l--) {
      const y = ys[l]!;
      const s = t * (y * (1 - y));
      const w = p[l]!;
      p[l] = w - lr * (s * xs[l]!);
      p[depth + l] = p[depth + l]! - lr * s;
      t = s * w;
    }
    const rr = r * r;
    if (rr < TINY) tiny = true;
    sum2 += rr;
  }
  return tiny ? -1 : 0.5 * sum2;
}

/**
 * Steps per sample i = order[j], j ∈ [from, to), adding each loss to `acc` in turn:
 * 1. forward: v = x_i; per layer l keep x_l = v, z = w_l v + b_l, v = h_l(z), δ_l = h_l′(z);
 * 2. r = ŷ − y_i, loss ½r²;
 * 3. backward from t = r, top layer first: s = t·δ_l, ∂w_l = s·x_l, ∂b_l = s; update
 *    w_l ← w_l − η·∂w_l, b_l ← b_l − η·s; carry t ← s·w_l (the old w_l).
 * Returns `acc` plus the losses, or NaN as soon as a loss or gradient is not finite (`failed[0]`
 * gets the position j), leaving the parameters possibly non-finite: the caller restores its copy.
 */
export function sgdChainEpoch(
  p: Float64Array,
  depth: number,
  codes: Int32Array,
  acts: readonly Activation[],
  X: Float64Array,
  Y: Float64Array,
  xs: Float64Array,
  deltas: Float64Array,
  order: Int32Array,
  from: number,
  to: number,
  lr: number,
  acc: number,
  failed: Int32Array,
): number {
  let sum = acc;
  for (let j = from; j < to; j++) {
    const i = order[j]!;
    let v = X[i]!;
    for (let l = 0; l < depth; l++) {
      xs[l] = v;
      const z = p[l]! * v + p[depth + l]!;
      switch (codes[l]) {
        case SIGMOID:
          if (z >= 0) {
            v = 1 / (1 + Math.exp(-z));
          } else {
            const e = Math.exp(z);
            v = e / (1 + e);
          }
          deltas[l] = v * (1 - v);
          break;
        case IDENTITY:
          v = z;
          deltas[l] = Number.isNaN(z) ? Number.NaN : 1;
          break;
        case TANH: {
          v = Math.tanh(z);
          const e = Math.exp(-2 * Math.abs(z));
          const d = 1 + e;
          deltas[l] = (4 * e) / (d * d);
          break;
        }
        case RELU:
          v = z > 0 ? z : z <= 0 ? 0 : Number.NaN;
          deltas[l] = z > 0 ? 1 : z <= 0 ? 0 : Number.NaN;
          break;
        default:
          v = acts[l]!.f(z);
          deltas[l] = acts[l]!.df(z);
      }
    }
    const r = v - Y[i]!;
    let t = r;
    // check stays 0 while every gradient entry is finite (g·0 is NaN otherwise).
    let check = 0;
    for (let l = depth - 1; l >= 0; l--) {
      const s = t * deltas[l]!;
      const gw = s * xs[l]!;
      check += gw * 0 + s * 0;
      const w = p[l]!;
      p[l] = w - lr * gw;
      p[depth + l] = p[depth + l]! - lr * s;
      t = s * w;
    }
    const loss = 0.5 * r * r;
    if (loss - loss !== 0 || check !== 0) {
      failed[0] = j;
      return Number.NaN;
    }
    sum += loss;
  }
  return sum;
}
