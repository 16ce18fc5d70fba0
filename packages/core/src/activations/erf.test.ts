import { seeded } from '@annlab/test-utils';
import { all, type BigNumber, create, erf as mathjsErf } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { erf, erfc } from './erf.js';

/**
 * Independent references in 50-digit decimal arithmetic (mathjs BigNumber):
 * - |x| ≤ 6: the everywhere-positive series erf(x) = 2/√π · e^(−x²) Σₙ 2ⁿ x^(2n+1) / (1·3·…·(2n+1))
 *   (no cancellation), then erfc = 1 − erf; 50 digits leave > 30 correct digits for erfc(6) ≈ 2e−17.
 * - x ≥ 6: the asymptotic series erfc(x) = e^(−x²)/(x√π) · Σₙ (−1)ⁿ (2n − 1)!! / (2x²)ⁿ, summed to its
 *   smallest term; the truncation error is below that term, ≈ √2·e^(−x²) < 4e−16 relative for x ≥ 6.
 * Each double x is converted to decimal exactly (x = m·2^e), so the reference is for x itself.
 */
const M = create(all, { number: 'BigNumber', precision: 50 });
const big = (v: number | string): BigNumber => M.bignumber(v) as BigNumber;
const PI = M.pi as unknown as BigNumber;
const SQRT_PI = PI.sqrt();

function exactBig(x: number): BigNumber {
  let m = x;
  let e = 0;
  while (!Number.isInteger(m)) {
    m *= 2; // exact
    e++;
  }
  return big(BigInt(m).toString()).div(big(2).pow(e));
}

function erfBig(x: BigNumber): BigNumber {
  const x2 = x.times(x);
  let term = x;
  let sum = x;
  for (let n = 1; n < 2000; n++) {
    term = term
      .times(x2)
      .times(2)
      .div(2 * n + 1);
    sum = sum.plus(term);
    if (term.lt(sum.times(big('1e-55')))) break;
  }
  return sum.times(x2.neg().exp()).times(2).div(SQRT_PI);
}

function erfcAsymptoticBig(x: BigNumber): BigNumber {
  const w = x.times(x).times(2); // 2x²
  let term = big(1);
  let sum = big(1);
  for (let n = 1; n < 2000; n++) {
    const next = term.times(-(2 * n - 1)).div(w);
    if (next.abs().gte(term.abs())) break; // past the smallest term
    term = next;
    sum = sum.plus(term);
  }
  return sum.times(x.times(x).neg().exp()).div(x.times(SQRT_PI));
}

/** erf(x) in high precision, as a BigNumber. */
function erfRef(x: number): BigNumber {
  const bx = exactBig(Math.abs(x));
  const v = Math.abs(x) <= 6 ? erfBig(bx) : big(1).minus(erfcAsymptoticBig(bx));
  return x < 0 ? v.neg() : v;
}

/** erfc(x) in high precision, rounded to a double. */
function erfcRef(x: number): number {
  if (x <= 6) return big(1).minus(erfRef(x)).toNumber();
  return erfcAsymptoticBig(exactBig(x)).toNumber();
}

const ULP_1 = Number.EPSILON; // 2^−52

const view = new DataView(new ArrayBuffer(8));
/** The adjacent double towards +∞ (for finite x > 0) or towards −∞ (`dir` = −1). */
function step(x: number, dir: 1 | -1): number {
  if (x === 0) return dir * 5e-324;
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, x > 0 === dir > 0 ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}
const nextUp = (x: number) => step(x, 1);
const nextDown = (x: number) => step(x, -1);

