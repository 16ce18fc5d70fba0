/**
 * Tiled matrix multiply C = op(A)·op(B) with op(X) = X or Xᵀ, float32, row-major.
 *
 * Steps:
 * 1. Each 16×16 workgroup owns a 64×64 tile of C; each thread accumulates a 4×4 block (rows
 *    ly + 16i, columns lx + 16j) in registers.
 * 2. For each slab of 16 along the inner dimension, the workgroup loads a 64×16 tile of op(A) and a
 *    16×64 tile of op(B) into workgroup memory (zero outside the matrices), synchronises, and every
 *    thread does 16 rank-one updates of its 4×4 block with `fma`.
 * 3. Threads write their block where it lies inside C.
 */
import type { ShaderSource } from '../../pipelineCache.js';

/** Compile-time parameters of the matmul kernel. */
export interface MatmulShaderParams {
  /** A is stored k×m (use Aᵀ). */
  readonly transA: boolean;
  /** B is stored n×k (use Bᵀ). */
  readonly transB: boolean;
}

/** Tile edge of C owned by one workgroup. */
export const MATMUL_TILE = 64;

/** WGSL for C[m×n] = op(A)[m×k] · op(B)[k×n]; bindings: dims, A, B, C. */
export function makeMatmulShader(p: MatmulShaderParams): ShaderSource {
  const aIndex = p.transA ? 'k * dims.m + r' : 'r * dims.k + k';
  const bIndex = p.transB ? 'c * dims.k + k' : 'k * dims.n + c';
  const code = /* wgsl */ `
struct Dims { m: u32, n: u32, k: u32, pad: u32 }
@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
@group(0) @binding(3) var<storage, read_write> C: array<f32>;

const TS: u32 = 64u;
const TK: u32 = 16u;
var<workgroup> As: array<f32, 1024>; // As[kk * TS + row]
var<workgroup> Bs: array<f32, 1024>; // Bs[kk * TS + col]

fn loadA(r: u32, k: u32) -> f32 {
  if (r < dims.m && k < dims.k) { return A[${aIndex}]; }
  return 0.0;
}
fn loadB(k: u32, c: u32) -> f32 {
  if (k < dims.k && c < dims.n) { return B[${bIndex}]; }
  return 0.0;
}

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let row0 = wid.y * TS;
  let col0 = wid.x * TS;
  let t = lid.y * 16u + lid.x;
  var acc: array<f32, 16>;
  for (var k0 = 0u; k0 < dims.k; k0 += TK) {
    for (var i = 0u; i < 4u; i++) {
      let e = t + i * 256u;
      ${p.transA ? 'let ak = e / TS; let ar = e % TS;' : 'let ar = e / TK; let ak = e % TK;'}
      As[ak * TS + ar] = loadA(row0 + ar, k0 + ak);
      ${p.transB ? 'let bc = e / TK; let bk = e % TK;' : 'let bk = e / TS; let bc = e % TS;'}
      Bs[bk * TS + bc] = loadB(k0 + bk, col0 + bc);
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
      var a: array<f32, 4>;
      var b: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) {
        a[i] = As[kk * TS + lid.y + 16u * i];
        b[i] = Bs[kk * TS + lid.x + 16u * i];
      }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) {
          acc[i * 4u + j] = fma(a[i], b[j], acc[i * 4u + j]);
        }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    let r = row0 + lid.y + 16u * i;
    for (var j = 0u; j < 4u; j++) {
      let c = col0 + lid.x + 16u * j;
      if (r < dims.m && c < dims.n) { C[r * dims.n + c] = acc[i * 4u + j]; }
    }
  }
}
`;
  return {
    code,
    bindings: ['uniform', 'read-only-storage', 'read-only-storage', 'storage'],
    workgroupSize: [16, 16, 1],
  };
}
