/**
 * A WebAssembly SIMD (f32x4) product kernel for the float32 dense layers (`dtype: 'float32'`),
 * written as bytes by the encoder of wasm.ts and compiled once, synchronously. Two variants of the
 * same module exist: one with relaxed SIMD's fused multiply-add (`f32x4.relaxed_madd`), used where
 * the runtime validates it, and one with plain SIMD's multiply then add. {@link denseF32Kernel}
 * says which one runs (or `'none'`, where WebAssembly SIMD is missing and the JS kernels run).
 *
 * One exported function over the imported memory `e.m` (all arguments i32, pointers in bytes):
 *
 * `mm(x, xsm, xsk, y, ysk, c, init, initStride, M, N, K)` computes
 *
 *   C[m][j] = I(m, j) + Σ_{k<K} X(m, k)·Y[k][j]   for m < M, j < N,
 *
 * with C row-major (M × N, float32), Y contiguous in j with a row stride of `ysk` bytes,
 * X(m, k) at byte `x + m·xsm + k·xsk` (any strides: X may be read transposed, or be a constant with
 * both strides 0) and the start value I(m, j) at byte `init + m·initStride + 4j`: a bias vector with
 * `initStride = 0`, or C itself with `initStride = 4N`, which adds the product to C (the caller
 * splits a long K into slices that stay in cache). Requires M % 4 = 0, N % 4 = 0, K ≥ 1.
 *
 * Steps: for each block of 4 rows × 8 columns of C (eight f32x4 accumulators in registers, started
 * at I), one pass over k loads two f32x4 of Y's row k and four X(m + s, k), each splatted by
 * `v128.load32_splat`, and adds the eight products (fused where relaxed SIMD is on); the block is
 * stored once. Columns past the last multiple of 8 take a 4 × 4 block.
 */
import {
  api,
  brIf,
  denseWasmAvailable,
  END,
  get,
  I32,
  I32_ADD,
  I32_LT_U,
  I32_MUL,
  I32_SHL,
  IF,
  i32c,
  LOOP,
  name,
  section,
  set,
  simd,
  uleb,
  V128,
  v128Load,
  v128Store,
  vec,
} from './wasm.js';

/** Which float32 kernel runs: relaxed SIMD (FMA), plain SIMD, or none (JS kernels). */
export type DenseF32Kernel = 'relaxed-simd' | 'simd' | 'none';

/**
 * The signature of the exported `th`: dst[q] = tanh(src[q]) for q < 4·quads (float32, byte
 * pointers, 16-byte aligned; a count that is not a multiple of 4 writes up to 3 entries past it).
 */
export type DenseTanhF32 = (src: number, dst: number, quads: number) => void;

/** `rl(src, dst, quads)`: dst[q] = max(src[q], 0) (NaN stays NaN) for q < 4·quads. */
export type DenseReluF32 = (src: number, dst: number, quads: number) => void;

/**
 * `drl(z, g, out, quads)`: out[q] = g[q] where z[q] > 0, 0 where z[q] ≤ 0, NaN where z[q] is NaN
 * (the ReLU derivative times g, as `multiplyDerivative`), for q < 4·quads; `out` may be `g`.
 */
export type DenseReluGradF32 = (z: number, g: number, out: number, quads: number) => void;

/** The signature of the exported `mm` (all arguments i32; pointers in bytes). */
export type DenseMatmulF32 = (
  x: number,
  xsm: number,
  xsk: number,
  y: number,
  ysk: number,
  c: number,
  init: number,
  initStride: number,
  M: number,
  N: number,
  K: number,
) => void;

/** One instance of the float32 module over its own linear memory. */
export interface DenseWasmF32 {
  /** The linear memory (never grown, so views of it stay valid). */
  readonly buffer: ArrayBuffer;
  readonly mm: DenseMatmulF32;
  readonly th: DenseTanhF32;
  readonly rl: DenseReluF32;
  readonly drl: DenseReluGradF32;
  /** The variant this instance runs. */
  readonly kernel: Exclude<DenseF32Kernel, 'none'>;
}

let compiled: { module: object; kernel: Exclude<DenseF32Kernel, 'none'> } | null | undefined;
let forced: 'simd' | undefined;

