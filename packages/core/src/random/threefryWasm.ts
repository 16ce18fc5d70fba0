/**
 * A WebAssembly module for the hot part of `permutation`: a SIMD (i32x4) `threefryXorWords`, and
 * the one-round stable argsort of its words. Written as bytes by the dense kernel's tiny encoder (no
 * toolchain), compiled once, synchronously (about 2.2 kB), and checked once against the JS rounds
 * and a JS argsort (with ties) before first use. Where WebAssembly or its SIMD proposal is missing,
 * or the check fails, every function here returns false / null and the callers run their JS code.
 *
 * Memory: the module's own 5 pages (320 kB, allocated on first use): the words at byte 0 (up to
 * 65,536), then the sort's counts and buffers.
 *
 * `xw(k0, k1, n, dst)` writes, for i < n rounded up to a multiple of 8, the uint32 `y0 ^ y1` of
 * `threefry((k0, k1), (0, i))` at byte `dst + 4i`. Each loop hashes two vectors of four counters
 * (i … i + 3 and i + 4 … i + 7) with their rounds interleaved, so that the two dependency chains
 * overlap; a round `x0 += x1; x1 = rotl(x1, r) ^ x0` is i32x4.add, two shifts, an or and a xor.
 *
 * `st(n, d)` sorts the indices 0..n−1 (n ≤ 1625) by the words at byte 0, stably, as
 * `smallIdentitySort` in `permutation.ts` does: two counting scatters by the top 2d bits, then an
 * insertion pass by the whole key (ties keep index order).
 */
import {
  api,
  brIf,
  END,
  get,
  I32,
  I32_ADD,
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
  v128Store,
  vec,
} from '../nn/dense/wasm.js';

/** Largest word count one call handles (the module's memory, 4 pages). */
export const THREEFRY_WASM_MAX = 65536;

const I32X4_SPLAT = simd(0x11);
const I32X4_ADD = simd(0xae);
const I32X4_SHL = simd(0xab);
const I32X4_SHR_U = simd(0xad);
const V128_OR = simd(0x50);
const V128_XOR = simd(0x51);
const I32_XOR = 0x73;
const I32_LT_U = 0x49;

// parameters
const K0 = 0;
const K1 = 1;
const N = 2;
const DST = 3;
// i32 locals
const i = 4;
const ks2 = 5;
const p = 6;
// v128 locals
const a = 7;
const b = 8;
const ctr = 9;
const four = 10;
const S = [11, 12, 13] as const; // splat(ks0), splat(ks1), splat(ks2)
const B = (g: number): number => 13 + g; // splat(ks[(g + 1) % 3] + g), g = 1..5
const a2 = 19;
const b2 = 20;
const eight = 21;

const ROT = [
  [13, 15, 26, 6],
  [17, 29, 16, 24],
] as const;

