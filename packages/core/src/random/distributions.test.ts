import { describe, expect, it } from 'vitest';
import { erf } from '../activations/index.js';
import { ValidationError } from '../errors.js';
import {
  bernoulli,
  erfinvF32,
  exponential,
  key,
  normal,
  permutation,
  randomBits,
  split,
  uniform,
} from './index.js';

const LEGACY = { scheme: 'legacy' } as const;
/** zlib.adler32(name + 'threefry2x32'), the seeds of JAX's RandomValuesCase (random_test.py). */
const SEED = {
  normal: 1193674498,
  uniform: 1338574713,
  exponential: 1942292768,
  bernoulli: 1612777541,
  bits: 942802475,
};

describe('randomBits', () => {
  it('partitionable: matches jax.random.bits for key(0) and key(10)', () => {
    // ekzhang/jax-js test/random.test.ts ("random bits"): jax.random.bits(key(0)), bits(key(10), (4,)).
    expect(Array.from(randomBits(key(0), []))).toEqual([4070199207]);
    expect(Array.from(randomBits(key(10), [4]))).toEqual([
      169096361, 1572511259, 2689743692, 2228103506,
    ]);
  });
  it('legacy: matches JAX testRngRandomBits and RandomValuesCase("bits")', () => {
    // jax tests/random_test.py testRngRandomBits: PRNGKey(1701), 32 bits, shape (3,).
    expect(Array.from(randomBits(key(1701), [3], LEGACY))).toEqual([
      56197195, 4200222568, 961309823,
    ]);
    // jax tests/random_test.py _RANDOM_VALUES_CASES, bits/threefry2x32/(5,)/uint32.
    expect(Array.from(randomBits(key(SEED.bits), 5, LEGACY))).toEqual([
      1978747883, 4134381225, 3628107870, 689687174, 2788938207,
    ]);
  });
  it('shapes (), (1,), (1, 1) give the same word; the words depend only on the flat size', () => {
    for (const opts of [undefined, LEGACY]) {
      const a = randomBits(key(7), [], opts)[0];
      expect(randomBits(key(7), 1, opts)[0]).toBe(a);
      expect(randomBits(key(7), [1, 1], opts)[0]).toBe(a);
      expect(Array.from(randomBits(key(7), [2, 3], opts))).toEqual(
        Array.from(randomBits(key(7), 6, opts)),
      );
    }
    // partitionable prefixes are stable across sizes; legacy ones are not
    expect(Array.from(randomBits(key(7), 3))).toEqual(
      Array.from(randomBits(key(7), 5).slice(0, 3)),
    );
    expect(randomBits(key(7), 0)).toHaveLength(0);
  });
  it('rejects bad shapes', () => {
    expect(() => randomBits(key(0), -1)).toThrow(
      'randomBits: shape must be a non-negative integer or an array of them, got -1',
    );
    expect(() => randomBits(key(0), [2, 1.5])).toThrow(
      'randomBits: shape[1] must be a non-negative integer, got 1.5',
    );
    expect(() => randomBits(key(0), [2 ** 20, 2 ** 20])).toThrow(ValidationError);
  });
});

