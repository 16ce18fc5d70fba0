/**
 * Register-tiled matrix multiply C = op(A)·op(B) with op(X) = X or Xᵀ, float32, row-major, with an
 * optional fused epilogue (bias + activation forward, or the activation derivative backward).
 *
 * Steps:
 * 1. Invocation (x, y) of the grid owns a block of ROWS×4G entries of C (G = 1, 2 or 4 column groups):
 *    rows r0 = ROWS·y … r0 + ROWS − 1 and columns c0 = 4G·x … c0 + 4G − 1; it keeps the block in
 *    ROWS·G vec4 accumulators. A workgroup of 8×8 invocations covers an (8·ROWS)×(32·G) tile (64×1
 *    or 1×64 for C of a single row or column block). No workgroup memory and no barriers: each
 *    invocation streams its rows of op(A) and columns of op(B) (neighbouring invocations read
 *    neighbouring vec4s of B, and share the rows of A, so loads stay coalesced on GPUs).
 * 2. The inner dimension advances in slabs of 4: load a ROWS×4 block of op(A) and a 4×4 block of
 *    op(B), as vec4s along whichever axis is contiguous in memory (rows of A or B, or columns of
 *    a transposed operand; scalar loads where that axis is not a multiple of 4), then
 *    acc_i += B₄ₓ₄ᵀ·a_i (a mat4×vec4 product: 16 multiply-adds per row).
 *    Row and column indices are clamped into the matrix instead of tested, so the loop has no
 *    branches; clamped rows and columns are never written.
 * 3. A last slab, when k is not a multiple of 4, reads zero beyond k.
 * 4. With `rowSums`, each invocation also adds up its rows of op(A) (4 adds per row and slab), and
 *    the first column of invocations writes them.
 * 5. Epilogue per row: `bias` adds b[c] and writes Z = acc + b and A = f(Z); `dact` writes
 *    acc ⊙ f′(Z) (the backward product of the next layer's gradient with this layer's derivative);
 *    otherwise C = acc. Only entries inside C are written.
 */
import { type ActivationSpec, activation } from '@annlab/core';
import type { BindingKind, ShaderSource } from '../../pipelineCache.js';
import { activationWgsl } from '../biasActivation/activations.wgsl.js';

/** What the kernel does with each finished block of C. */
export type MatmulEpilogue =
  | { readonly kind: 'none' }
  /** Z = C + b (per column), A = f(Z); binds b (read), then A (write) after C (which holds Z). */
  | { readonly kind: 'biasActivation'; readonly activation: ActivationSpec }
  /** C = (op(A)·op(B)) ⊙ f′(Z); binds Z (read) after C. */
  | { readonly kind: 'activationDerivative'; readonly activation: ActivationSpec };

/** Compile-time parameters of the matmul kernel. */
export interface MatmulShaderParams {
  /** A is stored k×m (use Aᵀ). */
  readonly transA: boolean;
  /** B is stored n×k (use Bᵀ). */
  readonly transB: boolean;
  /** Load A as vec4 along its contiguous axis (needs k % 4 = 0, or m % 4 = 0 when transposed). */
  readonly vecA?: boolean;
  /** Load B as vec4 along its contiguous axis (needs n % 4 = 0, or k % 4 = 0 when transposed). */
  readonly vecB?: boolean;
  /** Store C (and the epilogue's buffers) as vec4 (needs n % 4 = 0). */
  readonly vecC?: boolean;
  /** Rows of C per invocation: 4, 8 or 16 (default {@link MATMUL_ROWS}). */
  readonly rows?: number;
  /** vec4 column groups per invocation: 1, 2 or 4 (default {@link MATMUL_COL_GROUPS}). */
  readonly colGroups?: number;
  /**
   * Also write S[r] = Σ_k op(A)[r, k] (binding after the epilogue's): the bias gradient Σ_rows dZ
   * comes free with ∂W = dZᵀ·A, since the invocations of the first column block read all of op(A).
   */
  readonly rowSums?: boolean;
  /** Fused epilogue (default none). */
  readonly epilogue?: MatmulEpilogue;
  /** Workgroup shape [x, y] with x·y = 64 (default [8, 8]; see {@link matmulWorkgroup}). */
  readonly workgroup?: readonly [number, number];
}

/**
 * Default rows of C per invocation (each invocation computes rows × 4·colGroups entries). 8 measured
 * ~25 % faster than 4 on SwiftShader at n = 256 (fewer invocations re-reading B); the accumulators
 * stay in registers on GPUs.
 */