function body(): number[] {
  const c: number[] = [];
  // ks2 = k0 ^ k1 ^ 0x1BD11BDA
  c.push(...get(K0), ...get(K1), I32_XOR, ...i32c(0x1bd11bda), I32_XOR, ...set(ks2));
  c.push(...get(K0), ...I32X4_SPLAT, ...set(S[0]));
  c.push(...get(K1), ...I32X4_SPLAT, ...set(S[1]));
  c.push(...get(ks2), ...I32X4_SPLAT, ...set(S[2]));
  const ksLocal = [K0, K1, ks2];
  for (let g = 1; g <= 5; g++) {
    c.push(...get(ksLocal[(g + 1) % 3]!), ...i32c(g), I32_ADD, ...I32X4_SPLAT, ...set(B(g)));
  }
  // ctr = (0, 1, 2, 3) + ks1; four = splat(4); eight = splat(8); p = dst
  c.push(...simd(0x0c));
  for (const lane of [0, 1, 2, 3]) c.push(lane, 0, 0, 0);
  c.push(...get(S[1]), ...I32X4_ADD, ...set(ctr));
  c.push(...i32c(4), ...I32X4_SPLAT, ...set(four));
  c.push(...i32c(8), ...I32X4_SPLAT, ...set(eight));
  c.push(...get(DST), ...set(p));
  // do { two blocks of four counters, their rounds interleaved } while (i < n)
  const st = [
    [a, b],
    [a2, b2],
  ] as const;
  c.push(...LOOP);
  c.push(...get(S[0]), ...set(a), ...get(ctr), ...set(b));
  c.push(...get(S[0]), ...set(a2), ...get(ctr), ...get(four), ...I32X4_ADD, ...set(b2));
  for (let g = 1; g <= 5; g++) {
    for (const r of ROT[(g - 1) % 2]!) {
      for (const [x, y] of st) {
        c.push(...get(x), ...get(y), ...I32X4_ADD, 0x22, ...uleb(x)); // local.tee x
        c.push(...get(y), ...i32c(r), ...I32X4_SHL, ...get(y), ...i32c(32 - r), ...I32X4_SHR_U);
        c.push(...V128_OR, ...V128_XOR, ...set(y));
      }
    }
    for (const [x, y] of st) {
      c.push(...get(x), ...get(S[g % 3]!), ...I32X4_ADD, ...set(x));
      c.push(...get(y), ...get(B(g)), ...I32X4_ADD, ...set(y));
    }
  }
  c.push(...get(p), ...get(a), ...get(b), ...V128_XOR, ...v128Store(0));
  c.push(...get(p), ...get(a2), ...get(b2), ...V128_XOR, ...v128Store(16));
  c.push(...get(ctr), ...get(eight), ...I32X4_ADD, ...set(ctr));
  c.push(...get(p), ...i32c(32), I32_ADD, ...set(p));
  c.push(...get(i), ...i32c(8), I32_ADD, 0x22, ...uleb(i), ...get(N), I32_LT_U, ...brIf(0));
  c.push(END, END);
  const locals = vec([
    [...uleb(3), I32],
    [...uleb(15), V128],
  ]);
  const fn = [...locals, ...c];
  return [...uleb(fn.length), ...fn];
}

// ---- `st(n, d)`: the one-round stable argsort of the n ≤ 1625 words at byte 0 ------------------

/** Byte offsets of the sort's counts and buffers, after the words (4 pages). */
const C = 4 * THREEFRY_WASM_MAX;
const KB = C + 2048;
const VB = KB + 6656;
const KS = VB + 6656;
const OUT = KS + 6656;
/** Largest n `st` sorts (one round of JAX's shuffle). */
export const SORT_WASM_MAX = 1625;

const I32_AND = 0x71;
const I32_SUB = 0x6b;
const I32_SHR_U = 0x76;
const I32_GE_S = 0x4e;
const I32_GE_U = 0x4f;
const I32_LE_S = 0x4c;
const I32_LT_S = 0x48;
const load32 = (offset: number): number[] => [0x28, 2, ...uleb(offset)];
const store32 = (offset: number): number[] => [0x36, 2, ...uleb(offset)];
const tee = (l: number): number[] => [0x22, ...uleb(l)];
const BLOCK = [0x02, 0x40];
const ELSE = 0x05;
const br = (d: number): number[] => [0x0c, ...uleb(d)];