describe('uniform', () => {
  it('partitionable: docs.jax.dev jax.random page values for key(0)', () => {
    // docs.jax.dev/en/latest/jax.random.html: random.uniform(key(0)) → 0.947667; after
    // `key, subkey = random.split(key)`, random.uniform(subkey) → 0.00729382 (printed to 6 digits).
    expect(uniform(key(0), [])[0]).toBeAllclose(0.947667, { rtol: 0, atol: 5e-7 });
    expect(uniform(split(key(0))[1]!, [])[0]).toBeAllclose(0.00729382, { rtol: 0, atol: 5e-9 });
    // ekzhang/jax-js test/random.test.ts: jax.random.uniform(key(51), shape=(4,)), float32 digits.
    expect(uniform(key(51), [4])).toBeAllclose([0.471269, 0.12344253, 0.17550635, 0.5663593], {
      rtol: 0,
      atol: 5e-7,
    });
  });
  it('legacy: older docs values and RandomValuesCase("uniform")', () => {
    // jax.random module docs before the 0.5 switch (jax.readthedocs.io, mirrored in the JAX 中文文档
    // translation): uniform(key(0)) = 0.41845703; uniform(subkey) = 0.10536897.
    expect(uniform(key(0), [], LEGACY)[0]).toBe(Math.fround(0.41845703));
    expect(uniform(split(key(0), 2, LEGACY)[1]!, [], LEGACY)[0]).toBe(Math.fround(0.10536897));
    // jax tests/random_test.py _RANDOM_VALUES_CASES uniform/threefry2x32/(5,)/float32.
    expect(uniform(key(SEED.uniform), 5, LEGACY)).toBeAllclose(
      [0.298671, 0.073213, 0.873356, 0.260549, 0.412797],
      { rtol: 0, atol: 5e-7 },
    );
  });
  it('values are float32 multiples of 2^-23 in [0, 1); minval/maxval scale and clamp', () => {
    const u = uniform(key(3), 2000);
    for (const v of u) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
      expect(Number.isInteger(v * 2 ** 23)).toBe(true);
    }
    const s = uniform(key(3), 2000, { minval: -2, maxval: 3 });
    for (let i = 0; i < s.length; i++) {
      expect(s[i]).toBe(Math.fround(Math.fround(u[i]! * 5) - 2));
      expect(s[i]).toBeGreaterThanOrEqual(-2);
    }
  });
  it('rejects bad ranges', () => {
    expect(() => uniform(key(0), 3, { minval: 1, maxval: 1 })).toThrow(
      'uniform: opts.maxval must be greater than minval (1) in float32, got 1',
    );
    expect(() => uniform(key(0), 3, { minval: Number.NaN })).toThrow(
      'uniform: opts.minval must be a finite number, got NaN',
    );
  });
});

describe('normal', () => {
  it('legacy: bit-identical to JAX draws printed in full (PRNGKey(12) split loop)', () => {
    // github.com/GALVINLAI/lai_PSR_RCBCD notebook following jax.readthedocs.io random-numbers:
    // key = PRNGKey(12); 3× { new_key, subkey = split(key); normal(subkey) } printed as float64:
    // 0.735927939414978, 1.810187578201294, 0.11553369462490082.
    const expected = [0.735927939414978, 1.810187578201294, 0.11553369462490082];
    let k = key(12);
    for (const e of expected) {
      const [nk, sk] = split(k, 2, LEGACY);
      expect(normal(sk!, [], LEGACY)[0]).toBe(e);
      k = nk!;
    }
  });
  it('legacy: RandomValuesCase("normal")', () => {
    // jax tests/random_test.py _RANDOM_VALUES_CASES normal/threefry2x32/(5,)/float32.
    expect(normal(key(SEED.normal), 5, LEGACY)).toBeAllclose(
      [-1.173234, -1.511662, 0.070593, -0.099764, 1.052845],
      { rtol: 0, atol: 5e-7 },
    );
  });
  it('equals √2·erfinv(uniform(−1+2^-24, 1)) of the same key, shape () = (1,) = (1,1)', () => {
    const k = key(2024);
    const u = uniform(k, 50, { minval: -(1 - 2 ** -24), maxval: 1 });
    const z = normal(k, 50);
    for (let i = 0; i < 50; i++) {
      expect(z[i]).toBe(Math.fround(Math.fround(Math.SQRT2) * erfinvF32(u[i]!)));
    }
    expect(normal(k, [1, 1])[0]).toBe(normal(k, [])[0]);
    expect(normal(k, 1)[0]).toBe(z[0]);
  });
  it('erfinvF32 inverts erf to float32 accuracy', () => {
    for (let x = -0.999; x < 1; x += 0.0237) {
      const xf = Math.fround(x);
      expect(erf(erfinvF32(xf))).toBeAllclose(xf, { rtol: 2e-6, atol: 1e-7 });
    }
    // deep tail (w ≥ 5 branch): erfinv(1 − 2^-24) ≈ 3.8325 (erfc⁻¹(6e-8))
    expect(1 - erf(erfinvF32(1 - 2 ** -24))).toBeAllclose(2 ** -24, { rtol: 2e-3, atol: 0 });
    expect(erfinvF32(0)).toBe(0);
    expect(erfinvF32(1)).toBe(Math.fround(3.4028234663852886e38));
  });
  it('10^5 draws have mean 0 and variance 1 within sampling error', () => {
    const z = normal(key(1), 100_000);
    let s = 0;
    let s2 = 0;
    for (const v of z) {
      s += v;
      s2 += v * v;
    }
    const mean = s / z.length;
    // 4 standard errors: se(mean) = 1/√n ≈ 0.0032, se(var) ≈ √(2/n) ≈ 0.0045
    expect(mean).toBeAllclose(0, { rtol: 0, atol: 0.013 });
    expect(s2 / z.length - mean * mean).toBeAllclose(1, { rtol: 0, atol: 0.018 });
  });
});

