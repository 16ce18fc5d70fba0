import { describe, expect, it } from 'vitest';
import { foldIn, key, permutation, permutationInto, randomBits, split } from './index.js';
import { smallIdentitySort } from './permutation.js';
import { setThreefryWasmEnabled } from './threefryWasm.js';

const isPermutation = (p: Int32Array) => {
  const seen = new Uint8Array(p.length);
  for (const v of p) {
    if (v < 0 || v >= p.length || seen[v]) return false;
    seen[v] = 1;
  }
  return true;
};

describe('permutation: JAX _shuffle of arange(n)', () => {
  it('returns a permutation, deterministic in the key', () => {
    for (const n of [0, 1, 2, 100, 5000]) {
      const p = permutation(key(n), n);
      expect(p).toBeInstanceOf(Int32Array);
      expect(isPermutation(p)).toBe(true);
      expect(Array.from(permutation(key(n), n))).toEqual(Array.from(p));
    }
    expect(Array.from(permutation(key(1), 100))).not.toEqual(Array.from(permutation(key(2), 100)));
  });
  it('one round for n ≤ 1625: the stable argsort of randomBits(split(key)[1], n)', () => {
    // rounds = ⌈3 ln n / ln(2³² − 1)⌉ = 1 here; JAX sorts arange(n) by the subkey's bits.
    for (const opts of [undefined, { scheme: 'legacy' } as const]) {
      const n = 300;
      const bits = randomBits(split(key(4), 2, opts)[1]!, n, opts);
      const expected = Array.from({ length: n }, (_, i) => i).sort(
        (a, b) => bits[a]! - bits[b]! || a - b,
      );
      expect(Array.from(permutation(key(4), n, opts))).toEqual(expected);
    }
  });
  it('two rounds for n = 10^4: the second round re-sorts the first by fresh bits', () => {
    const n = 10_000;
    const [k1, s1] = split(key(6));
    const [, s2] = split(k1!);
    const b1 = randomBits(s1!, n);
    const b2 = randomBits(s2!, n);
    const first = Array.from({ length: n }, (_, i) => i).sort((a, b) => b1[a]! - b1[b]! || a - b);
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => b2[a]! - b2[b]! || a - b);
    expect(Array.from(permutation(key(6), n))).toEqual(order.map((i) => first[i]!));
  });
  it('is roughly uniform: each value lands in each slot ≈ equally often', () => {
    // 3000 permutations of 3: each (value, slot) cell has p = 1/3, se = √(p(1−p)/3000) ≈ 0.0086
    const counts = new Float64Array(9);
    for (let s = 0; s < 3000; s++) {
      const p = permutation(key(s), 3);
      for (let i = 0; i < 3; i++) counts[p[i]! * 3 + i]! += 1 / 3000;
    }
    expect(counts).toBeAllclose(new Float64Array(9).fill(1 / 3), { rtol: 0, atol: 0.035 });
  });
  it('takes the bucket sort (n ≤ 2¹⁶) and the radix sort (larger n) to the same JAX order', () => {
    // rounds = ⌈3 ln n / ln(2³² − 1)⌉: 1 up to n ≈ 1625, 2 for 65 536 and 70 000 (radix path).
    for (const n of [255, 256, 257, 65_536, 70_000]) {
      const [k1, s1] = split(key(n));
      const [, s2] = split(k1!);
      const rounds = Math.ceil((3 * Math.log(n)) / Math.log(4294967295));
      const b1 = randomBits(s1!, n);
      let order = Array.from({ length: n }, (_, i) => i).sort((a, b) => b1[a]! - b1[b]! || a - b);
      if (rounds === 2) {
        const b2 = randomBits(s2!, n);
        const second = Array.from({ length: n }, (_, i) => i).sort(
          (a, b) => b2[a]! - b2[b]! || a - b,
        );
        order = second.map((i) => order[i]!);
      }
      expect(Array.from(permutation(key(n), n))).toEqual(order);
    }
  });
  it('permutationInto writes the same values into a reused buffer, in both schemes', () => {
    const out = new Int32Array(200);
    for (const opts of [undefined, { scheme: 'legacy' } as const]) {
      for (let e = 0; e < 20; e++) {
        const k = foldIn(key(3), e);
        expect(permutationInto(k, out, opts)).toBe(out);
        expect(Array.from(out)).toEqual(Array.from(permutation(k, 200, opts)));
      }
    }
    // sizes alternating around the scratch buffers' size
    for (const n of [5000, 3, 200, 1, 0]) {
      expect(Array.from(permutationInto(key(n), new Int32Array(n)))).toEqual(
        Array.from(permutation(key(n), n)),
      );
    }
    expect(() => permutationInto(key(0), [1, 2] as unknown as Int32Array)).toThrow(
      'permutationInto: out must be an Int32Array, got',
    );
  });
  it('rejects bad n and keys', () => {
    expect(() => permutation(key(0), -1)).toThrow(
      'permutation: n must be an integer in [0, 2^31 - 1], got -1',
    );
    expect(() => permutation(key(0), 2.5)).toThrow('permutation: n must be an integer');
    expect(() => permutation(null as unknown as Uint32Array, 3)).toThrow(
      'permutation: key must be a key',
    );
  });
  it('small-n sort: stable argsort by the whole uint32 key, ties and shared top bits included', () => {
    // Keys from few values, so that many share their top 16 bits (the insertion pass) or are equal
    // (stability: equal keys keep index order), and keys ≥ 2³¹ (unsigned order).
    let s = 12345;
    const next = () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s;
    };
    for (const n of [2, 3, 17, 200, 1000, 1625]) {
      for (const spread of [1, 3, 64, 4096]) {
        const keys = Uint32Array.from({ length: n }, () => {
          const r = next();
          return ((((r >>> 8) % spread) * 0x9e3779b1) ^ (r & 3)) >>> 0;
        });
        const expected = Array.from({ length: n }, (_, i) => i).sort(
          (a, b) => keys[a]! - keys[b]! || a - b,
        );
        const before = keys.slice();
        const out = new Int32Array(n);
        smallIdentitySort(keys, out, n);
        expect(Array.from(out)).toEqual(expected);
        expect(keys).toEqual(before);
      }
    }
  });
  it('gives the same orders with the WebAssembly words switched off (the JS fallback)', () => {
    const ns = [2, 7, 8, 9, 200, 1625, 1626, 5000];
    const withWasm = ns.map((n) => Array.from(permutation(foldIn(key(3), n), n)));
    setThreefryWasmEnabled(false);
    try {
      const withJs = ns.map((n) => Array.from(permutation(foldIn(key(3), n), n)));
      expect(withJs).toEqual(withWasm);
    } finally {
      setThreefryWasmEnabled(true);
    }
  });
});
