/**
 * A WebAssembly SIMD (f64x2) kernel for the float64 dense layers, written as bytes by a tiny encoder
 * (no toolchain) and compiled once, synchronously (the module is about 1.1 kB). Where
 * WebAssembly or its SIMD proposal is missing, {@link createDenseWasm} returns null and the JS kernels
 * run instead.
 *
 * Two exported functions over the imported memory `e.m` (all arguments i32, pointers in bytes):
 *
 * `mm(x, xsm, xsk, y, ysk, c, init, initStride, M, N, K)` computes
 *
 *   C[m][j] = I(m, j) + Σ_{k<K} X(m, k)·Y[k][j]   for m < M, j < N,
 *
 * with C row-major (M × N), Y contiguous in j with a row stride of `ysk` bytes, X(m, k) at byte
 * `x + m·xsm + k·xsk` (any strides, so X may be read transposed) and the start value I(m, j) at
 * byte `init + m·initStride + 8j`: a bias vector (or zeros) with `initStride = 0`, or C itself with
 * `initStride = 8N`, which adds the product to C (the weight gradient sums a long batch in slices
 * that stay in cache). Requires M % 4 = 0, N % 4 = 0, K ≥ 1.
 * Steps: for each 4-row × 4-column block of C (eight f64x2 accumulators, started at I),
 * one pass over k loads two f64x2 of Y's row k and four X(m + s, k), splatted, and adds the eight
 * products; the block is stored once. The three dense-layer products map onto it:
 * forward Z = A·Wᵀ + b (Y = Wᵀ), input adjoint D = G·W (Y = W), weight gradient gW = Gᵀ·A
 * (X = G read transposed).
 *
 * `th(src, dst, pairs)` writes tanh of 2·pairs float64, two lanes at a time, by the steps of
 * `tanhInto` (activations/tanhArray.ts) with its branches turned into selects.
 *
 * The module imports its memory so that each workspace owns one (see {@link createDenseWasm}).
 */

/** The parts of the WebAssembly JS API used here (core's type libraries do not declare them). */
export interface WasmApi {
  validate(bytes: Uint8Array<ArrayBuffer>): boolean;
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  Instance: new (
    module: object,
    imports: Record<string, Record<string, unknown>>,
  ) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}

/** The compiled module: undefined until first asked for, null where SIMD is unavailable. */
let compiled: object | null | undefined;
let enabled = true;