describe('exponential and bernoulli', () => {
  it('legacy: RandomValuesCase("exponential") and ("bernoulli", p = 0.5)', () => {
    // jax tests/random_test.py _RANDOM_VALUES_CASES, threefry2x32, shape (5,).
    expect(exponential(key(SEED.exponential), 5, LEGACY)).toBeAllclose(
      [0.526067, 0.043046, 0.039932, 0.46427, 0.123886],
      { rtol: 0, atol: 5e-7 },
    );
    expect(Array.from(bernoulli(key(SEED.bernoulli), 0.5, 5, LEGACY))).toEqual([0, 1, 1, 1, 0]);
  });
  it('exponential is −log1p(−u) of the same key, divided by the rate; mean ≈ 1/rate', () => {
    const k = key(11);
    const u = uniform(k, 20);
    const e = exponential(k, 20);
    const e2 = exponential(k, 20, { rate: 2 });
    for (let i = 0; i < 20; i++) {
      expect(e[i]).toBe(-Math.fround(Math.log1p(-u[i]!)));
      expect(e2[i]).toBe(Math.fround(e[i]! / 2));
    }
    const big = exponential(key(5), 100_000, { rate: 4 });
    let s = 0;
    for (const v of big) s += v;
    // se = (1/4)/√n ≈ 7.9e-4; 4 se
    expect(s / big.length).toBeAllclose(0.25, { rtol: 0, atol: 3.2e-3 });
  });
  it('bernoulli is uniform < p; frequency ≈ p; p = 0 and 1 are certain', () => {
    const k = key(8);
    const u = uniform(k, 1000);
    const b = bernoulli(k, 0.3, 1000);
    for (let i = 0; i < 1000; i++) expect(b[i]).toBe(u[i]! < Math.fround(0.3) ? 1 : 0);
    const many = bernoulli(key(9), 0.3, 100_000);
    let c = 0;
    for (const v of many) c += v;
    // se = √(0.21/n) ≈ 1.45e-3
    expect(c / many.length).toBeAllclose(0.3, { rtol: 0, atol: 6e-3 });
    expect(bernoulli(k, 0, 100).every((v) => v === 0)).toBe(true);
    expect(bernoulli(k, 1, 100).every((v) => v === 1)).toBe(true);
  });
  it('rejects p outside [0, 1] and bad rates', () => {
    expect(() => bernoulli(key(0), 1.5, 3)).toThrow(
      'bernoulli: p must be a probability in [0, 1], got 1.5',
    );
    expect(() => bernoulli(key(0), Number.NaN, 3)).toThrow(ValidationError);
    expect(() => exponential(key(0), 3, { rate: 0 })).toThrow(
      'exponential: opts.rate must be a finite number > 0, got 0',
    );
    expect(() => normal(key(0), [3, -1])).toThrow(
      'normal: shape[1] must be a non-negative integer, got -1',
    );
  });
});

describe('speed (hot paths allocate only their outputs)', () => {
  it('normal of 10^6 and permutation of 10^4 take milliseconds', () => {
    normal(key(0), 1000);
    let t = performance.now();
    normal(key(0), 1_000_000);
    const tNormal = performance.now() - t;
    t = performance.now();
    permutation(key(0), 10_000);
    const tPerm = performance.now() - t;
    console.log(`normal(1e6): ${tNormal.toFixed(1)} ms, permutation(1e4): ${tPerm.toFixed(1)} ms`);
    // generous bounds: the machine is shared
    expect(tNormal).toBeLessThan(2000);
    expect(tPerm).toBeLessThan(500);
  });
});
