/**
 * Softmax cross-entropy from logits, one invocation per row (grid-stride loop over rows), for rows
 * of K logits z and K probability targets y (one-hot for integer labels):
 *
 * 1. m = max z (a NaN anywhere makes the row's loss and gradient NaN);
 * 2. lse = m + log Σₖ e^(zₖ − m), the log-sum-exp (no overflow at logits of ±1000);
 * 3. L[r] = s·Σₖ yₖ·(lse − zₖ) (terms with yₖ = 0 skipped, so −∞ logits of absent classes cost 0);
 * 4. G[r·K + k] = s·(e^(zₖ − lse)·Σy − yₖ), the gradient with respect to the logits.
 *
 * The scale s is 1/rows for the mean (set per call). Summing L (the reduce kernel) gives the loss.
 */
import type { ShaderSource } from '../../pipelineCache.js';
import { WGSL_PRELUDE } from '../common.js';

/** Rows per workgroup. */
export const SOFTMAX_CE_WORKGROUP = 64;

/** WGSL of the kernel; bindings: params {rows, classes, scale}, Z, Y, G (out), L (out, per row). */
export function makeSoftmaxCrossEntropyShader(): ShaderSource {
  const code = `struct Params { rows: u32, classes: u32, scale: f32, pad0: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> Z: array<f32>;
@group(0) @binding(2) var<storage, read> Y: array<f32>;
@group(0) @binding(3) var<storage, read_write> G: array<f32>;
@group(0) @binding(4) var<storage, read_write> L: array<f32>;
${WGSL_PRELUDE}
@compute @workgroup_size(${SOFTMAX_CE_WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let stride = nwg.x * ${SOFTMAX_CE_WORKGROUP}u;
  let K = params.classes;
  let s = params.scale;
  for (var r = gid.x; r < params.rows; r += stride) {
    let at = r * K;
    var m = Z[at];
    // WGSL has no NaN constant: keep the NaN logit itself to write out
    var bad = false;
    var nan = 0.0;
    for (var k = 0u; k < K; k++) {
      let v = Z[at + k];
      if (is_nan(v)) { bad = true; nan = v; }
      m = max(m, v);
    }
    var e = 0.0;
    for (var k = 0u; k < K; k++) { e += exp(Z[at + k] - m); }
    let lse = m + log(e);
    var l = 0.0;
    var ysum = 0.0;
    for (var k = 0u; k < K; k++) {
      let t = Y[at + k];
      if (t != 0.0) { l += t * (lse - Z[at + k]); }
      ysum += t;
    }
    for (var k = 0u; k < K; k++) {
      let g = s * (exp(Z[at + k] - lse) * ysum - Y[at + k]);
      G[at + k] = select(g, nan, bad);
    }
    L[r] = select(s * l, nan, bad);
  }
}
`;
  return {
    code,
    bindings: ['uniform', 'read-only-storage', 'read-only-storage', 'storage', 'storage'],
    workgroupSize: [SOFTMAX_CE_WORKGROUP, 1, 1],
  };
}
