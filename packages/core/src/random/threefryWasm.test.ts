import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../nn/dense/wasm.js';
import { threefry2x32 } from './threefry.js';
import {
  setThreefryWasmEnabled,
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
});