/**
 * Internal (tests, bench): `'simd'` makes workspaces created afterwards use the plain-SIMD variant
 * even where relaxed SIMD validates; `undefined` restores the choice by detection.
 */
export function setDenseF32Variant(v: 'simd' | undefined): void {
  if (v !== forced) compiled = undefined;
  forced = v;
}

/**
 * Which float32 dense kernel `dtype: 'float32'` workspaces use here: `'relaxed-simd'` (fused
 * multiply-add; Node 20 needs `--experimental-wasm-relaxed-simd`, current browsers have it),
 * `'simd'` (multiply then add) or `'none'` (no WebAssembly SIMD: the JS kernels run). Detected once,
 * by `WebAssembly.validate` on the module itself.
 *
 * @example
 * ```ts
 * console.log(`float32 passes run on ${denseF32Kernel()}`); // e.g. 'simd' under Node 20
 * ```
 */
export function denseF32Kernel(): DenseF32Kernel {
  const c = compiledModule();
  return c === null ? 'none' : c.kernel;
}

function compiledModule(): (typeof compiled & object) | null {
  // setDenseWasmEnabled(false) (tests) turns this kernel off too
  if (!denseWasmAvailable()) return null;
  if (compiled === undefined) {
    compiled = null;
    const wasm = api();
    const variants: Array<Exclude<DenseF32Kernel, 'none'>> =
      forced === 'simd' ? ['simd'] : ['relaxed-simd', 'simd'];
    for (const kernel of variants) {
      try {
        const bytes = moduleBytes(kernel === 'relaxed-simd');
        if (wasm?.validate(bytes)) {
          compiled = { module: new wasm.Module(bytes), kernel };
          break;
        }
      } catch {
        // try the next variant
      }
    }
  }
  return compiled;
}

/**
 * A fresh instance with a linear memory of at least `bytes` bytes, or null where WebAssembly SIMD
 * is unavailable or switched off.
 */
export function createDenseWasmF32(bytes: number): DenseWasmF32 | null {
  const c = compiledModule();
  const wasm = api();
  if (c === null || wasm === undefined) return null;
  const memory = new wasm.Memory({ initial: Math.ceil(bytes / 65536) + 1 });
  const { exports } = new wasm.Instance(c.module, { e: { m: memory } });
  return {
    buffer: memory.buffer,
    mm: exports.mm as DenseMatmulF32,
    th: exports.th as DenseTanhF32,
    rl: exports.rl as DenseReluF32,
    drl: exports.drl as DenseReluGradF32,
    kernel: c.kernel,
  };
}

// ---- the module ---------------------------------------------------------------------------------

const F32X4_ADD = simd(0xe4);
const F32X4_MUL = simd(0xe6);
const F32X4_RELAXED_MADD = simd(0x105);
const load32Splat = (offset: number): number[] => [...simd(0x09), 2, ...uleb(offset)];

// parameters
const X = 0;
const XSM = 1;
const XSK = 2;
const Y = 3;
const YSK = 4;
const C = 5;
const INIT = 6;
const INITS = 7;
const M = 8;
const N = 9;
const K = 10;
// i32 locals
const m = 11;
const j = 12;
const k = 13;
const xp = 14;
const yp = 15;
const cp = 16;
const xsm2 = 17;
const xsm3 = 18;
const nBytes = 19;
const n8 = 20;
const ip = 21;
const I32_LOCALS = 11;
// v128 locals: acc(s, v) = 22 + 2s + v, then y0, y1, a
const acc = (s: number, v: number): number => 22 + 2 * s + v;
const yv = (v: number): number => 30 + v;
const a = 32;
const V128_LOCALS = 11;