function sortBody(): number[] {
  // params n = 0, d = 1 (digit bits, 4..8); locals
  const n = 0;
  const d = 1;
  const i = 2;
  const k = 3;
  const a = 4;
  const pos = 5;
  const s0 = 6;
  const s1 = 7;
  const last = 8;
  const v = 9;
  const j = 10;
  const sh1 = 11;
  const sh2 = 12;
  const mask = 13;
  const c: number[] = [];
  const inc = (l: number, bound: number[]): void => {
    c.push(...get(l), ...i32c(1), I32_ADD, ...tee(l), ...bound, I32_LT_U, ...brIf(0));
  };
  // sh2 = 32 − d (top digit), sh1 = 32 − 2d (next digit), mask = 2^d − 1
  c.push(...i32c(32), ...get(d), I32_SUB, ...tee(sh2), ...get(d), I32_SUB, ...set(sh1));
  c.push(...i32c(1), ...get(d), I32_SHL, ...i32c(1), I32_SUB, ...set(mask));
  // counts[0..511] = 0
  c.push(...i32c(C), ...i32c(0), ...i32c(2048), 0xfc, 0x0b, 0x00);
  // histograms of the next digit (counts[0..]) and the top digit (counts[256..])
  c.push(...LOOP);
  c.push(...get(i), ...i32c(2), I32_SHL, ...load32(0), ...set(k));
  c.push(...get(k), ...get(sh1), I32_SHR_U, ...get(mask), I32_AND, ...i32c(2), I32_SHL, ...tee(a));
  c.push(...get(a), ...load32(C), ...i32c(1), I32_ADD, ...store32(C));
  c.push(...get(k), ...get(sh2), I32_SHR_U, ...i32c(2), I32_SHL, ...tee(a));
  c.push(...get(a), ...load32(C + 1024), ...i32c(1), I32_ADD, ...store32(C + 1024));
  inc(i, get(n));
  c.push(END);
  // exclusive prefix sums of both, over 2^d buckets
  c.push(...i32c(0), ...set(i), ...LOOP);
  c.push(...get(i), ...i32c(2), I32_SHL, ...set(a));
  c.push(...get(a), ...load32(C), ...set(v), ...get(a), ...get(s0), ...store32(C));
  c.push(...get(s0), ...get(v), I32_ADD, ...set(s0));
  c.push(...get(a), ...load32(C + 1024), ...set(v), ...get(a), ...get(s1), ...store32(C + 1024));
  c.push(...get(s1), ...get(v), I32_ADD, ...set(s1));
  inc(i, [...get(mask), ...i32c(1), I32_ADD]);
  c.push(END);
  // pass 1 by the next digit: KB = key, VB = index
  c.push(...i32c(0), ...set(i), ...LOOP);
  c.push(...get(i), ...i32c(2), I32_SHL, ...load32(0), ...set(k));
  c.push(...get(k), ...get(sh1), I32_SHR_U, ...get(mask), I32_AND, ...i32c(2), I32_SHL, ...tee(a));
  c.push(...load32(C), ...set(pos));
  c.push(...get(a), ...get(pos), ...i32c(1), I32_ADD, ...store32(C));
  c.push(...get(pos), ...i32c(2), I32_SHL, ...set(a));
  c.push(...get(a), ...get(k), ...store32(KB));
  c.push(...get(a), ...get(i), ...store32(VB));
  inc(i, get(n));
  c.push(END);
  // pass 2 by the top digit into KS (key ^ 2³¹: int32 order = uint32 order), OUT
  c.push(...i32c(0), ...set(i), ...LOOP);
  c.push(...get(i), ...i32c(2), I32_SHL, ...set(v));
  c.push(...get(v), ...load32(KB), ...set(k));
  c.push(...get(k), ...get(sh2), I32_SHR_U, ...i32c(2), I32_SHL, ...tee(a));
  c.push(...load32(C + 1024), ...set(pos));
  c.push(...get(a), ...get(pos), ...i32c(1), I32_ADD, ...store32(C + 1024));
  c.push(...get(pos), ...i32c(2), I32_SHL, ...set(a));
  c.push(...get(a), ...get(k), ...i32c(-2147483648), I32_XOR, ...store32(KS));
  c.push(...get(a), ...get(v), ...load32(VB), ...store32(OUT));
  inc(i, get(n));
  c.push(END);
  // insertion by the whole key where keys share their top 2d bits (strictly greater moves: stable)
  c.push(...i32c(0), ...load32(KS), ...set(last), ...i32c(1), ...set(i));
  c.push(...BLOCK, ...LOOP);
  c.push(...get(i), ...get(n), I32_GE_U, ...brIf(1));
  c.push(...get(i), ...i32c(2), I32_SHL, ...load32(KS), ...set(k));
  c.push(...get(k), ...get(last), I32_GE_S, ...IF);
  c.push(...get(k), ...set(last));
  c.push(ELSE);
  c.push(...get(i), ...i32c(2), I32_SHL, ...load32(OUT), ...set(v));
  c.push(...get(i), ...i32c(1), I32_SUB, ...set(j));
  c.push(...BLOCK, ...LOOP);
  c.push(...get(j), ...i32c(0), I32_LT_S, ...brIf(1));
  c.push(...get(j), ...i32c(2), I32_SHL, ...tee(a), ...load32(KS), ...get(k), I32_LE_S, ...brIf(1));
  c.push(...get(a), ...get(a), ...load32(KS), ...store32(KS + 4));
  c.push(...get(a), ...get(a), ...load32(OUT), ...store32(OUT + 4));
  c.push(...get(j), ...i32c(1), I32_SUB, ...set(j), ...br(0));
  c.push(END, END);
  c.push(...get(j), ...i32c(1), I32_ADD, ...i32c(2), I32_SHL, ...set(a));
  c.push(...get(a), ...get(k), ...store32(KS), ...get(a), ...get(v), ...store32(OUT));
  c.push(END); // if
  c.push(...get(i), ...i32c(1), I32_ADD, ...set(i), ...br(0));
  c.push(END, END);
  c.push(END);
  const fn = [...vec([[...uleb(12), I32]]), ...c];
  return [...uleb(fn.length), ...fn];
}

