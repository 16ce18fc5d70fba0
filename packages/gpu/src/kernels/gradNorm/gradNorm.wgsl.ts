/**
 * One layer's gradient norm added to a running sum: sums[slot] += √(Σ dW² + Σ db²). One workgroup:
 * each invocation sums the squares of a strided part of dW and db, the workgroup adds the partial
 * sums in a tree in shared memory, and invocation 0 adds the square root to `sums[slot]`.
 */
import type { ShaderSource } from '../../pipelineCache.js';

/** Invocations of the single workgroup. */
export const GRAD_NORM_WORKGROUP = 256;

/** WGSL of the kernel; bindings: params {wCount, bCount, slot}, dW, db, sums (in/out). */
export function makeGradNormShader(): ShaderSource {
  const n = GRAD_NORM_WORKGROUP;
  const code = `struct Params { wCount: u32, bCount: u32, slot: u32, pad0: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> DW: array<f32>;
@group(0) @binding(2) var<storage, read> DB: array<f32>;
@group(0) @binding(3) var<storage, read_write> sums: array<f32>;
var<workgroup> part: array<f32, ${n}>;

@compute @workgroup_size(${n})
fn main(@builtin(local_invocation_index) t: u32) {
  var s = 0.0;
  for (var i = t; i < params.wCount; i += ${n}u) {
    let g = DW[i];
    s += g * g;
  }
  for (var i = t; i < params.bCount; i += ${n}u) {
    let g = DB[i];
    s += g * g;
  }
  part[t] = s;
  workgroupBarrier();
  for (var h = ${n / 2}u; h > 0u; h = h / 2u) {
    if (t < h) {
      part[t] = part[t] + part[t + h];
    }
    workgroupBarrier();
  }
  if (t == 0u) {
    sums[params.slot] = sums[params.slot] + sqrt(part[0]);
  }
}
`;
  return {
    code,
    bindings: ['uniform', 'read-only-storage', 'read-only-storage', 'storage'],
    workgroupSize: [n, 1, 1],
  };
}
