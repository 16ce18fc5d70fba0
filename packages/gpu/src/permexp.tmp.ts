import { foldIn, key, permutation, split } from '@annlab/core';
import { BufferScope, readU32 } from './buffers.js';
import { requestGpu } from './device.js';
import { makeDispatch, runDispatches } from './dispatch.js';
import { THREEFRY_WGSL } from './kernels/threefry/threefry.wgsl.js';
import { packKeys } from './kernels/permutation/permutation.js';
import { packUniform } from './kernels/common.js';

const N = 200;
const code = (variant: string) => `struct Params { K: u32, n: u32, rounds: u32, e0: u32, epochs: u32, perEpoch: u32, p0: u32, p1: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> keys: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<u32>;
${THREEFRY_WGSL}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let k = gid.x;
  let j = gid.y;
  if (k >= params.K || j >= params.epochs) { return; }
  const n = ${N}u;
  let slot = j * params.K + k;
  var cur = vec2u(keys[2u * k], keys[2u * k + 1u]);
  if (params.perEpoch != 0u) { cur = threefry(cur.x, cur.y, 0u, params.e0 + j); }
  var ka: array<u32, ${N}>; var va: array<u32, ${N}>; var kb: array<u32, ${N}>; var vb: array<u32, ${N}>;
  for (var i = 0u; i < n; i++) { va[i] = i; }
  for (var r = 0u; r < params.rounds; r++) {
    let sub = threefry(cur.x, cur.y, 0u, 1u);
    cur = threefry(cur.x, cur.y, 0u, 0u);
    for (var i = 0u; i < n; i++) { let t = threefry(sub.x, sub.y, 0u, i); ka[i] = t.x ^ t.y; }
    ${variant === 'nosort' ? '' : `
    var inA = true;
    for (var w = 1u; w < n; w = w * 2u) {
      for (var lo = 0u; lo < n; lo = lo + 2u * w) {
        let mid = min(lo + w, n); let hi = min(lo + 2u * w, n);
        var p = lo; var q = mid;
        for (var o = lo; o < hi; o++) {
          let pc = min(p, n - 1u); let qc = min(q, n - 1u);
          if (inA) {
            let left = p < mid && (q >= hi || ka[pc] <= ka[qc]);
            kb[o] = select(ka[qc], ka[pc], left); vb[o] = select(va[qc], va[pc], left);
            p += select(0u, 1u, left); q += select(1u, 0u, left);
          } else {
            let left = p < mid && (q >= hi || kb[pc] <= kb[qc]);
            ka[o] = select(kb[qc], kb[pc], left); va[o] = select(vb[qc], vb[pc], left);
            p += select(0u, 1u, left); q += select(1u, 0u, left);
          }
        }
      }
      inA = !inA;
    }
    if (!inA) { for (var i = 0u; i < n; i++) { va[i] = vb[i]; } }`}
  }
  let dst = slot * n;
  for (var i = 0u; i < n; i++) { out[dst + i] = va[i]; }
}`;
const gpu = await requestGpu();
const K = 10000;
const keys = split(key(0), K);
for (const variant of ['sort', 'nosort', 'sort']) {
  const kernel = await gpu.pipelines.get(`exp${variant}`, () => ({ code: code(variant), bindings: ['uniform', 'read-only-storage', 'storage'], workgroupSize: [64, 1, 1] }));
  const scope = new BufferScope(gpu, 'x');
  const kb = scope.storage(packKeys('x', 'k', keys), 'k');
  const out = scope.storage(K * N, 'o');
  const u = scope.uniform(packUniform([['u32', K], ['u32', N], ['u32', 1], ['u32', 0], ['u32', 1], ['u32', 1]]), 'u');
  const d = makeDispatch(gpu, kernel, [u, kb, out], [Math.ceil(K / 64), 1]);
  const t0 = performance.now();
  await runDispatches(gpu, [d], 1, 'x');
  const dt = performance.now() - t0;
  const o = await readU32(gpu, out, K * N);
  const ok = permutation(foldIn(keys[5]!, 0), N).every((v, i) => v === o[5 * N + i]);
  console.log(variant, dt.toFixed(0), 'ms', ok);
  scope.dispose();
}
process.exit(0);
