/**
 * Many keyed permutations at once on the GPU, each equal to core's `permutation(key, n)` (JAX's
 * `random.permutation`, partitionable scheme): one thread per (network, epoch).
 *
 * Thread (k, j) of a dispatch covering epochs e0 … e0 + epochs − 1:
 * 1. Its key: `keys[k]`, or with `perEpoch` `foldIn(keys[k], e0 + j)` = threefry(keys[k], (0, e0 + j)).
 * 2. Values x = 0 … n−1. For each of `rounds` rounds (core's formula, computed on the CPU):
 *    carry = threefry(key, (0, 0)), sub = threefry(key, (0, 1)) (core's `split(key)`), key ← carry;
 *    sort key i = y₀ ⊕ y₁ of threefry(sub, (0, i)) (core's `randomBits(sub, n)`); stably sort the pairs
 *    (sort key, x) by sort key with a bottom-up merge sort (ping-pong halves of the thread's scratch).
 * 3. Write x to out[(j·K + k)·n …].
 * Scratch per thread: 4n words [keys A | values A | keys B | values B].
 *
 * Measured on SwiftShader (2 busy cores): about 0.5 ms per permutation of 200, several times slower
 * than core's `permutation` in JavaScript; a workgroup-per-permutation rank sort was slower still
 * there (barriers are costly on SwiftShader). On a real GPU the K threads run in parallel.
 */
import type { ShaderSource } from '../../pipelineCache.js';
import { THREEFRY_WGSL } from '../threefry/threefry.wgsl.js';

/** Threads (permutations) per workgroup. */
export const PERMUTATION_WORKGROUP = 64;

/** Scratch words per element of a permutation. */
export const PERMUTATION_SCRATCH_WORDS = 4;

/**
 * WGSL of the batched permutation kernel; bindings: params {K, n, rounds, e0, epochs, perEpoch},
 * keys (K × 2 words), out (epochs × K × n), scratch (epochs × K × 4n). Dispatch ⌈K / 64⌉ × epochs
 * workgroups.
 */
export function makePermutationShader(): ShaderSource {
  const code = `struct Params { K: u32, n: u32, rounds: u32, e0: u32, epochs: u32, perEpoch: u32, p0: u32, p1: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> keys: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<u32>;
@group(0) @binding(3) var<storage, read_write> scratch: array<u32>;
${THREEFRY_WGSL}
@compute @workgroup_size(${PERMUTATION_WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let k = gid.x;
  let j = gid.y;
  if (k >= params.K || j >= params.epochs) { return; }
  let n = params.n;
  let slot = j * params.K + k;
  var cur = vec2u(keys[2u * k], keys[2u * k + 1u]);
  if (params.perEpoch != 0u) { cur = threefry(cur.x, cur.y, 0u, params.e0 + j); }
  var a = slot * 4u * n;
  var b = a + 2u * n;
  for (var i = 0u; i < n; i++) { scratch[a + n + i] = i; }
  for (var r = 0u; r < params.rounds; r++) {
    let sub = threefry(cur.x, cur.y, 0u, 1u);
    cur = threefry(cur.x, cur.y, 0u, 0u);
    for (var i = 0u; i < n; i++) {
      let t = threefry(sub.x, sub.y, 0u, i);
      scratch[a + i] = t.x ^ t.y;
    }
    for (var w = 1u; w < n; w = w * 2u) {
      for (var lo = 0u; lo < n; lo = lo + 2u * w) {
        let mid = min(lo + w, n);
        let hi = min(lo + 2u * w, n);
        var p = lo;
        var q = mid;
        for (var o = lo; o < hi; o++) {
          // Ties take the left run first: the merge is stable, like core's packed sort.
          if (p < mid && (q >= hi || scratch[a + p] <= scratch[a + q])) {
            scratch[b + o] = scratch[a + p];
            scratch[b + n + o] = scratch[a + n + p];
            p++;
          } else {
            scratch[b + o] = scratch[a + q];
            scratch[b + n + o] = scratch[a + n + q];
            q++;
          }
        }
      }
      let t = a;
      a = b;
      b = t;
    }
  }
  let dst = slot * n;
  for (var i = 0u; i < n; i++) { out[dst + i] = scratch[a + n + i]; }
}
`;
  return {
    code,
    bindings: ['uniform', 'read-only-storage', 'storage', 'storage'],
    workgroupSize: [PERMUTATION_WORKGROUP, 1, 1],
  };
}
