/**
 * Column sums of a row-major rows×cols matrix: out[c] = s·Σᵣ X[r, c]. With cols = 1 it sums a whole
 * array (the loss); with rows = batch it gives the bias gradient Σ over samples.
 *
 * Steps: workgroup c (of 256 threads) owns column c; thread t adds rows t, t + 256, … into a
 * register; the 256 partial sums are added pairwise in workgroup memory (a tree of depth 8, which
 * keeps float32 round-off at O(log n) rather than O(n)); thread 0 writes s times the total.
 */
import type { ShaderSource } from '../../pipelineCache.js';

/** Threads per workgroup of the reduction. */
export const REDUCE_WORKGROUP = 256;

/** WGSL of the column-sum kernel; bindings: params {rows, cols, scale}, X, out. */
export function makeSumRowsShader(): ShaderSource {
  const n = REDUCE_WORKGROUP;
  const code = `struct Params { rows: u32, cols: u32, scale: f32, pad: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
var<workgroup> partial: array<f32, ${n}>;

@compute @workgroup_size(${n})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) t: u32) {
  let c = wid.x;
  var acc = 0.0;
  if (c < params.cols) {
    for (var r = t; r < params.rows; r += ${n}u) { acc += X[r * params.cols + c]; }
  }
  partial[t] = acc;
  workgroupBarrier();
  for (var half = ${n / 2}u; half > 0u; half >>= 1u) {
    if (t < half) { partial[t] += partial[t + half]; }
    workgroupBarrier();
  }
  if (t == 0u && c < params.cols) { out[c] = params.scale * partial[0]; }
}
`;
  return {
    code,
    bindings: ['uniform', 'read-only-storage', 'storage'],
    workgroupSize: [n, 1, 1],
  };
}
