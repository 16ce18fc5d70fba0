import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../nn/dense/wasm.js';
import { smallIdentitySort } from './permutation.js';
import { threefry2x32 } from './threefry.js';
import {
  permutationWasm,
  SORT_WASM_MAX,
  setThreefryWasmEnabled,
  sortWordsWasm,
  THREEFRY_WASM_MAX,
  threefryModuleBytes,
  threefryXorWordsWasm,
} from './threefryWasm.js';

/** Word i of the partitionable random bits, from the public block function. */
const expectedWord = (k0: number, k1: number, i: number): number => {
  const [a, b] = threefry2x32([k0, k1], [0, i]);
  return (a ^ b) >>> 0;
};

describe('threefryXorWordsWasm: the i32x4 module', () => {
  afterEach(() => setThreefryWasmEnabled(true));

  it('is a valid module and runs under Node (WebAssembly SIMD is available there)', () => {
    expect(api()?.validate(threefryModuleBytes())).toBe(true);
    expect(threefryXorWordsWasm(1, 2, new Uint32Array(8))).toBe(true);
  });

  it('word i is y0 ^ y1 of threefry2x32(key, (0, i)), for lengths not multiples of 4', () => {
    for (const [k0, k1] of [
      [0, 0],
      [0xffffffff, 0xffffffff],
      [0x13198a2e, 0x03707344],
      [0x80000000, 0x7fffffff],
    ] as const) {
      for (const n of [1, 3, 8, 9, 201, 1626]) {
        const out = new Uint32Array(n).fill(0xdeadbeef);
        expect(threefryXorWordsWasm(k0, k1, out)).toBe(true);
        for (let i = 0; i < n; i++) expect(out[i]).toBe(expectedWord(k0, k1, i));
      }
    }
  });

  it('fills the largest length, and declines longer ones (the caller falls back to JS)', () => {
    const out = new Uint32Array(THREEFRY_WASM_MAX);
    expect(threefryXorWordsWasm(7, 9, out)).toBe(true);
    for (const i of [0, 1, 12345, THREEFRY_WASM_MAX - 1]) {
      expect(out[i]).toBe(expectedWord(7, 9, i));
    }
    expect(threefryXorWordsWasm(7, 9, new Uint32Array(THREEFRY_WASM_MAX + 1))).toBe(false);
  });

  it('declines when switched off, writing nothing', () => {
    setThreefryWasmEnabled(false);
    const out = new Uint32Array(16);
    expect(threefryXorWordsWasm(1, 2, out)).toBe(false);
    expect(Array.from(out)).toEqual(new Array(16).fill(0));
  });

  it('st: stable argsort by the whole uint32 key, ties and shared top bits included', () => {
    let s = 777;
    const next = () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s;
    };
    for (const n of [2, 3, 17, 200, 1000, SORT_WASM_MAX]) {
      for (const spread of [1, 3, 64, 4096, 2 ** 24]) {
        const keys = Uint32Array.from({ length: n }, () => {
          const r = next();
          return ((((r >>> 8) % spread) * 0x9e3779b1) ^ (r & 3)) >>> 0;
        });
        const expected = Array.from({ length: n }, (_, i) => i).sort(
          (a, b) => keys[a]! - keys[b]! || a - b,
        );
        const out = new Int32Array(n);
        expect(sortWordsWasm(keys, out)).toBe(true);
        expect(Array.from(out)).toEqual(expected);
      }
    }
    expect(
      sortWordsWasm(new Uint32Array(SORT_WASM_MAX + 1), new Int32Array(SORT_WASM_MAX + 1)),
    ).toBe(false);
  });

  it('permutationWasm equals the JS words sorted by the JS sort', () => {
    for (const n of [2, 5, 200, SORT_WASM_MAX]) {
      const out = new Int32Array(n);
      expect(permutationWasm(0x9e3779b9, 0xdeadbeef, out)).toBe(true);
      const words = Uint32Array.from({ length: n }, (_, i) =>
        expectedWord(0x9e3779b9, 0xdeadbeef, i),
      );
      const js = new Int32Array(n);
      smallIdentitySort(words, js, n);
      expect(Array.from(out)).toEqual(Array.from(js));
    }
    expect(permutationWasm(1, 2, new Int32Array(1))).toBe(false);
  });
});