/** The signature of the exported kernel `mm` (all arguments are i32; pointers in bytes). */
export type DenseMatmul = (
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

/** The signature of the exported `th`: dst[q] = tanh(src[q]) for q < 2·pairs (byte pointers). */
export type DenseTanh = (src: number, dst: number, pairs: number) => void;

/** One instance of the module over its own linear memory. */
export interface DenseWasm {
  /** The linear memory (never grown, so views of it stay valid). */
  readonly buffer: ArrayBuffer;
  readonly mm: DenseMatmul;
  readonly th: DenseTanh;
}

/**
 * Internal (tests): turn the WebAssembly path off (`false`) or back on for workspaces created
 * afterwards, so both paths can be compared.
 */
export function setDenseWasmEnabled(on: boolean): void {
  enabled = on;
}

/** Whether the kernels can run here (WebAssembly with SIMD, not switched off). */
export function denseWasmAvailable(): boolean {
  return compiledModule() !== null;
}

export function api(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

function compiledModule(): object | null {
  if (!enabled) return null;
  if (compiled === undefined) {
    compiled = null;
    try {
      const wasm = api();
      const bytes = moduleBytes();
      if (wasm?.validate(bytes)) compiled = new wasm.Module(bytes);
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/**
 * A fresh instance with a linear memory of at least `bytes` bytes, or null where WebAssembly SIMD
 * is unavailable or switched off. Compiles the module on the first call (synchronously).
 */
export function createDenseWasm(bytes: number): DenseWasm | null {
  const module = compiledModule();
  const wasm = api();
  if (module === null || wasm === undefined) return null;
  const memory = new wasm.Memory({ initial: Math.ceil(bytes / 65536) + 1 });
  const { exports } = new wasm.Instance(module, { e: { m: memory } });
  return {
    buffer: memory.buffer,
    mm: exports.mm as DenseMatmul,
    th: exports.th as DenseTanh,
  };
}

// ---- encoder (also used by wasmF32.ts) ---------------------------------------------------------

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

export function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

export function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

export function name(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];
}

export const I32 = 0x7f;
export const V128 = 0x7b;
export const get = (l: number): number[] => [0x20, ...uleb(l)];
export const set = (l: number): number[] => [0x21, ...uleb(l)];
export const i32c = (v: number): number[] => [0x41, ...sleb(v)];
export const I32_ADD = 0x6a;
export const I32_MUL = 0x6c;
export const I32_LT_U = 0x49;
export const I32_SHL = 0x74;
export const LOOP = [0x03, 0x40];
export const IF = [0x04, 0x40];
export const RETURN = 0x0f;
export const I32_EQZ = 0x45;
export const END = 0x0b;
export const brIf = (depth: number): number[] => [0x0d, ...uleb(depth)];
export const simd = (op: number): number[] => [0xfd, ...uleb(op)];
const f64Load = (offset: number): number[] => [0x2b, 3, ...uleb(offset)];
export const v128Load = (offset: number): number[] => [...simd(0x00), 3, ...uleb(offset)];
export const v128Store = (offset: number): number[] => [...simd(0x0b), 3, ...uleb(offset)];
const F64X2_SPLAT = simd(0x14);
const F64X2_ADD = simd(0xf0);
const F64X2_MUL = simd(0xf2);

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
// v128 locals: accumulators acc(s, v) = 20 + 2s + v, then y0, y1, a
const acc = (s: number, v: number): number => 20 + 2 * s + v;
const y0 = 28;
const y1 = 29;
const a = 30;

function body(): number[] {
  const code: number[] = [];
  const emit = (...parts: (number | number[])[]): void => {
    for (const p of parts) {
      if (typeof p === 'number') code.push(p);
      else code.push(...p);
    }
  };
  // xsm2 = 2·xsm, xsm3 = 3·xsm, nBytes = N·8
  emit(get(XSM), i32c(1), I32_SHL, set(xsm2));
  emit(get(xsm2), get(XSM), I32_ADD, set(xsm3));
  emit(get(N), i32c(3), I32_SHL, set(nBytes));
  // for (m = 0; m < M; m += 4)   (M ≥ 4: do-while)
  emit(i32c(0), set(m));
  emit(LOOP);
  // for (j = 0; j < N; j += 4)
  emit(i32c(0), set(j));
  emit(LOOP);
  // start values: cp = init + m·initStride + j·8; acc(s, ·) = I rows m + s, columns j..j+3
  emit(get(INIT), get(m), get(INITS), I32_MUL, I32_ADD, get(j), i32c(3), I32_SHL, I32_ADD);
  emit(set(cp));
  for (let s = 0; s < 4; s++) {
    if (s > 0) emit(get(cp), get(INITS), I32_ADD, set(cp));
    emit(get(cp), v128Load(0), set(acc(s, 0)));
    emit(get(cp), v128Load(16), set(acc(s, 1)));
  }
  // xp = x + m·xsm; yp = y + j·8; k = 0
  emit(get(X), get(m), get(XSM), I32_MUL, I32_ADD, set(xp));
  emit(get(Y), get(j), i32c(3), I32_SHL, I32_ADD, set(yp));
  emit(i32c(0), set(k));
  emit(LOOP);
  emit(get(yp), v128Load(0), set(y0));
  emit(get(yp), v128Load(16), set(y1));
  for (let s = 0; s < 4; s++) {
    emit(get(xp));
    if (s === 1) emit(get(XSM), I32_ADD);
    if (s === 2) emit(get(xsm2), I32_ADD);
    if (s === 3) emit(get(xsm3), I32_ADD);
    emit(f64Load(0), F64X2_SPLAT, set(a));
    emit(get(acc(s, 0)), get(a), get(y0), F64X2_MUL, F64X2_ADD, set(acc(s, 0)));
    emit(get(acc(s, 1)), get(a), get(y1), F64X2_MUL, F64X2_ADD, set(acc(s, 1)));
  }
  emit(get(xp), get(XSK), I32_ADD, set(xp));
  emit(get(yp), get(YSK), I32_ADD, set(yp));
  emit(get(k), i32c(1), I32_ADD, set(k), get(k), get(K), I32_LT_U, brIf(0));
  emit(END);
  // cp = c + (m·N + j)·8; store four rows
  emit(get(C), get(m), get(nBytes), I32_MUL, I32_ADD, get(j), i32c(3), I32_SHL, I32_ADD);
  emit(set(cp));
  for (let s = 0; s < 4; s++) {
    if (s > 0) emit(get(cp), get(nBytes), I32_ADD, set(cp));
    emit(get(cp), get(acc(s, 0)), v128Store(0));
    emit(get(cp), get(acc(s, 1)), v128Store(16));
  }
  emit(get(j), i32c(4), I32_ADD, set(j), get(j), get(N), I32_LT_U, brIf(0));
  emit(END);
  emit(get(m), i32c(4), I32_ADD, set(m), get(m), get(M), I32_LT_U, brIf(0));
  emit(END);
  emit(END); // function end
  const locals = vec([
    [...uleb(9), I32],
    [...uleb(11), V128],
  ]);
  const fn = [...locals, ...code];
  return [...uleb(fn.length), ...fn];
}

// tanh: parameters src, dst, pairs; then i32 local off, v128 locals
const SRC = 0;
const DST = 1;
const PAIRS = 2;
const OFF = 3;
const END_OFF = 4;
const [vx, va, vy, vk, vr, vr2, vr4, vr8, vq, vs, vt] = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

/** f64x2 constant (f64.const then splat). */
function splat(v: number): number[] {
  return [0x44, ...new Uint8Array(new Float64Array([v]).buffer), ...F64X2_SPLAT];
}

const F64X2_ABS = simd(0xec);
const F64X2_SUB = simd(0xf1);
const F64X2_DIV = simd(0xf3);
const F64X2_NEAREST = simd(0x94);
const F64X2_GE = simd(0x4c);
const V128_BITSELECT = simd(0x52);
const I32X4_TRUNC_SAT_F64X2_S_ZERO = simd(0xfc);
const I64X2_EXTEND_LOW_I32X4_S = simd(0xc7);
const I64X2_SHL = simd(0xcb);
const I64X2_ADD = simd(0xce);
const I64X2_SPLAT = simd(0x12);
const i64c = (v: number): number[] => [0x42, ...sleb(v)];

/**
 * `th(src, dst, pairs)`: dst[q] = tanh(src[q]) for q < 2·pairs (float64, byte pointers), the same
 * steps as `tanhInto` (activations/tanhArray.ts) two lanes at a time; the branches become selects.
 */
function tanhBody(): number[] {
  const code: number[] = [];
  const emit = (...parts: (number | number[])[]): void => {
    for (const p of parts) {
      if (typeof p === 'number') code.push(p);
      else code.push(...p);
    }
  };
  const mul = (x: number, y: number[]): number[] => [...get(x), ...y, ...F64X2_MUL];
  // off = 0; end = pairs·16; if (pairs == 0) return
  emit(i32c(0), set(OFF), get(PAIRS), i32c(4), I32_SHL, set(END_OFF));
  emit(get(PAIRS), I32_EQZ, IF, RETURN, END);
  emit(LOOP);
  {
    emit(get(SRC), get(OFF), I32_ADD, v128Load(0), set(vx));
    emit(get(vx), F64X2_ABS, set(va));
    emit(mul(va, splat(-2)), set(vy));
    emit(mul(vy, splat(1 / Math.LN2)), F64X2_NEAREST, set(vk));
    // r = y − k·LN2_HI − k·LN2_LO
    emit(get(vy), mul(vk, splat(0.6931471805601177)), F64X2_SUB);
    emit(mul(vk, splat(-1.7239444525614835e-13)), F64X2_SUB, set(vr));
    emit(mul(vr, get(vr)), set(vr2), mul(vr2, get(vr2)), set(vr4), mul(vr4, get(vr4)), set(vr8));
    const pair = (c0: number, c1: number): number[] => [
      ...splat(c0),
      ...mul(vr, splat(c1)),
      ...F64X2_ADD,
    ];
    // q03 = q01 + r2·q23; q47 = q45 + r2·q67; q811 = q89 + r2·q1011
    emit(pair(0.5, 0.16666666666666666));
    emit(mul(vr2, pair(0.041666666666666664, 0.008333333333333333)), F64X2_ADD); // q03 on stack
    emit(pair(0.001388888888888889, 0.0001984126984126984));
    emit(mul(vr2, pair(2.48015873015873e-5, 2.7557319223985893e-6)), F64X2_ADD); // q47
    emit(get(vr4), F64X2_MUL, F64X2_ADD); // q03 + r4·q47
    emit(pair(2.755731922398589e-7, 2.505210838544172e-8));
    emit(mul(vr2, pair(2.08767569878681e-9, 1.6059043836821613e-10)), F64X2_ADD); // q811
    emit(mul(vr4, splat(1.1470745597729725e-11)), F64X2_ADD, get(vr8), F64X2_MUL, F64X2_ADD);
    emit(set(vq));
    // p = r + r2·q (kept in vq)
    emit(get(vr), mul(vr2, get(vq)), F64X2_ADD, set(vq));
    // s = 2ᵏ from the bits (k + 1023) << 52
    emit(get(vk), I32X4_TRUNC_SAT_F64X2_S_ZERO, I64X2_EXTEND_LOW_I32X4_S);
    emit(i64c(1023), I64X2_SPLAT, I64X2_ADD, i32c(52), I64X2_SHL, set(vs));
    // t = s·p + (s − 1); th = −t / (t + 2)
    emit(mul(vs, get(vq)), get(vs), splat(1), F64X2_SUB, F64X2_ADD, set(vt));
    emit(splat(0), get(vt), F64X2_SUB, get(vt), splat(2), F64X2_ADD, F64X2_DIV, set(vt));
    // a ≥ 19.1: 1; then the sign of x; a < 2⁻²⁸ (also ±0, NaN through the compare): x
    emit(splat(1), get(vt), get(va), splat(19.1), F64X2_GE, V128_BITSELECT, set(vt));
    emit(get(vx), get(vt), splat(-0), V128_BITSELECT, set(vt));
    emit(get(DST), get(OFF), I32_ADD);
    emit(get(vt), get(vx), get(va), splat(3.725290298461914e-9), F64X2_GE, V128_BITSELECT);
    emit(v128Store(0));
    emit(get(OFF), i32c(16), I32_ADD, set(OFF), get(OFF), get(END_OFF), I32_LT_U, brIf(0));
  }
  emit(END);
  emit(END);
  const locals = vec([
    [...uleb(2), I32],
    [...uleb(11), V128],
  ]);
  const fn = [...locals, ...code];
  return [...uleb(fn.length), ...fn];
}

/** The module: imports memory `e.m`, exports `mm` and `th` (see the file comment). */
function moduleBytes(): Uint8Array<ArrayBuffer> {
  const type = section(
    1,
    vec([
      [0x60, ...vec(Array.from({ length: 11 }, () => [I32])), 0x00],
      [0x60, ...vec([[I32], [I32], [I32]]), 0x00],
    ]),
  );
  const imports = section(2, vec([[...name('e'), ...name('m'), 0x02, 0x00, 0x00]]));
  const funcs = section(3, vec([[0x00], [0x01]]));
  const exports = section(
    7,
    vec([
      [...name('mm'), 0x00, 0x00],
      [...name('th'), 0x00, 0x01],
    ]),
  );
  const code = section(10, vec([body(), tanhBody()]));
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
