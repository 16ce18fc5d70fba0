import { numericDerivative } from '@annlab/test-utils';
import { erf as mathjsErf } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import {
  ACTIVATION_NAMES,
  activation,
  erf,
  erfc,
  gelu,
  geluTanh,
  logSoftmax,
  sigmoid,
  sigmoidDerivative,
  softmax,
  softmaxVjp,
  softplus,
  tanhDerivative,
} from './index.js';

const SPECS = [
  ...ACTIVATION_NAMES,
  { name: 'leakyRelu', slope: 0.2 },
  { name: 'elu', alpha: 0.5 },
  { name: 'gelu', approximate: 'tanh' },
] as const;

const GRID = Array.from({ length: 81 }, (_, i) => -8 + i * 0.2 + 0.013); // avoids the kink at 0

describe('activations: closed forms', () => {
  it("sigmoid matches 1/(1+e^-x) and σ' = σ(1−σ) ∈ (0, ¼], maximal at 0", () => {
    for (const x of GRID) {
      expect(sigmoid(x)).toBeAllclose(1 / (1 + Math.exp(-x)), { rtol: 1e-15, atol: 1e-16 });
      const d = sigmoidDerivative(x);
      expect(d).toBeGreaterThan(0);
      expect(d).toBeLessThanOrEqual(0.25);
    }
    expect(sigmoidDerivative(0)).toBe(0.25);
  });
  it("tanh' = 1 − tanh² ∈ (0, 1], equal to 1 at 0", () => {
    for (const x of GRID) {
      const d = tanhDerivative(x);
      expect(d).toBeAllclose(1 - Math.tanh(x) ** 2, { rtol: 1e-12, atol: 1e-15 });
      expect(d).toBeGreaterThan(0);
      expect(d).toBeLessThanOrEqual(1);
    }
    expect(tanhDerivative(0)).toBe(1);
  });
  it('erf and erfc agree with mathjs to 1e-14 relative', () => {
    for (let x = -6; x <= 6; x += 0.037) {
      expect(erf(x)).toBeAllclose(mathjsErf(x), { rtol: 1e-14, atol: 1e-16 });
    }
    // erfc(5) = 1.5374597944280347e-12 (Abramowitz & Stegun); no cancellation in the tail.
    expect(erfc(5)).toBeAllclose(1.5374597944280347e-12, { rtol: 1e-13, atol: 0 });
    expect(erfc(3)).toBeAllclose(2.209049699858544e-5, { rtol: 1e-13, atol: 0 });
  });
  it('exact GELU is x·Φ(x): known values', () => {
    // gelu(1) = Φ(1) = 0.8413447460685429; gelu(−1) = −(1 − Φ(1)).
    expect(gelu(1)).toBeAllclose(0.8413447460685429, { rtol: 1e-15, atol: 0 });
    expect(gelu(-1)).toBeAllclose(-0.15865525393145707, { rtol: 1e-14, atol: 0 });
    expect(gelu(0)).toBe(0);
    // the tanh approximation is within 1e-3 of exact GELU everywhere (documented accuracy ~3e-4)
    for (const x of GRID) expect(geluTanh(x)).toBeAllclose(gelu(x), { rtol: 0, atol: 1e-3 });
  });
  it('softplus is log(1 + eˣ) and softplus(0) = log 2', () => {
    expect(softplus(0)).toBe(Math.LN2);
    for (const x of GRID) {
      expect(softplus(x)).toBeAllclose(Math.log1p(Math.exp(x)), { rtol: 1e-14, atol: 1e-300 });
    }
  });
});

describe('activations: derivatives against central differences', () => {
  for (const spec of SPECS) {
    const act = activation(spec);
    it(`${act.label}: f' matches (f(x+h) − f(x−h))/2h to 1e-7`, () => {
      for (const x of GRID) {
        expect(act.df(x)).toBeAllclose(numericDerivative(act.f, x, 1e-6), {
          rtol: 1e-7,
          atol: 1e-8,
        });
      }
    });
  }
});

