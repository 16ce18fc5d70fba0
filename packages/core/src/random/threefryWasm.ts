/**
 * A WebAssembly SIMD (i32x4) version of `threefryXorWords`: four Threefry-2x32 hashes per
 * instruction stream, one per lane. Written as bytes by the dense kernel's tiny encoder (no
 * toolchain), compiled once, synchronously (the module is about 0.5 kB), and checked once against
 * the JS rounds before first use. Where WebAssembly or its SIMD proposal is missing, or the check
 * fails, {@link threefryXorWordsWasm} returns false and the caller runs the JS loop.
 *
 * The exported function `xw(k0, k1, n, dst)` writes, for i < n rounded up to a multiple of 8,
 * the uint32 `y0 ^ y1` of `threefry((k0, k1), (0, i))` at byte `dst + 4i` of the module's own
 * memory `m` (4 pages: up to 65,536 words). Each loop hashes two vectors of four counters
 * (i … i + 3 and i + 4 … i + 7) with their rounds interleaved, so that the two dependency chains
 * overlap; a round `x0 += x1; x1 = rotl(x1, r) ^ x0` is i32x4.add, two shifts, an or and a xor.
 */
import {
  api,
  brIf,
  END,
  get,
  I32,
  I32_ADD,
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

/** The module's bytes. */
export function threefryModuleBytes(): Uint8Array<ArrayBuffer> {
  const magic = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const type = section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32]]), ...vec([])]]));
  const funcs = section(3, vec([[0x00]]));
  const memory = section(5, vec([[0x00, ...uleb((4 * THREEFRY_WASM_MAX) / 65536)]]));
  const exports = section(
    7,
    vec([
      [...name('m'), 0x02, 0x00],
      [...name('xw'), 0x00, 0x00],
    ]),
  );
  const code = section(10, vec([body()]));
  return new Uint8Array([...magic, ...type, ...funcs, ...memory, ...exports, ...code]);
}

type Xw = (k0: number, k1: number, n: number, dst: number) => void;

/** The instance: undefined until first asked for, null where unavailable or switched off. */
let instance: { xw: Xw; words: Uint32Array } | null | undefined;
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

function load(): { xw: Xw; words: Uint32Array } | null {
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
    return { xw, words };
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
