/**
 * Loss and its gradient, elementwise over predictions Ŷ and targets Y (grid-stride loop):
 * L[i] = s·ℓ(Ŷ[i], Y[i]) and G[i] = s·∂ℓ/∂Ŷ[i], with a scale s set per call (1 for sums, 1/count
 * for means). Summing L (the reduce kernel) gives the loss.
 *
 * ℓ per element, d = ŷ − y:
 * - `halfSquaredError`: ½d², gradient d
 * - `sse` and `mse`: d², gradient 2d (`mse` uses s = 1/count)
 * - `bceWithLogits`: max(z, 0) − z·y + log(1 + e^(−|z|)) with z = ŷ, gradient σ(z) − y
 */
import type { ShaderSource } from '../../pipelineCache.js';
import { ELEMENTWISE_WORKGROUP } from '../biasActivation/biasActivation.wgsl.js';
import { WGSL_PRELUDE } from '../common.js';

/** Losses computed on the GPU. */
export type GpuLossName = 'halfSquaredError' | 'mse' | 'sse' | 'bceWithLogits';

/** The supported loss names. */
export const GPU_LOSS_NAMES: readonly GpuLossName[] = [
  'halfSquaredError',
  'mse',
  'sse',
  'bceWithLogits',
];

const ELEMENT: Record<GpuLossName, string> = {
  halfSquaredError: 'let d = p - t; l = 0.5 * d * d; g = d;',
  sse: 'let d = p - t; l = d * d; g = 2.0 * d;',
  mse: 'let d = p - t; l = d * d; g = 2.0 * d;',
  bceWithLogits: `let e = exp(-abs(p));
    let lp = select(log(1.0 + e), e * (1.0 - e * (0.5 - e * 0.33333334)), e < 0.01);
    l = max(p, 0.0) - p * t + lp;
    g = select(e / (1.0 + e), 1.0 / (1.0 + e), p >= 0.0) - t;`,
};

/** WGSL of the loss kernel; bindings: params {count, scale}, Ŷ, Y, G (out), L (out). */
export function makeLossShader(loss: GpuLossName): ShaderSource {
  const code = `struct Params { count: u32, scale: f32, pad0: u32, pad1: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> P: array<f32>;
@group(0) @binding(2) var<storage, read> T: array<f32>;
@group(0) @binding(3) var<storage, read_write> G: array<f32>;
@group(0) @binding(4) var<storage, read_write> L: array<f32>;
${WGSL_PRELUDE}
@compute @workgroup_size(${ELEMENTWISE_WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let stride = nwg.x * ${ELEMENTWISE_WORKGROUP}u;
  for (var i = gid.x; i < params.count; i += stride) {
    let p = P[i];
    let t = T[i];
    var l: f32;
    var g: f32;
    ${ELEMENT[loss]}
    L[i] = params.scale * l;
    G[i] = params.scale * g;
  }
}
`;
  return {
    code,
    bindings: ['uniform', 'read-only-storage', 'read-only-storage', 'storage', 'storage'],
    workgroupSize: [ELEMENTWISE_WORKGROUP, 1, 1],
  };
}
