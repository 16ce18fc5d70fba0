import { seeded } from '@annlab/test-utils';
import { all, type BigNumber, create } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { tanhInto } from './tanhArray.js';

/** Reference: tanh in 40-digit decimal arithmetic (mathjs BigNumber) of the double x itself. */
const M = create(all, { number: 'BigNumber', precision: 40 });
function tanhBig(x: number): number {
  let m = x;
  let e = 0;
  while (!Number.isInteger(m)) {
    m *= 2; // exact
    e++;
  }
  const b = (M.bignumber(BigInt(m).toString()) as BigNumber).div(
    (M.bignumber(2) as BigNumber).pow(e),
  );
  return Number((M.tanh(b) as BigNumber).toString());
}

/** Points spread over every branch: tiny, the k = 0 range, the reduced range, near saturation. */
function points(count: number, seed: number): Float64Array {
  const r = seeded(seed);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const sign = r.uniform() < 0.5 ? -1 : 1;
    const band = i % 5;
    const u = r.uniform();
    out[i] =
      sign *
      (band === 0
        ? 10 ** r.range(-12, -6)
        : band === 1
          ? 0.2 * u
          : band === 2
            ? 2 * u
            : band === 3
              ? 21 * u
              : r.range(0.17, 0.18)); // around k = 0 → −1
  }
  return out;
}

describe('tanhInto', () => {
  it('agrees with a 40-digit reference within 2.5 ulp (rtol 6e-16)', () => {
    const Z = points(600, 3);
    const out = new Float64Array(Z.length);
    tanhInto(Z, out, Z.length);
    const ref = Array.from(Z, tanhBig);
    expect(out).toBeAllclose(ref, { rtol: 6e-16, atol: 0 });
  });
  it('agrees with Math.tanh on 20,000 seeded points (rtol 6e-16), also in place', () => {
    const Z = points(20_000, 11);
    const out = new Float64Array(Z.length);
    tanhInto(Z, out, Z.length);
    expect(out).toBeAllclose(Array.from(Z, Math.tanh), { rtol: 6e-16, atol: 0 });
    const inPlace = Z.slice();
    tanhInto(inPlace, inPlace, inPlace.length);
    expect(inPlace).toBeAllclose(out, { rtol: 0, atol: 0 });
  });
  it('keeps the edge contracts: ±0, tiny values, NaN, ±∞, saturation at ±1 (Object.is)', () => {
    const Z = new Float64Array([0, -0, 1e-300, -5e-324, 3e-9, Number.NaN, Infinity, -Infinity]);
    const more = new Float64Array([19.05, 19.1, -19.2, 300, -400, 1e308]);
    const out = new Float64Array(Z.length + more.length);
    const all64 = new Float64Array([...Z, ...more]);
    tanhInto(all64, out, all64.length);
    const want = [0, -0, 1e-300, -5e-324, Math.tanh(3e-9), Number.NaN, 1, -1];
    for (let k = 0; k < want.length; k++) expect(Object.is(out[k], want[k])).toBe(true);
    expect(Array.from(out.subarray(Z.length))).toEqual([1, 1, -1, 1, -1, 1]);
  });
  it('writes only the first len entries and accepts float32 arrays (rtol 6e-8)', () => {
    const Z = new Float32Array([0.5, -1.5, 2, 7]);
    const out = new Float32Array([9, 9, 9, 9]);
    tanhInto(Z, out, 3);
    expect(out[3]).toBe(9);
    expect(out.subarray(0, 3)).toBeAllclose([Math.tanh(0.5), Math.tanh(-1.5), Math.tanh(2)], {
      rtol: 6e-8,
      atol: 0,
    });
  });
});