function body(relaxed: boolean): number[] {
  const code: number[] = [];
  const emit = (...parts: (number | number[])[]): void => {
    for (const p of parts) {
      if (typeof p === 'number') code.push(p);
      else code.push(...p);
    }
  };
  /** One 4 × 4V block at (m, j): start values, the k loop, the store. */
  const block = (V: number): void => {
    // ip = init + m·initStride + 4j; acc(s, v) = I rows s
    emit(get(INIT), get(m), get(INITS), I32_MUL, I32_ADD, get(j), i32c(2), I32_SHL, I32_ADD);
    emit(set(ip));
    for (let s = 0; s < 4; s++) {
      if (s > 0) emit(get(ip), get(INITS), I32_ADD, set(ip));
      for (let v = 0; v < V; v++) emit(get(ip), v128Load(16 * v), set(acc(s, v)));
    }
    // xp = x + m·xsm; yp = y + 4j; k = 0
    emit(get(X), get(m), get(XSM), I32_MUL, I32_ADD, set(xp));
    emit(get(Y), get(j), i32c(2), I32_SHL, I32_ADD, set(yp));
    emit(i32c(0), set(k));
    emit(LOOP);
    for (let v = 0; v < V; v++) emit(get(yp), v128Load(16 * v), set(yv(v)));
    for (let s = 0; s < 4; s++) {
      emit(get(xp));
      if (s === 1) emit(get(XSM), I32_ADD);
      if (s === 2) emit(get(xsm2), I32_ADD);
      if (s === 3) emit(get(xsm3), I32_ADD);
      emit(load32Splat(0), set(a));
      for (let v = 0; v < V; v++) {
        if (relaxed) emit(get(a), get(yv(v)), get(acc(s, v)), F32X4_RELAXED_MADD);
        else emit(get(acc(s, v)), get(a), get(yv(v)), F32X4_MUL, F32X4_ADD);
        emit(set(acc(s, v)));
      }
    }
    emit(get(xp), get(XSK), I32_ADD, set(xp));
    emit(get(yp), get(YSK), I32_ADD, set(yp));
    emit(get(k), i32c(1), I32_ADD, set(k), get(k), get(K), I32_LT_U, brIf(0));
    emit(END);
    // cp = c + m·4N + 4j; store four rows
    emit(get(C), get(m), get(nBytes), I32_MUL, I32_ADD, get(j), i32c(2), I32_SHL, I32_ADD);
    emit(set(cp));
    for (let s = 0; s < 4; s++) {
      if (s > 0) emit(get(cp), get(nBytes), I32_ADD, set(cp));
      for (let v = 0; v < V; v++) emit(get(cp), get(acc(s, v)), v128Store(16 * v));
    }
  };
  // xsm2 = 2·xsm, xsm3 = 3·xsm, nBytes = 4N, n8 = N rounded down to 8
  emit(get(XSM), i32c(1), I32_SHL, set(xsm2));
  emit(get(xsm2), get(XSM), I32_ADD, set(xsm3));
  emit(get(N), i32c(2), I32_SHL, set(nBytes));
  emit(get(N), i32c(-8), 0x71 /* i32.and */, set(n8));
  // for (m = 0; m < M; m += 4)   (M ≥ 4: do-while)
  emit(i32c(0), set(m));
  emit(LOOP);
  emit(i32c(0), set(j));
  // for (j = 0; j < n8; j += 8): 4 × 8 blocks
  emit(i32c(0), get(n8), I32_LT_U, IF);
  emit(LOOP);
  block(2);
  emit(get(j), i32c(8), I32_ADD, set(j), get(j), get(n8), I32_LT_U, brIf(0));
  emit(END, END);
  // for (; j < N; j += 4): 4 × 4 blocks
  emit(get(j), get(N), I32_LT_U, IF);
  emit(LOOP);
  block(1);
  emit(get(j), i32c(4), I32_ADD, set(j), get(j), get(N), I32_LT_U, brIf(0));
  emit(END, END);
  emit(get(m), i32c(4), I32_ADD, set(m), get(m), get(M), I32_LT_U, brIf(0));
  emit(END);
  emit(END); // function end
  const locals = vec([
    [...uleb(I32_LOCALS), I32],
    [...uleb(V128_LOCALS), V128],
  ]);
  const fn = [...locals, ...code];
  return [...uleb(fn.length), ...fn];
}

// ---- tanh in four float32 lanes ---------------------------------------------------------------

const F32X4_ABS = simd(0xe0);
const F32X4_SUB = simd(0xe5);
const F32X4_DIV = simd(0xe7);
const F32X4_NEAREST = simd(0x6a);
const F32X4_GE = simd(0x46);
const F32X4_SPLAT = simd(0x13);
const I32X4_TRUNC_SAT_F32X4_S = simd(0xf8);
const I32X4_ADD = simd(0xae);
const I32X4_SHL = simd(0xab);
const I32X4_SPLAT = simd(0x11);
const V128_BITSELECT = simd(0x52);

