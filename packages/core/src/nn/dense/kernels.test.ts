import { seeded } from '@annlab/test-utils';
import { describe, expect, it } from 'vitest';
import { gelu, geluDerivative } from '../../activations/index.js';
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
    multiplyDerivative(Act.Gelu, 0, Z, G, out, Z.length);
    expect(mismatches(out, want)).toEqual([]);
    const inPlace = G.slice();
    multiplyDerivative(Act.Gelu, 0, Z, inPlace, inPlace, Z.length);
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
      multiplyDerivative(Act.Gelu, 0, Zs, g, g, Zs.length, cdf);
      expect(
        mismatches(
          g,
          Array.from(Zs, (z, k) => G[k]! * geluDerivative(z)),
        ),
      ).toEqual([]);
    }
  });
});
