import { seeded } from '@annlab/test-utils';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import {
  activation,
  gelu,
  geluArray,
  geluDerivative,
  geluDerivativeArray,
  geluDerivativeMul,
} from './index.js';

/** The float64 `steps` ulps away from x (towards +∞ for steps > 0). */
function ulps(x: number, steps: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  // positive doubles order like their bit patterns, negative ones in reverse
  view.setBigInt64(0, x >= 0 ? bits + BigInt(steps) : bits - BigInt(steps));
  return view.getFloat64(0);
}

/**
 * Inputs reaching every branch of erf(x/√2) inside the loop, both sides of every cut-off: |x/√2| at
 * 1e-300, 2⁻²⁸, 0.84375, 1.25, 1/0.35 and 6; |x| at 40; a dense grid; seeded normals at three
 * scales; signed zeros, subnormals, huge values, infinities and NaN.
 */
function inputs(): Float64Array {
  const cuts = [1e-300, 3.725290298461914e-9, 0.84375, 1.25, 2.857142857142857, 6].map(
    (c) => c * Math.SQRT2,
  );
  cuts.push(40);
  const xs: number[] = [
    0,
    -0,
    5e-324,
    -5e-324,
    1e-310,
    -1e-310,
    1e300,
    -1e300,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.NaN,
  ];
  for (const c of cuts) {
    for (let k = -3; k <= 3; k++) xs.push(ulps(c, k), -ulps(c, k));
    xs.push(c * (1 + 1e-9), c * (1 - 1e-9), -c * (1 + 1e-9), -c * (1 - 1e-9));
  }
  for (let x = -45; x <= 45; x += 0.0037) xs.push(x);
  const r = seeded(12);
  for (const scale of [1e-6, 1, 4, 20]) xs.push(...r.normals(2000, scale));
  return Float64Array.from(xs);
}

/** Indices where a and b differ as bit patterns (Object.is: −0 ≠ 0, NaN = NaN). */
function mismatches(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const bad: number[] = [];
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) bad.push(i);
  return bad;
}

describe('exact GELU array forms', () => {
  const z = inputs();
  const g = seeded(5).normals(z.length, 3);
  g.set([0, -0, Number.NaN, Number.POSITIVE_INFINITY, -2.5], 0);

  it('geluArray is bit-identical to gelu on every branch (tolerance 0: Object.is)', () => {
    const out = new Float64Array(z.length);
    geluArray(z, out);
    expect(mismatches(out, Array.from(z, gelu))).toEqual([]);
  });

  it('geluDerivativeArray is bit-identical to geluDerivative (tolerance 0: Object.is)', () => {
    const out = new Float64Array(z.length);
    geluDerivativeArray(z, out);
    expect(mismatches(out, Array.from(z, geluDerivative))).toEqual([]);
  });

  it('geluDerivativeMul is bit-identical to g·geluDerivative (tolerance 0: Object.is)', () => {
    const out = new Float64Array(z.length);
    geluDerivativeMul(z, g, out);
    expect(
      mismatches(
        out,
        Array.from(z, (x, i) => g[i]! * geluDerivative(x)),
      ),
    ).toEqual([]);
  });

  it('works in place and stops at n, leaving the rest untouched', () => {
    const n = 1000;
    const y = z.slice();
    geluArray(y, y, n);
    expect(mismatches(y.subarray(0, n), Array.from(z.subarray(0, n), gelu))).toEqual([]);
    expect(mismatches(y.subarray(n), z.subarray(n))).toEqual([]);
    const gg = g.slice();
    geluDerivativeMul(z, gg, gg);
    expect(
      mismatches(
        gg,
        Array.from(z, (x, i) => g[i]! * geluDerivative(x)),
      ),
    ).toEqual([]);
    const d = z.slice();
    geluDerivativeArray(d, d);
    expect(mismatches(d, Array.from(z, geluDerivative))).toEqual([]);
  });

  it('float32 arrays get the float64 result rounded once (tolerance 0: Object.is)', () => {
    const z32 = Float32Array.from(z);
    const out = new Float32Array(z.length);
    geluArray(z32, out);
    expect(
      mismatches(
        out,
        Array.from(z32, (x) => Math.fround(gelu(x))),
      ),
    ).toEqual([]);
    const g32 = Float32Array.from(g);
    geluDerivativeMul(z32, g32, g32);
    const want = Array.from(z32, (x, i) => Math.fround(Math.fround(g[i]!) * geluDerivative(x)));
    expect(mismatches(g32, want)).toEqual([]);
  });

  it("activation('gelu') uses them: apply and applyDerivative equal f and df", () => {
    const act = activation('gelu');
    expect(act.apply).toBe(geluArray);
    const y = new Float64Array(z.length);
    act.applyDerivative(z, y);
    expect(mismatches(y, Array.from(z, act.df))).toEqual([]);
  });

  it('known values: gelu(±1), gelu′(0) = ½, the limits and NaN', () => {
    const y = new Float64Array(6);
    geluArray(new Float64Array([1, -1, 1000, -1000, Number.NEGATIVE_INFINITY, Number.NaN]), y);
    expect(y).toBeAllclose([0.8413447460685429, -0.15865525393145707, 1000, -0, 0, Number.NaN], {
      rtol: 1e-15,
      atol: 0,
    });
    expect(Object.is(y[3], -0)).toBe(true);
    const d = new Float64Array(3);
    geluDerivativeArray(new Float64Array([0, 41, -41]), d);
    expect(d).toBeAllclose([0.5, 1, 0], { rtol: 0, atol: 0 });
  });

  it('validates its arguments, naming the function, argument and value', () => {
    const a = new Float64Array(4);
    expect(() => geluArray([1, 2] as never, a)).toThrow(ValidationError);
    expect(() => geluArray([1, 2] as never, a)).toThrow(
      'geluArray: z must be a Float64Array or Float32Array, got Array(2)',
    );
    expect(() => geluDerivativeArray(a, null as never)).toThrow(
      'geluDerivativeArray: out must be a Float64Array or Float32Array, got null',
    );
    expect(() => geluDerivativeMul(a, new Float64Array(2), a)).toThrow(
      'geluDerivativeMul: n must be an integer in [0, 2], got 4',
    );
    expect(() => geluArray(a, a, 1.5)).toThrow(
      'geluArray: n must be an integer in [0, 4], got 1.5',
    );
  });
});