/** f32x4 constant (f32.const then splat). */
function splat32(v: number): number[] {
  return [0x43, ...new Uint8Array(new Float32Array([v]).buffer), ...F32X4_SPLAT];
}

/**
 * `th(src, dst, quads)`: dst[q] = tanh(src[q]) for q < 4·quads, four float32 lanes at a time, every
 * step in float32. For a = |x|:
 * 1. a < 2⁻¹² (also ±0 and NaN, through the compare): tanh x = x (a³/3 is below half an ulp);
 *    a ≥ 9.1: ±1 (1 − tanh a < 2⁻²⁵ there).
 * 2. y = −2a = k·ln 2 + r with k = round(y / ln 2) ∈ [−27, 0], |r| ≤ ln 2 / 2; ln 2 split in a head
 *    with 12 trailing zero bits (k·head exact) and a tail.
 * 3. expm1(r) = r + r²·q(r), q the Taylor polynomial to r⁵/5040 (remainder below 2⁻²⁶ relative).
 * 4. t = expm1(y) = 2ᵏ·expm1(r) + (2ᵏ − 1), 2ᵏ from the bits (k + 127) << 23.
 * 5. tanh a = −t / (t + 2), then the sign of x.
 * The result is within 2 ulp of the exact tanh (tests: 4u relative to Math.tanh).
 */
function tanhBody32(): number[] {
  const code: number[] = [];
  const emit = (...parts: (number | number[])[]): void => {
    for (const p of parts) {
      if (typeof p === 'number') code.push(p);
      else code.push(...p);
    }
  };
  const [SRC, DST, QUADS, OFF, END_OFF] = [0, 1, 2, 3, 4];
  const [vx, va, vy, vk, vr, vq, vs, vt] = [5, 6, 7, 8, 9, 10, 11, 12];
  const mul = (x: number, y: number[]): number[] => [...get(x), ...y, ...F32X4_MUL];
  emit(i32c(0), set(OFF), get(QUADS), i32c(4), I32_SHL, set(END_OFF));
  emit(get(QUADS), 0x45 /* i32.eqz */, IF, 0x0f /* return */, END);
  emit(LOOP);
  emit(get(SRC), get(OFF), I32_ADD, v128Load(0), set(vx));
  emit(get(vx), F32X4_ABS, set(va));
  emit(mul(va, splat32(-2)), set(vy));
  emit(mul(vy, splat32(1 / Math.LN2)), F32X4_NEAREST, set(vk));
  // r = y − k·LN2_HI − k·LN2_LO
  emit(get(vy), mul(vk, splat32(0.693145751953125)), F32X4_SUB);
  emit(mul(vk, splat32(1.4286067653302e-6)), F32X4_SUB, set(vr));
  // q = 1/2 + r(1/6 + r(1/24 + r(1/120 + r(1/720 + r/5040))))
  emit(mul(vr, splat32(1 / 5040)), splat32(1 / 720), F32X4_ADD);
  for (const c of [1 / 120, 1 / 24, 1 / 6, 1 / 2]) {
    emit(get(vr), F32X4_MUL, splat32(c), F32X4_ADD);
  }
  emit(set(vq));
  // p = r + r²·q (kept in vq)
  emit(get(vr), mul(vr, get(vr)), get(vq), F32X4_MUL, F32X4_ADD, set(vq));
  // s = 2ᵏ from the bits (k + 127) << 23
  emit(get(vk), I32X4_TRUNC_SAT_F32X4_S, i32c(127), I32X4_SPLAT, I32X4_ADD, i32c(23), I32X4_SHL);
  emit(set(vs));
  // t = s·p + (s − 1); th = −t / (t + 2)
  emit(mul(vs, get(vq)), get(vs), splat32(1), F32X4_SUB, F32X4_ADD, set(vt));
  emit(splat32(0), get(vt), F32X4_SUB, get(vt), splat32(2), F32X4_ADD, F32X4_DIV, set(vt));
  // a ≥ 9.1: 1; then the sign of x; a < 2⁻¹² (also ±0, NaN through the compare): x
  emit(splat32(1), get(vt), get(va), splat32(9.1), F32X4_GE, V128_BITSELECT, set(vt));
  emit(get(vx), get(vt), splat32(-0), V128_BITSELECT, set(vt));
  emit(get(DST), get(OFF), I32_ADD);
  emit(get(vt), get(vx), get(va), splat32(2 ** -12), F32X4_GE, V128_BITSELECT);
  emit(v128Store(0));
  emit(get(OFF), i32c(16), I32_ADD, set(OFF), get(OFF), get(END_OFF), I32_LT_U, brIf(0));
  emit(END);
  emit(END);
  const locals = vec([
    [...uleb(2), I32],
    [...uleb(8), V128],
  ]);
  const fn = [...locals, ...code];
  return [...uleb(fn.length), ...fn];
}