/**
 * Digit bits of `st` for n keys: two counting passes sort by the top 2d bits, so that few keys
 * share them (about n² / 2^(2d+1) pairs, which the insertion pass fixes), with 2^d buckets to clear
 * and sum: 6 for n = 200 (12 bits), 8 from n = 513 on.
 */
function digitBits(n: number): number {
  return Math.min(8, Math.max(4, Math.ceil(Math.log2(n)) - 2));
}

/** The module's bytes. */
export function threefryModuleBytes(): Uint8Array<ArrayBuffer> {
  const magic = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const type = section(
    1,
    vec([
      [0x60, ...vec([[I32], [I32], [I32], [I32]]), ...vec([])],
      [0x60, ...vec([[I32], [I32]]), ...vec([])],
    ]),
  );
  const funcs = section(3, vec([[0x00], [0x01]]));
  const memory = section(5, vec([[0x00, ...uleb((4 * THREEFRY_WASM_MAX) / 65536 + 1)]]));
  const exports = section(
    7,
    vec([
      [...name('m'), 0x02, 0x00],
      [...name('xw'), 0x00, 0x00],
      [...name('st'), 0x00, 0x01],
    ]),
  );
  const code = section(10, vec([body(), sortBody()]));
  return new Uint8Array([...magic, ...type, ...funcs, ...memory, ...exports, ...code]);
}

type Xw = (k0: number, k1: number, n: number, dst: number) => void;
type St = (n: number, d: number) => void;
interface Loaded {
  xw: Xw;
  st: St;
  words: Uint32Array;
  ints: Int32Array;
}

/** The instance: undefined until first asked for, null where unavailable or switched off. */
let instance: Loaded | null | undefined;
let enabled = true;

/** Internal (tests, bench): switch the WebAssembly path off (`false`) or back on. */
export function setThreefryWasmEnabled(on: boolean): void {
  enabled = on;
  if (on && instance === null) instance = undefined;
}

/** The JS rounds for one word (the once-only check of the compiled module). */
function wordJs(k0: number, k1: number, ctrLo: number): number {
  const ks = [k0 | 0, k1 | 0, (k0 ^ k1 ^ 0x1bd11bda) | 0];
  let x = ks[0]!;
  let y = (ctrLo + ks[1]!) | 0;
  for (let g = 1; g <= 5; g++) {
    for (const r of ROT[(g - 1) % 2]!) {
      x = (x + y) | 0;
      y = ((y << r) | (y >>> (32 - r))) ^ x;
    }
    x = (x + ks[g % 3]!) | 0;
    y = (y + ks[(g + 1) % 3]! + g) | 0;
  }
  return (x ^ y) >>> 0;
}

