/**
 * Many width-one chains x_{i+1} = h_i(w_i·x_i + b_i) trained at once by per-sample SGD on
 * ½(ŷ − y)², one thread per network (the samples of one network are sequential, so the
 * parallelism is across networks).
 *
 * Thread k (mode `train`), for epochs e0 ≤ e < e1 and samples s = 0..n−1 in the epoch's order:
 * 1. Forward: a₀ = x; z_i = w_i a_i + b_i; a_{i+1} = h(z_i) for i < N−1, a_N = z_{N−1} (identity).
 * 2. Backward: g = a_N − y; for i = N−1..0: δ = g·h′(z_i) (1 on the last layer); g ← δ·w_i (old
 *    w_i); w_i ← w_i − η_k δ a_i; b_i ← b_i − η_k δ.
 * Parameters live in registers for the whole dispatch and are stored back at its end.
 * Mode `loss`: thread k writes L_k = Σ_s ½(ŷ_s − y_s)² over the data in the given order.
 */
import type { ActivationSpec } from '@annlab/core';
import type { ShaderSource } from '../../pipelineCache.js';
import { activationWgsl } from '../biasActivation/activations.wgsl.js';

/** Threads (networks) per workgroup. */
export const CHAIN_WORKGROUP = 64;

/** Compile-time parameters of the chain kernel. */
export interface ChainShaderParams {
  /** Largest depth (registers per thread). */
  readonly maxDepth: number;
  /** Hidden-layer activation h (the last layer is the identity). */
  readonly hidden: ActivationSpec;
  readonly mode: 'train' | 'loss';
}

/**
 * WGSL of the chain kernel; bindings: params {K, n, e0, e1, epochStride, netStride, lrStride,
 * stride}, theta (K × 2·maxDepth: w then b), xs, ys, order, lrs, depths, losses.
 */
export function makeChainShader(p: ChainShaderParams): ShaderSource {
  const D = p.maxDepth;
  const train = p.mode === 'train';
  const code = `struct Params { K: u32, n: u32, e0: u32, e1: u32, epochStride: u32, netStride: u32, lrStride: u32, stride: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> theta: array<f32>;
@group(0) @binding(2) var<storage, read> xs: array<f32>;
@group(0) @binding(3) var<storage, read> ys: array<f32>;
@group(0) @binding(4) var<storage, read> order: array<u32>;
@group(0) @binding(5) var<storage, read> lrs: array<f32>;
@group(0) @binding(6) var<storage, read> depths: array<u32>;
@group(0) @binding(7) var<storage, read_write> losses: array<f32>;
${activationWgsl(p.hidden)}
const MAXD: u32 = ${D}u;

@compute @workgroup_size(${CHAIN_WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let k = gid.x;
  if (k >= params.K) { return; }
  let depth = depths[k];
  let lr = lrs[k * params.lrStride];
  let base = k * params.stride;
  var w: array<f32, ${D}>;
  var b: array<f32, ${D}>;
  var a: array<f32, ${D + 1}>;
  var z: array<f32, ${D}>;
  for (var i = 0u; i < depth; i++) { w[i] = theta[base + i]; b[i] = theta[base + MAXD + i]; }
  var total = 0.0;
  for (var e = params.e0; e < params.e1; e++) {
    let obase = (e - params.e0) * params.epochStride + k * params.netStride;
    for (var s = 0u; s < params.n; s++) {
      let idx = order[obase + s];
      a[0] = xs[idx];
      for (var i = 0u; i < depth; i++) {
        let zi = w[i] * a[i] + b[i];
        z[i] = zi;
        a[i + 1u] = select(act(zi), zi, i + 1u == depth);
      }
      var g = a[depth] - ys[idx];
      ${
        train
          ? `for (var j = 0u; j < depth; j++) {
        let i = depth - 1u - j;
        let delta = select(g * dact(z[i]), g, i + 1u == depth);
        g = delta * w[i];
        w[i] = w[i] - lr * delta * a[i];
        b[i] = b[i] - lr * delta;
      }`
          : 'total += 0.5 * g * g;'
      }
    }
  }
  ${
    train
      ? 'for (var i = 0u; i < depth; i++) { theta[base + i] = w[i]; theta[base + MAXD + i] = b[i]; }'
      : 'losses[k] = total;'
  }
}
`;
  return {
    code,
    bindings: [
      'uniform',
      'storage',
      'read-only-storage',
      'read-only-storage',
      'read-only-storage',
      'read-only-storage',
      'read-only-storage',
      'storage',
    ],
    workgroupSize: [CHAIN_WORKGROUP, 1, 1],
  };
}
