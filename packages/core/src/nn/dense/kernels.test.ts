import { seeded } from '@annlab/test-utils';
import { describe, expect, it } from 'vitest';
import {
  gelu,
  geluDerivative,
  sigmoid,
  sigmoidDerivative,
  tanhDerivative,
} from '../../activations/index.js';
import { applyActivation, multiplyDerivative } from './kernels.js';
import { Act } from './spec.js';

/** Indices where a and b differ as bit patterns (Object.is). */
function mismatches(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const bad: number[] = [];
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) bad.push(i);
  return bad;
}

describe('dense kernels: exact GELU without per-element calls', () => {
  const r = seeded(3);
  const Z = Float64Array.from([...r.normals(3000, 4), 0, -0, -41, 41, Number.NaN]);
  const G = r.normals(Z.length, 2);

  it('applyActivation(Gelu) equals gelu element by element (tolerance 0: Object.is)', () => {
    const out = new Float64Array(Z.length);
    applyActivation(Act.Gelu, 0, Z, out, Z.length);
    expect(mismatches(out, Array.from(Z, gelu))).toEqual([]);
  });

  it('multiplyDerivative(Gelu) equals G·geluDerivative, also in place (tolerance 0)', () => {
    const want = Array.from(Z, (z, k) => G[k]! * geluDerivative(z));
    const out = new Float64Array(Z.length);
    multiplyDerivative(Act.Gelu, 0, Z, Z, G, out, Z.length);
    expect(mismatches(out, want)).toEqual([]);
    const inPlace = G.slice();
    multiplyDerivative(Act.Gelu, 0, Z, Z, inPlace, inPlace, Z.length);
    expect(mismatches(inPlace, want)).toEqual([]);
  });

  it('respects len: entries from len on are untouched', () => {
    const out = new Float64Array(Z.length).fill(7);
    applyActivation(Act.Gelu, 0, Z, out, 10);
    expect(mismatches(out.subarray(10), new Float64Array(Z.length - 10).fill(7))).toEqual([]);
  });

  it('with a cdf buffer: the forward keeps Φ(Z) and the backward reuses it, bit-identically', () => {
    for (const Zs of [Z, Float32Array.from(Z)]) {
      const cdf = new Float64Array(Zs.length);
      const out = new Float64Array(Zs.length);
      applyActivation(Act.Gelu, 0, Zs, out, Zs.length, cdf);
      expect(mismatches(out, Array.from(Zs, gelu))).toEqual([]);
      const g = G.slice();
      multiplyDerivative(Act.Gelu, 0, Zs, Zs, g, g, Zs.length, cdf);
      expect(
        mismatches(
          g,
          Array.from(Zs, (z, k) => G[k]! * geluDerivative(z)),
        ),
      ).toEqual([]);
    }
  });
});

describe('dense kernels: tanh and sigmoid derivatives from the stored activations', () => {
  const r = seeded(8);
  // Ordinary values, saturated units (where 1 − y² loses digits or rounds to 0) and NaN.
  const Z = Float64Array.from([
    ...r.normals(2000, 3),
    3.7,
    -3.8,
    5,
    10,
    -19,
    20,
    -30,
    400,
    0,
    -0,
    Number.NaN,
  ]);
  const G = r.normals(Z.length, 2);

  it('tanh: G·(1 − y²) agrees with G·tanhDerivative(z) to rtol 1e-12, also saturated (and NaN)', () => {
    const A = new Float64Array(Z.length);
    applyActivation(Act.Tanh, 0, Z, A, Z.length);
    const out = new Float64Array(Z.length);
    multiplyDerivative(Act.Tanh, 0, Z, A, G, out, Z.length);
    const ref = Array.from(Z, (z, k) => G[k]! * tanhDerivative(z));
    const n = Z.length - 1;
    expect(out.subarray(0, n)).toBeAllclose(ref.slice(0, n), { rtol: 1e-12, atol: 0 });
    expect(out[n]).toBeNaN();
    // saturated units keep their tiny but nonzero derivative
    expect(out[Z.length - 5]! / G[Z.length - 5]!).toBeAllclose(4 * Math.exp(-60), {
      rtol: 1e-14,
      atol: 0,
    });
  });
  it('tanh in place (out = G) gives the same (tolerance 0)', () => {
    const A = new Float64Array(Z.length);
    applyActivation(Act.Tanh, 0, Z, A, Z.length);
    const out = new Float64Array(Z.length);
    multiplyDerivative(Act.Tanh, 0, Z, A, G, out, Z.length);
    const g = G.slice();
    multiplyDerivative(Act.Tanh, 0, Z, A, g, g, Z.length);
    expect(mismatches(g, out)).toEqual([]);
  });
  it('sigmoid: G·s(1 − s) from the stored s equals the recomputed form (tolerance 0)', () => {
    const A = new Float64Array(Z.length);
    applyActivation(Act.Sigmoid, 0, Z, A, Z.length);
    expect(mismatches(A, Array.from(Z, sigmoid))).toEqual([]);
    const out = new Float64Array(Z.length);
    multiplyDerivative(Act.Sigmoid, 0, Z, A, G, out, Z.length);
    const ref = Array.from(Z, (z, k) => {
      const s = sigmoid(z);
      return G[k]! * s * (1 - s);
    });
    expect(mismatches(out, ref)).toEqual([]);
    const n = Z.length - 1;
    expect(out.subarray(0, n)).toBeAllclose(
      Array.from(Z.subarray(0, n), (z, k) => G[k]! * sigmoidDerivative(z)),
      { rtol: 1e-15, atol: 1e-300 },
    );
  });
  it('float32 activations: sigmoid recomputes σ(z) in float64 (rtol 1e-6); tanh takes 1 − y² from the rounded y (|error| ≤ 5u·|G|)', () => {
    const Z32 = Float32Array.from(Z.subarray(0, 2000));
    const G32 = Float32Array.from(G.subarray(0, 2000));
    const A32 = new Float32Array(Z32.length);
    const out = new Float32Array(Z32.length);
    applyActivation(Act.Sigmoid, 0, Z32, A32, Z32.length);
    multiplyDerivative(Act.Sigmoid, 0, Z32, A32, G32, out, Z32.length);
    expect(out).toBeAllclose(
      Array.from(Z32, (z, k) => G32[k]! * sigmoidDerivative(z)),
      { rtol: 1e-6, atol: 1e-30 },
    );
    applyActivation(Act.Tanh, 0, Z32, A32, Z32.length);
    multiplyDerivative(Act.Tanh, 0, Z32, A32, G32, out, Z32.length);
    // y = tanh z rounded to float32 (|δy| ≤ u), so |δ(1 − y²)| ≤ 2u·|y| + tiny; the product is
    // rounded once more (u): |error| ≤ 5u·|G| covers both with margin (u = 2⁻²⁴)
    const u = 2 ** -24;
    for (let k = 0; k < Z32.length; k++) {
      const want = G32[k]! * tanhDerivative(Z32[k]!);
      expect(Math.abs(out[k]! - want)).toBeLessThanOrEqual(5 * u * Math.abs(G32[k]!));
    }
  });
});
