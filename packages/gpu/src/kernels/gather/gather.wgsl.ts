/**
 * Row gather: out[r, c] = src[order[offset + r], c] for r < rows, the mini-batch copy of a
 * shuffled epoch (grid-stride loop over rows·cols).
 */
import type { ShaderSource } from '../../pipelineCache.js';
import { ELEMENTWISE_WORKGROUP } from '../biasActivation/biasActivation.wgsl.js';

/** WGSL of the gather; bindings: params {count, cols, offset}, order, src, out. */
export function makeGatherShader(): ShaderSource {
  const W = ELEMENTWISE_WORKGROUP;
  return {
    code: `struct Params { count: u32, cols: u32, offset: u32, pad: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> order: array<u32>;
@group(0) @binding(2) var<storage, read> src: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(${W})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let stride = nwg.x * ${W}u;
  for (var i = gid.x; i < params.count; i += stride) {
    let r = i / params.cols;
    let c = i % params.cols;
    out[i] = src[order[params.offset + r] * params.cols + c];
  }
}
`,
    bindings: ['uniform', 'read-only-storage', 'read-only-storage', 'storage'],
    workgroupSize: [W, 1, 1],
  };
}
