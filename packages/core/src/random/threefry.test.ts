import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { threefry2x32 } from './index.js';
import { threefryXorWords } from './threefry.js';
import { setThreefryWasmEnabled } from './threefryWasm.js';

const hex = (ws: number[]) => ws.map((w) => `0x${w.toString(16).padStart(8, '0')}`);

describe('threefry2x32: Random123 known-answer vectors', () => {
  // Random123-Boost libs/random/test/test_threefry.cpp, lines 30-32, as quoted in JAX's
  // tests/random_test.py (testThreefry2x32).
  it('key 0, counter 0 → 0x6b200159 0x99ba4efe', () => {
    expect(hex(threefry2x32([0, 0], [0, 0]))).toEqual(['0x6b200159', '0x99ba4efe']);
  });
  it('key and counter all ones → 0x1cb996fc 0xbb002be7', () => {
    const m = 0xffffffff;
    expect(hex(threefry2x32([m, m], [m, m]))).toEqual(['0x1cb996fc', '0xbb002be7']);
  });
  it('π digits → 0xc4923a9c 0x483df7a0', () => {
    const out = threefry2x32(Uint32Array.of(0x13198a2e, 0x03707344), [0x243f6a88, 0x85a308d3]);
    expect(hex(out)).toEqual(['0xc4923a9c', '0x483df7a0']);
  });
  it('rejects words outside uint32 and wrong lengths', () => {
    expect(() => threefry2x32([0, -1], [0, 0])).toThrow(ValidationError);
    expect(() => threefry2x32([0, 0], [0, 2 ** 32])).toThrow(
      'threefry2x32: counter must be two uint32 words, got Array(2)',
    );
    expect(() => threefry2x32([0] as unknown as [number, number], [0, 0])).toThrow(
      'threefry2x32: key must be two uint32 words',
    );
  });
});

describe('threefryXorWords: the inlined partitionable words', () => {
  it('word i is y0 ^ y1 of threefry2x32(key, (0, i)), for several keys, JS and WebAssembly', () => {
    for (const wasm of [true, false]) {
      setThreefryWasmEnabled(wasm);
      for (const k of [
        [0, 0],
        [0xffffffff, 0xffffffff],
        [0x13198a2e, 0x03707344],
      ] as const) {
        for (const n of [5, 300]) {
          const out = new Uint32Array(n);
          threefryXorWords(k[0], k[1], out);
          const expected = Array.from({ length: n }, (_, i) => {
            const [a, b] = threefry2x32(k, [0, i]);
            return (a ^ b) >>> 0;
          });
          expect(Array.from(out)).toEqual(expected);
        }
      }
    }
    setThreefryWasmEnabled(true);
  });
});