describe('activations: extreme and NaN inputs', () => {
  for (const spec of SPECS) {
    const act = activation(spec);
    it(`${act.label}: finite at ±1000 and ±1e300, NaN in gives NaN out`, () => {
      for (const x of [-1e300, -1000, -400, -300, 300, 400, 1000, 1e300]) {
        const y = act.f(x);
        const d = act.df(x);
        // functions that grow linearly may return ±x itself; nothing may become NaN
        expect(Number.isNaN(y)).toBe(false);
        expect(Number.isNaN(d)).toBe(false);
        expect(Number.isFinite(d)).toBe(true);
        if (Math.abs(x) <= 1000) expect(Number.isFinite(y)).toBe(true);
      }
      expect(act.f(Number.NaN)).toBeNaN();
      expect(act.df(Number.NaN)).toBeNaN();
    });
  }
  it('limits at ±1000: sigmoid → 1/0, tanh → ±1, relu/gelu/softplus → x/0', () => {
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(-1000)).toBe(0);
    expect(activation('tanh').f(-1000)).toBe(-1);
    expect(activation('relu').f(1000)).toBe(1000);
    expect(gelu(1000)).toBe(1000);
    expect(gelu(-1000)).toBe(-0);
    expect(softplus(1000)).toBe(1000);
    expect(softplus(-1000)).toBe(0);
    expect(activation('elu').f(-1000)).toBe(-1);
  });
  it('array paths equal the scalar paths, in float64 and float32', () => {
    for (const spec of SPECS) {
      const act = activation(spec);
      const z = Float64Array.from(GRID);
      const y = new Float64Array(z.length);
      act.apply(z, y);
      expect(y).toBeAllclose(GRID.map(act.f), { rtol: 0, atol: 0 });
      const z32 = Float32Array.from(GRID);
      act.applyDerivative(z32, z32);
      expect(z32).toBeAllclose(
        GRID.map((x) => Math.fround(act.df(Math.fround(x)))),
        { rtol: 0, atol: 0 },
      );
    }
  });
});

describe('softmax', () => {
  it('sums to 1, is shift invariant and stable at ±1000', () => {
    const s = softmax([1, 2, 3]);
    expect(s.reduce((a, b) => a + b, 0)).toBeAllclose(1, { rtol: 0, atol: 1e-15 });
    expect(softmax([1001, 1002, 1003])).toBeAllclose(s, { rtol: 1e-15, atol: 1e-16 });
    expect(softmax([-1000, 0, 1000])).toBeAllclose([0, 0, 1], { rtol: 0, atol: 1e-300 });
    expect(logSoftmax([1, 2, 3])).toBeAllclose(Array.from(s, Math.log), { rtol: 1e-14, atol: 0 });
  });
  it('NaN propagates; +∞ entries share the mass; −∞ entries get 0', () => {
    expect(softmax([1, Number.NaN])).toBeAllclose([Number.NaN, Number.NaN], { rtol: 0, atol: 0 });
    const inf = Number.POSITIVE_INFINITY;
    expect(softmax([inf, 1, inf])).toBeAllclose([0.5, 0, 0.5], { rtol: 0, atol: 0 });
    expect(softmax([Number.NEGATIVE_INFINITY, 0])).toBeAllclose([0, 1], { rtol: 0, atol: 0 });
  });
  it('vjp matches the finite-difference Jacobian', () => {
    const x = [0.3, -1.2, 2.0];
    const g = [1, -2, 0.5];
    const s = softmax(x);
    const vjp = softmaxVjp(s, g);
    const f = (xx: number[]) => softmax(xx).reduce((acc, v, i) => acc + v * g[i]!, 0);
    const fd = x.map((_, i) =>
      numericDerivative((t) => f(x.map((v, j) => (j === i ? t : v))), x[i]!, 1e-6),
    );
    expect(vjp).toBeAllclose(fd, { rtol: 1e-7, atol: 1e-9 });
  });
});

describe('softmax argument checks', () => {
  it('names the function, argument and value', () => {
    expect(() => softmax(3 as never)).toThrow(ValidationError);
    expect(() => softmax(3 as never)).toThrow('softmax: xs must be an array of numbers, got 3');
    expect(() => logSoftmax([1, 2], new Float64Array(1))).toThrow(
      'logSoftmax: out must be a Float64Array of length ≥ xs.length = 2, got Float64Array(1)',
    );
    expect(() => softmaxVjp([0.5, 0.5], [1])).toThrow(
      'softmaxVjp: g must be an array of s.length = 2 numbers, got Array(1)',
    );
    // a longer out is fine: only the first xs.length entries are written
    const out = new Float64Array(3).fill(7);
    softmax([0, Math.log(3)], out);
    expect(out).toBeAllclose([0.25, 0.75, 7], { rtol: 1e-15, atol: 0 });
    expect(softmaxVjp([0.5, 0.5], [1, 0])).toBeAllclose([0.25, -0.25], { rtol: 0, atol: 0 });
  });
});

describe('activation lookup errors', () => {
  it('names the function, argument and value', () => {
    expect(() => activation('swish' as never)).toThrow(ValidationError);
    expect(() => activation('swish' as never)).toThrow(
      /activation: spec must be one of .*got "swish"/,
    );
    expect(() => activation({ name: 'leakyRelu', slope: Number.NaN })).toThrow(
      'activation: leakyRelu.slope must be a finite number, got NaN',
    );
    expect(() => activation({ name: 'gelu', approximate: 'fast' as never })).toThrow(
      /gelu.approximate must be 'none' or 'tanh', got "fast"/,
    );
  });
});