export const MATMUL_ROWS = 8;
/** Default vec4 column groups per invocation (1: four columns). */
export const MATMUL_COL_GROUPS = 1;
/** Invocations per workgroup (64, the most that every GPU schedules well and SwiftShader likes). */
export const MATMUL_INVOCATIONS = 64;
/** Rows of C per invocation that the kernel accepts. */
export const MATMUL_ROW_CHOICES: readonly number[] = [4, 8, 16];
/** vec4 column groups per invocation that the kernel accepts. */
export const MATMUL_COL_GROUP_CHOICES: readonly number[] = [1, 2, 4];
/**
 * Register tile for adapters that emulate the GPU on the CPU (SwiftShader, WARP): 16 rows × 16
 * columns per invocation. There every load of a storage buffer is a per-lane gather costing several
 * times an arithmetic operation, so the tile with the most multiply-adds per loaded value wins:
 * on SwiftShader (2 cores) it measured 1.5–2× the GFLOP/s of the 8×4 default at n = 256…1024 and on
 * the 4096×256×256 products of a dense layer. On real GPUs it would spill registers and leave most of
 * the device idle, so it is chosen only for fallback adapters (see `matmulTile`).
 */
export const MATMUL_CPU_TILE: { readonly rows: number; readonly colGroups: number } = {
  rows: 16,
  colGroups: 4,
};

/**
 * The workgroup's shape [x (column blocks), y (row blocks)] for C[m×n]: 8×8, or 64×1 when C has a
 * single row block (m ≤ rows) and 1×64 when it has a single column block (n ≤ 4·colGroups), so no
 * invocation only recomputes clamped copies of the edge.
 */
export function matmulWorkgroup(
  m: number,
  n: number,
  rows = MATMUL_ROWS,
  colGroups = MATMUL_COL_GROUPS,
): readonly [number, number] {
  if (m <= rows) return [MATMUL_INVOCATIONS, 1];
  if (n <= 4 * colGroups) return [1, MATMUL_INVOCATIONS];
  return [8, 8];
}