describe('erf', () => {
  it('the references agree with tabulated values (A&S 7.1) and with each other at x = 6', () => {
    expect(big(1).minus(erfRef(5)).toNumber()).toBeAllclose(1.5374597944280349e-12, {
      rtol: 1e-16,
      atol: 0,
    });
    expect(erfRef(1).toNumber()).toBeAllclose(0.8427007929497149, { rtol: 1e-16, atol: 0 });
    // both reference formulas at x = 6 and x = 7 (where the asymptotic series is weakest)
    for (const x of [6, 7]) {
      const series = big(1)
        .minus(erfBig(big(x)))
        .toNumber();
      const asymptotic = erfcAsymptoticBig(big(x)).toNumber();
      expect(asymptotic).toBeAllclose(series, { rtol: 1e-15, atol: 0 });
    }
  });

  it('is within 2^−52 relative (1–2 ulp) of the 50-digit reference on a fine grid over [−7, 7]', () => {
    // grid of multiples of 1/32 (includes the branch points 0.25, 0.84375, 1.25) plus random points
    const rng = seeded(11);
    const xs = Array.from({ length: 7 * 32 + 1 }, (_, i) => i / 32);
    for (let i = 0; i < 60; i++) xs.push(rng.range(0, 7));
    xs.push(1 / 0.35, nextDown(1 / 0.35), 3.725290298461914e-9, 1e-10, 1e-300, 5e-324);
    for (const x of xs) {
      const ref = erfRef(x).toNumber();
      // 1 ulp of the result: ulp(1) for values in [½, 1), relative 2^−52 below
      expect(erf(x)).toBeAllclose(ref, { rtol: ULP_1, atol: 0 });
      expect(erf(-x)).toBe(-erf(x));
    }
  });

  it('agrees with mathjs to 1e-15 relative', () => {
    for (let x = -6; x <= 6; x += 0.0137) {
      expect(erf(x)).toBeAllclose(mathjsErf(x), { rtol: 1e-15, atol: 1e-300 });
    }
  });

  it('is odd, keeps −0, and maps NaN/±∞ to NaN/±1', () => {
    expect(Object.is(erf(-0), -0)).toBe(true);
    expect(Object.is(erf(0), 0)).toBe(true);
    expect(erf(Number.NaN)).toBeNaN();
    expect(erf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(erf(Number.NEGATIVE_INFINITY)).toBe(-1);
    expect(erf(6)).toBe(1);
    expect(erf(-1e300)).toBe(-1);
    // tiny arguments: erf(x) = 2x/√π to full precision, also for subnormal x
    for (const x of [1e-20, 1e-300, 5e-324 * 1e6]) {
      expect(erf(x)).toBeAllclose((2 / Math.sqrt(Math.PI)) * x, { rtol: 2 * ULP_1, atol: 0 });
    }
  });

  it('is monotone non-decreasing across every branch point', () => {
    for (const b of [3.725290298461914e-9, 0.84375, 1.25, 1 / 0.35, 6]) {
      let x = b;
      for (let i = 0; i < 8; i++) x = nextDown(x);
      let prev = erf(x);
      for (let i = 0; i < 16; i++) {
        x = nextUp(x);
        const y = erf(x);
        expect(y).toBeGreaterThanOrEqual(prev);
        prev = y;
      }
    }
  });
});

describe('erfc', () => {
  it('is within 1e-15 relative of the 50-digit reference on [−6, 26], tail included', () => {
    const rng = seeded(7);
    const xs = Array.from({ length: 32 * 8 + 1 }, (_, i) => -6 + i / 8);
    for (let i = 0; i < 60; i++) xs.push(rng.range(-6, 26));
    xs.push(1 / 0.35, nextDown(1 / 0.35), 0.25, nextDown(0.25), 1e-17, -1e-17);
    for (const x of xs) {
      expect(erfc(x)).toBeAllclose(erfcRef(x), { rtol: 1e-15, atol: 0 });
    }
  });

  it('keeps full relative accuracy deep in the tail (asymptotic series), e.g. erfc(10), erfc(26)', () => {
    expect(erfc(10)).toBeAllclose(2.088487583762545e-45, { rtol: 1e-14, atol: 0 });
    for (const x of [6, 8, 12.5, 15, 20, 25, 26]) {
      expect(erfc(x)).toBeAllclose(erfcAsymptoticBig(big(x)).toNumber(), { rtol: 1e-14, atol: 0 });
    }
    // subnormal results are as accurate as their spacing allows; beyond ≈ 27.3 erfc underflows to 0
    expect(erfc(27)).toBeAllclose(erfcAsymptoticBig(big(27)).toNumber(), { rtol: 0, atol: 1e-321 });
    expect(erfc(28)).toBe(0);
    expect(erfc(1e300)).toBe(0);
  });

  it('satisfies erfc(−x) = 2 − erfc(x) and erf + erfc = 1 to rounding', () => {
    for (let x = 0; x <= 8; x += 0.031) {
      expect(erfc(-x)).toBeAllclose(2 - erfc(x), { rtol: ULP_1, atol: 0 });
      expect(erf(x) + erfc(x)).toBeAllclose(1, { rtol: 0, atol: 2 * ULP_1 });
    }
  });

  it('maps NaN/±∞ to NaN/0/2 and erfc(0) = 1', () => {
    expect(erfc(Number.NaN)).toBeNaN();
    expect(erfc(Number.POSITIVE_INFINITY)).toBe(0);
    expect(erfc(Number.NEGATIVE_INFINITY)).toBe(2);
    expect(erfc(0)).toBe(1);
    expect(erfc(-0)).toBe(1);
    expect(erfc(-6)).toBe(2);
  });

  it('is monotone non-increasing across every branch point', () => {
    for (const b of [0.25, 0.84375, 1.25, 1 / 0.35, 6, 28, -0.84375, -1.25, -6]) {
      let x = b;
      for (let i = 0; i < 8; i++) x = nextDown(x);
      let prev = erfc(x);
      for (let i = 0; i < 16; i++) {
        x = nextUp(x);
        const y = erfc(x);
        expect(y).toBeLessThanOrEqual(prev);
        prev = y;
      }
    }
  });
});
