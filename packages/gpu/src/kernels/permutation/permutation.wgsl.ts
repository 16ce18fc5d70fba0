/**
 * Many keyed permutations at once on the GPU, each equal to core's `permutation(key, n)` (JAX's
 * `random.permutation`, partitionable scheme): one workgroup per (network, epoch).
 *
 * Workgroup (k, j) of a dispatch covering epochs e0 … e0 + epochs − 1, its threads striding over
 * the elements i < n:
 * 1. Its key: `keys[k]`, or with `perEpoch` `foldIn(keys[k], e0 + j)` = threefry(keys[k], (0, e0 + j)).
 * 2. x = 0 … n−1. For each of `rounds` rounds (core's formula, computed on the CPU):
 *    carry = threefry(key, (0, 0)), sub = threefry(key, (0, 1)) (core's `split(key)`), key ← carry;
 *    sort key sᵢ = y₀ ⊕ y₁ of threefry(sub, (0, i)) (core's `randomBits(sub, n)`);
 *    a stable sort by sᵢ as a rank scatter: rankᵢ = #{m : s_m < sᵢ or (s_m = sᵢ and m < i)},
 *    x′[rankᵢ] = xᵢ. Every thread scans the same s_m at the same time (a broadcast read), so the
 *    loop has no divergent branches: n² comparisons per permutation, spread over the workgroup.
 * 3. The last round writes x′ to out[(j·K + k)·n …].
 * Scratch per permutation: 3n words [sort keys | x ping | x pong].
 */
import type { ShaderSource } from '../../pipelineCache.js';
import { THREEFRY_WGSL } from '../threefry/threefry.wgsl.js';

/** Threads per workgroup (one workgroup per permutation). */
export const PERMUTATION_WORKGROUP = 64;

/** Scratch words per element of a permutation. */
export const PERMUTATION_SCRATCH_WORDS = 3;

/**
 * WGSL of the batched permutation kernel; bindings: params {K, n, rounds, e0, epochs, perEpoch},
 * keys (K × 2 words), out (epochs × K × n), scratch (epochs × K × 3n). Dispatch K × epochs
 * workgroups.
 */
export function makePermutationShader(): ShaderSource {
  const W = PERMUTATION_WORKGROUP;
  const code = `struct Params { K: u32, n: u32, rounds: u32, e0: u32, epochs: u32, perEpoch: u32, p0: u32, p1: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> keys: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<u32>;
@group(0) @binding(3) var<storage, read_write> scratch: array<u32>;
${THREEFRY_WGSL}
@compute @workgroup_size(${W})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let k = wid.x;
  let j = wid.y;
  let n = params.n;
  let slot = j * params.K + k;
  let dst = slot * n;
  let s = slot * 3u * n;
  var cur = vec2u(keys[2u * k], keys[2u * k + 1u]);
  if (params.perEpoch != 0u) { cur = threefry(cur.x, cur.y, 0u, params.e0 + j); }
  if (params.rounds == 0u) {
    for (var i = lid; i < n; i += ${W}u) { out[dst + i] = i; }
  }
  for (var r = 0u; r < params.rounds; r++) {
    let sub = threefry(cur.x, cur.y, 0u, 1u);
    cur = threefry(cur.x, cur.y, 0u, 0u);
    for (var i = lid; i < n; i += ${W}u) {
      let t = threefry(sub.x, sub.y, 0u, i);
      scratch[s + i] = t.x ^ t.y;
    }
    storageBarrier();
    let src = s + n + ((r + 1u) % 2u) * n;
    let to = s + n + (r % 2u) * n;
    let last = r + 1u == params.rounds;
    for (var i = lid; i < n; i += ${W}u) {
      let si = scratch[s + i];
      var rank = 0u;
      for (var m = 0u; m < n; m++) {
        let sm = scratch[s + m];
        rank += select(0u, 1u, sm < si || (sm == si && m < i));
      }
      let x = select(scratch[src + i], i, r == 0u);
      if (last) { out[dst + rank] = x; } else { scratch[to + rank] = x; }
    }
    storageBarrier();
  }
}
`;
  return {
    code,
    bindings: ['uniform', 'read-only-storage', 'storage', 'storage'],
    workgroupSize: [W, 1, 1],
  };
}
