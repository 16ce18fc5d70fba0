/**
 * JAX's Threefry-2x32 random bits on the GPU, word for word equal to core's `randomBits`.
 *
 * `threefry(k, x)`: key schedule ks = [k₀, k₁, k₀ ⊕ k₁ ⊕ 0x1BD11BDA]; x += (ks₀, ks₁); five groups
 * of four rounds (x₀ += x₁; x₁ = rotl(x₁, r) ⊕ x₀) with rotations [13, 15, 26, 6] and
 * [17, 29, 16, 24] alternating; after group g, x₀ += ks[g mod 3], x₁ += ks[(g+1) mod 3] + g.
 * u32 arithmetic wraps in WGSL, as mod 2³² needs.
 *
 * Layouts (see core's `random/key.ts`), one thread per output word:
 * - `partitionable`: word i = y₀ ⊕ y₁ of threefry(k, (⌊i / 2³²⌋, i mod 2³²)) (i < 2³² here, so hi = 0);
 * - `legacy`: h = ⌈n/2⌉; thread j < h hashes (j, h + j) (0 past the end) and writes y₀ to word j
 *   and y₁ to word h + j when it exists.
 */
import type { ShaderSource } from '../../pipelineCache.js';

/** Counter layout, as core's `Scheme`. */
export type ThreefryScheme = 'partitionable' | 'legacy';

/**
 * WGSL `threefry(k0, k1, c0, c1) -> vec2u`: Threefry-2x32 of the counter (c0, c1) under the key
 * (k0, k1), as core's `threefry2x32`; shared by every kernel that draws random bits.
 */
export const THREEFRY_WGSL = /* wgsl */ `
fn rotl(x: u32, r: u32) -> u32 { return (x << r) | (x >> (32u - r)); }

fn threefry(k0: u32, k1: u32, c0: u32, c1: u32) -> vec2u {
  let ks = array<u32, 3>(k0, k1, k0 ^ k1 ^ 0x1BD11BDAu);
  let rot = array<u32, 8>(13u, 15u, 26u, 6u, 17u, 29u, 16u, 24u);
  var x0 = c0 + ks[0];
  var x1 = c1 + ks[1];
  for (var g = 0u; g < 5u; g++) {
    for (var r = 0u; r < 4u; r++) {
      x0 = x0 + x1;
      x1 = rotl(x1, rot[(g % 2u) * 4u + r]) ^ x0;
    }
    x0 = x0 + ks[(g + 1u) % 3u];
    x1 = x1 + ks[(g + 2u) % 3u] + g + 1u;
  }
  return vec2u(x0, x1);
}
`;

/** Threads per workgroup. */
export const THREEFRY_WORKGROUP = 256;

/** WGSL of random bits; bindings: params {k0, k1, n, base}, out (u32). */
export function makeThreefryShader(scheme: ThreefryScheme): ShaderSource {
  const W = THREEFRY_WORKGROUP;
  const body =
    scheme === 'partitionable'
      ? `if (i >= params.n) { return; }
  let y = threefry(params.k0, params.k1, 0u, params.base + i);
  out[i] = y.x ^ y.y;`
      : `let h = (params.n + 1u) / 2u;
  if (i >= h) { return; }
  let c1 = select(0u, h + i, h + i < params.n);
  let y = threefry(params.k0, params.k1, i, c1);
  out[i] = y.x;
  if (h + i < params.n) { out[h + i] = y.y; }`;
  const code = `struct Params { k0: u32, k1: u32, n: u32, base: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;

${THREEFRY_WGSL}
@compute @workgroup_size(${W})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * ${W}u;
  ${body}
}
`;
  return { code, bindings: ['uniform', 'storage'], workgroupSize: [W, 1, 1] };
}