const XYZW = ['x', 'y', 'z', 'w'] as const;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** WGSL for C[m×n] = op(A)[m×k] · op(B)[k×n]; bindings: dims, A, B, C, then the epilogue's. */
export function makeMatmulShader(p: MatmulShaderParams): ShaderSource {
  const R = p.rows ?? MATMUL_ROWS;
  if (!MATMUL_ROW_CHOICES.includes(R)) {
    throw new RangeError(`makeMatmulShader: rows must be 4, 8 or 16, got ${R}`);
  }
  const G = p.colGroups ?? MATMUL_COL_GROUPS;
  if (!MATMUL_COL_GROUP_CHOICES.includes(G)) {
    throw new RangeError(`makeMatmulShader: colGroups must be 1, 2 or 4, got ${G}`);
  }
  const vecA = p.vecA ?? false;
  const vecB = p.vecB ?? false;
  const vecC = p.vecC ?? false;
  const ep = p.epilogue ?? { kind: 'none' };
  const rowsIdx = range(R);
  const groups = range(G);
  const cols = range(4 * G);
  const q4 = [0, 1, 2, 3];
  const aType = vecA ? 'vec4f' : 'f32';
  const bType = vecB ? 'vec4f' : 'f32';
  const cType = vecC ? 'vec4f' : 'f32';
  const nl = '\n    ';

  // Scalar element of op(A) / op(B) (used by the scalar paths and the k tail).
  const aElem = (r: string, k: string) => {
    const idx = p.transA ? `(${k}) * dims.m + (${r})` : `(${r}) * dims.k + (${k})`;
    return vecA ? `A[(${idx}) >> 2u][(${idx}) & 3u]` : `A[${idx}]`;
  };
  const bElem = (k: string, c: string) => {
    const idx = p.transB ? `(${c}) * dims.k + (${k})` : `(${k}) * dims.n + (${c})`;
    return vecB ? `B[(${idx}) >> 2u][(${idx}) & 3u]` : `B[${idx}]`;
  };

  // Full slab at k0: define a0..a{R-1} (vec4 over kk).
  let loadA: string;
  if (vecA && !p.transA) {
    loadA = rowsIdx.map((i) => `let a${i} = A[ar${i} + (k0 >> 2u)];`).join(nl);
  } else if (vecA && p.transA) {
    // Column kk of the block: vec4 over 4 consecutive rows.
    const lines: string[] = [];
    for (let h = 0; h < R / 4; h++) {
      for (const kk of q4) lines.push(`let t${h}${kk} = A[(k0 + ${kk}u) * m4 + aq${h}];`);
    }
    for (const i of rowsIdx) {
      const h = Math.floor(i / 4);
      const c = XYZW[i % 4];
      lines.push(`let a${i} = vec4f(${q4.map((kk) => `t${h}${kk}.${c}`).join(', ')});`);
    }
    loadA = lines.join(nl);
  } else {
    loadA = rowsIdx
      .map((i) => `let a${i} = vec4f(${q4.map((kk) => aElem(`r${i}`, `k0 + ${kk}u`)).join(', ')});`)
      .join(nl);
  }
  // B block of group g as a mat4x4f: `b_g * a_i` (columns = rows of op(B)) or `a_i * b_g` (columns
  // = columns of op(B), when B is transposed and read along k).
  let loadB: string;
  let product: (i: number, g: number) => string;
  if (vecB && p.transB) {
    loadB = groups
      .map(
        (g) =>
          `let b${g} = mat4x4f(${q4.map((j) => `B[bc${4 * g + j} + (k0 >> 2u)]`).join(', ')});`,
      )
      .join(nl);
    product = (i, g) => `acc${i}_${g} += a${i} * b${g};`;
  } else if (vecB) {
    loadB = groups
      .map(
        (g) =>
          `let b${g} = mat4x4f(${q4.map((kk) => `B[(k0 + ${kk}u) * n4 + bq${g}]`).join(', ')});`,
      )
      .join(nl);
    product = (i, g) => `acc${i}_${g} += b${g} * a${i};`;
  } else {
    const col = (g: number, kk: number) =>
      `vec4f(${q4.map((j) => bElem(`k0 + ${kk}u`, `c${4 * g + j}`)).join(', ')})`;
    loadB = groups
      .map((g) => `let b${g} = mat4x4f(${q4.map((kk) => col(g, kk)).join(', ')});`)
      .join(nl);
    product = (i, g) => `acc${i}_${g} += b${g} * a${i};`;
  }
  const rowSums = p.rowSums ?? false;
  const sums = rowSums ? rowsIdx.map((i) => `s${i} += a${i};`) : [];
  const products = [...rowsIdx.flatMap((i) => groups.map((g) => product(i, g))), ...sums].join(nl);
  const tail = `
  if (kFull < dims.k) {
    let k0 = kFull;
    ${groups.map((g) => `var b${g} = mat4x4f();`).join(nl)}
    ${rowsIdx.map((i) => `var a${i} = vec4f();`).join(nl)}
    for (var kk = 0u; kk < dims.k - kFull; kk++) {
      ${cols.map((j) => `b${j >> 2}[kk][${j & 3}] = ${bElem('k0 + kk', `c${j}`)};`).join('\n      ')}
      ${rowsIdx.map((i) => `a${i}[kk] = ${aElem(`r${i}`, 'k0 + kk')};`).join('\n      ')}
    }
    ${rowsIdx.flatMap((i) => groups.map((g) => `acc${i}_${g} += b${g} * a${i};`)).join(nl)}
    ${sums.join(nl)}
  }`;

  // Index helpers hoisted out of the loop.
  const pre: string[] = [];
  for (const i of rowsIdx) pre.push(`let r${i} = min(row0 + ${i}u, dims.m - 1u);`);
  for (const j of cols) pre.push(`let c${j} = min(col0 + ${j}u, dims.n - 1u);`);
  if (vecA && !p.transA) for (const i of rowsIdx) pre.push(`let ar${i} = r${i} * (dims.k >> 2u);`);
  if (vecA && p.transA) {
    pre.push('let m4 = dims.m >> 2u;');
    for (let h = 0; h < R / 4; h++) pre.push(`let aq${h} = min((row0 >> 2u) + ${h}u, m4 - 1u);`);
  }
  if (vecB && p.transB) for (const j of cols) pre.push(`let bc${j} = c${j} * (dims.k >> 2u);`);
  if (vecB && !p.transB) {
    pre.push('let n4 = dims.n >> 2u;');
    for (const g of groups) pre.push(`let bq${g} = min((col0 >> 2u) + ${g}u, n4 - 1u);`);
  }

  // Epilogue bindings and per-row store.
  let extra = '';
  let helpers = '';
  const bindings: BindingKind[] = ['uniform', 'read-only-storage', 'read-only-storage', 'storage'];
  const store: string[] = [];
  const actVec = (fn: string, v: string) =>
    `vec4f(${XYZW.map((c) => `${fn}(${v}.${c})`).join(', ')})`;
  if (ep.kind !== 'none') {
    activation(ep.activation);
    helpers = activationWgsl(ep.activation);
  }
  if (ep.kind === 'biasActivation') {
    extra = `@group(0) @binding(4) var<storage, read> bias: array<${cType}>;
@group(0) @binding(5) var<storage, read_write> Out: array<${cType}>;`;
    bindings.push('read-only-storage', 'storage');
  } else if (ep.kind === 'activationDerivative') {
    extra = `@group(0) @binding(4) var<storage, read> Zin: array<${cType}>;`;
    bindings.push('read-only-storage');
  }
  if (rowSums) {
    const binding = bindings.length;
    extra += `\n@group(0) @binding(${binding}) var<storage, read_write> S: array<f32>;`;
    bindings.push('storage');
    const lines = rowsIdx.map(
      (i) => `if (row0 + ${i}u < dims.m) { S[row0 + ${i}u] = dot(s${i}, vec4f(1.0)); }`,
    );
    store.push('if (gid.x == 0u) {', ...lines.map((l) => `  ${l}`), '}');
  }
  for (const g of groups) {
    const cg = `col0 + ${4 * g}u`;
    if (vecC) {
      const lines: string[] = [];
      if (ep.kind === 'biasActivation') lines.push(`let bv${g} = bias[(${cg}) >> 2u];`);
      for (const i of rowsIdx) {
        const idx = `(row0 + ${i}u) * (dims.n >> 2u) + ((${cg}) >> 2u)`;
        const acc = `acc${i}_${g}`;
        let body: string;
        if (ep.kind === 'biasActivation') {
          body = `let z = ${acc} + bv${g}; C[${idx}] = z; Out[${idx}] = ${actVec('act', 'z')};`;
        } else if (ep.kind === 'activationDerivative') {
          body = `let z = Zin[${idx}]; C[${idx}] = ${acc} * ${actVec('dact', 'z')};`;
        } else {
          body = `C[${idx}] = ${acc};`;
        }
        lines.push(`if (row0 + ${i}u < dims.m) { ${body} }`);
      }
      store.push(`if (${cg} < dims.n) {`, ...lines.map((l) => `  ${l}`), '}');
    } else {
      for (const i of rowsIdx) {
        for (const j of q4) {
          const c = `${cg} + ${j}u`;
          const idx = `(row0 + ${i}u) * dims.n + ${c}`;
          const v = `acc${i}_${g}.${XYZW[j]}`;
          let body: string;
          if (ep.kind === 'biasActivation') {
            body = `let z = ${v} + bias[${c}]; C[${idx}] = z; Out[${idx}] = act(z);`;
          } else if (ep.kind === 'activationDerivative') {
            body = `C[${idx}] = ${v} * dact(Zin[${idx}]);`;
          } else {
            body = `C[${idx}] = ${v};`;
          }
          store.push(`if (row0 + ${i}u < dims.m && ${c} < dims.n) { ${body} }`);
        }
      }
    }
  }

  const [WX, WY] = p.workgroup ?? [8, 8];
  if (!(Number.isInteger(WX) && Number.isInteger(WY) && WX * WY === MATMUL_INVOCATIONS)) {
    throw new RangeError(
      `makeMatmulShader: workgroup must be [x, y] with x·y = 64, got ${WX}×${WY}`,
    );
  }
  const code = /* wgsl */ `
struct Dims { m: u32, n: u32, k: u32, pad: u32 }
@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> A: array<${aType}>;
@group(0) @binding(2) var<storage, read> B: array<${bType}>;
@group(0) @binding(3) var<storage, read_write> C: array<${cType}>;
${extra}
${helpers}
@compute @workgroup_size(${WX}, ${WY}, 1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let row0 = gid.y * ${R}u;
  let col0 = gid.x * ${4 * G}u;
  ${pre.join('\n  ')}
  ${rowsIdx.flatMap((i) => groups.map((g) => `var acc${i}_${g} = vec4f();`)).join('\n  ')}
  ${rowSums ? rowsIdx.map((i) => `var s${i} = vec4f();`).join('\n  ') : ''}
  let kFull = dims.k & ~3u;
  for (var k0 = 0u; k0 < kFull; k0 += 4u) {
    ${loadA}
    ${loadB}
    ${products}
  }${tail}
  ${store.join('\n  ')}
}
`;
  return { code, bindings, workgroupSize: [WX, WY, 1] };
}