/** `rl` and `drl` (see {@link DenseReluF32}, {@link DenseReluGradF32}): four lanes per step. */
function reluBody(grad: boolean): number[] {
  const code: number[] = [];
  const emit = (...parts: (number | number[])[]): void => {
    for (const p of parts) {
      if (typeof p === 'number') code.push(p);
      else code.push(...p);
    }
  };
  // parameters: rl (src, dst, quads), drl (z, g, out, quads); then off, end, z
  const [Z, G, OUT, QUADS] = grad ? [0, 1, 2, 3] : [0, -1, 1, 2];
  const OFF = QUADS + 1;
  const END_OFF = QUADS + 2;
  const vz = QUADS + 3;
  const vr = QUADS + 4;
  emit(i32c(0), set(OFF), get(QUADS), i32c(4), I32_SHL, set(END_OFF));
  emit(get(QUADS), 0x45 /* i32.eqz */, IF, 0x0f /* return */, END);
  emit(LOOP);
  emit(get(OUT), get(OFF), I32_ADD);
  emit(get(Z), get(OFF), I32_ADD, v128Load(0), set(vz));
  if (grad) {
    // r = select(g, 0, z > 0); out = select(NaN, r, z ≠ z)
    emit(get(G), get(OFF), I32_ADD, v128Load(0), splat32(0), get(vz), splat32(0));
    emit(simd(0x44) /* f32x4.gt */, V128_BITSELECT, set(vr));
    emit(splat32(Number.NaN), get(vr), get(vz), get(vz), simd(0x42) /* f32x4.ne */);
    emit(V128_BITSELECT);
  } else {
    emit(get(vz), splat32(0), simd(0xe9) /* f32x4.max */);
  }
  emit(v128Store(0));
  emit(get(OFF), i32c(16), I32_ADD, set(OFF), get(OFF), get(END_OFF), I32_LT_U, brIf(0));
  emit(END);
  emit(END);
  const locals = vec([
    [...uleb(2), I32],
    [...uleb(2), V128],
  ]);
  const fn = [...locals, ...code];
  return [...uleb(fn.length), ...fn];
}

/** The module: imports memory `e.m`, exports `mm`, `th`, `rl` and `drl` (see above). */
export function moduleBytes(relaxed: boolean): Uint8Array<ArrayBuffer> {
  const type = section(
    1,
    vec([
      [0x60, ...vec(Array.from({ length: 11 }, () => [I32])), 0x00],
      [0x60, ...vec([[I32], [I32], [I32]]), 0x00],
      [0x60, ...vec([[I32], [I32], [I32], [I32]]), 0x00],
    ]),
  );
  const imports = section(2, vec([[...name('e'), ...name('m'), 0x02, 0x00, 0x00]]));
  const funcs = section(3, vec([[0x00], [0x01], [0x01], [0x02]]));
  const exports = section(
    7,
    vec([
      [...name('mm'), 0x00, 0x00],
      [...name('th'), 0x00, 0x01],
      [...name('rl'), 0x00, 0x02],
      [...name('drl'), 0x00, 0x03],
    ]),
  );
  const code = section(10, vec([body(relaxed), tanhBody32(), reluBody(false), reluBody(true)]));
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...type,
    ...imports,
    ...funcs,
    ...exports,
    ...code,
  ]);
}
