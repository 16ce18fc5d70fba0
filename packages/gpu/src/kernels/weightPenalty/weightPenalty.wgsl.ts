/**
 * The gradient of an L1/L2 weight penalty added in place, elementwise over one layer's weights
 * (grid-stride loop): G[i] += l1·sign(W[i]) + 2·l2·W[i], the gradient of l1·Σ|w| + l2·Σw².
 * sign(0) = 0 (WGSL's `sign`), so a weight at exactly 0 gets no L1 push. Biases are never passed.
 */
import type { ShaderSource } from '../../pipelineCache.js';
import { ELEMENTWISE_WORKGROUP } from '../biasActivation/biasActivation.wgsl.js';

/** WGSL of the kernel; bindings: params {count, l1, twoL2}, W, G (in/out). */
export function makeWeightPenaltyShader(): ShaderSource {
  const code = `struct Params { count: u32, l1: f32, twoL2: f32, pad0: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> W: array<f32>;
@group(0) @binding(2) var<storage, read_write> G: array<f32>;
@compute @workgroup_size(${ELEMENTWISE_WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let stride = nwg.x * ${ELEMENTWISE_WORKGROUP}u;
  for (var i = gid.x; i < params.count; i += stride) {
    let w = W[i];
    G[i] = G[i] + params.l1 * sign(w) + params.twoL2 * w;
  }
}
`;
  return {
    code,
    bindings: ['uniform', 'read-only-storage', 'storage'],
    workgroupSize: [ELEMENTWISE_WORKGROUP, 1, 1],
  };
}