function load(): Loaded | null {
  try {
    const wasm = api();
    const bytes = threefryModuleBytes();
    if (!wasm?.validate(bytes)) return null;
    const { exports } = new wasm.Instance(new wasm.Module(bytes), {});
    const xw = exports.xw as Xw;
    const words = new Uint32Array((exports.m as { buffer: ArrayBuffer }).buffer);
    // Check once against the JS rounds, on a key with high bits set and 13 words (two loops).
    const k0 = 0x13198a2e;
    const k1 = 0xf3707344;
    xw(k0, k1, 13, 0);
    for (let j = 0; j < 16; j++) if (words[j] !== wordJs(k0, k1, j)) return null;
    const st = exports.st as St;
    const ints = new Int32Array(words.buffer);
    // …and the sort, on those 13 words with two ties (words 3 = 9, and 5 = 6 = 11 in their top 16 bits).
    words[9] = words[3]!;
    words[6] = (words[5]! & 0xffff0000) | 7;
    words[11] = (words[5]! & 0xffff0000) | 3;
    const keys = Array.from(words.subarray(0, 13));
    const expected = keys.map((_, q) => q).sort((p, q) => keys[p]! - keys[q]! || p - q);
    st(13, digitBits(13));
    for (let j = 0; j < 13; j++) if (ints[OUT / 4 + j] !== expected[j]) return null;
    return { xw, st, words, ints };
  } catch {
    return null;
  }
}

/**
 * Hashes the words `threefryXorWords(k0, k1, ·)` of length n into the module's memory and returns
 * its view (word i at index i, for i < n; the view is longer and is overwritten by the next call),
 * or null where the module is unavailable, switched off, or n is outside [1, {@link THREEFRY_WASM_MAX}].
 */
export function threefryWordsWasm(k0: number, k1: number, n: number): Uint32Array | null {
  if (!enabled) return null;
  if (instance === undefined) instance = load();
  if (instance === null || n > THREEFRY_WASM_MAX || n < 1) return null;
  instance.xw(k0 | 0, k1 | 0, n, 0);
  return instance.words;
}

/**
 * Writes `threefryXorWords(k0, k1, out)`'s words with the SIMD module and returns true, or returns
 * false (writing nothing) where the module is unavailable, switched off, or `out` is longer than
 * {@link THREEFRY_WASM_MAX}.
 */
export function threefryXorWordsWasm(k0: number, k1: number, out: Uint32Array): boolean {
  const n = out.length;
  const words = threefryWordsWasm(k0, k1, n);
  if (words === null) return false;
  out.set(n === words.length ? words : words.subarray(0, n));
  return true;
}

/**
 * The one-round permutation (n ≤ {@link SORT_WASM_MAX}) in the module: `threefryXorWords(k0, k1, ·)`
 * of length n, then their stable argsort written into `out` (length n). Returns false, writing
 * nothing, where the module is unavailable or switched off, or n is outside [2, SORT_WASM_MAX].
 */
export function permutationWasm(k0: number, k1: number, out: Int32Array): boolean {
  if (!enabled) return false;
  if (instance === undefined) instance = load();
  const n = out.length;
  if (instance === null || n > SORT_WASM_MAX || n < 2) return false;
  instance.xw(k0 | 0, k1 | 0, n, 0);
  instance.st(n, digitBits(n));
  out.set(instance.ints.subarray(OUT / 4, OUT / 4 + n));
  return true;
}

/** Internal (tests): the module's stable argsort of `keys` (2 ≤ length ≤ SORT_WASM_MAX) into `out`. */
export function sortWordsWasm(keys: Uint32Array, out: Int32Array): boolean {
  if (!enabled) return false;
  if (instance === undefined) instance = load();
  const n = keys.length;
  if (instance === null || n > SORT_WASM_MAX || n < 2 || out.length !== n) return false;
  instance.words.set(keys);
  instance.st(n, digitBits(n));
  out.set(instance.ints.subarray(OUT / 4, OUT / 4 + n));
  return true;
}
