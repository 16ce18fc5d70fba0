/**
 * The error function and its complement in float64, accurate to about one ulp on the whole line.
 *
 * The method is the classic piecewise rational (minimax) scheme of W. J. Cody, "Rational Chebyshev
 * approximations for the error function", Math. Comp. 23 (1969) 631–637, in the layout of Sun's
 * fdlibm `s_erf.c` (K. C. Ng, 1993), whose published minimax coefficients are used below. The code
 * is our own. For a = |x|:
 *
 * 1. a < 0.84375: erf(x) = x + x·R(x²), R = P/Q a rational approximation of (erf(x) − x)/x of
 *    degrees 4/5 in x² (|error| < 2^−57.9). erfc = 1 − erf for x < ¼, else ½ − (x − ½ + x·R) so
 *    that no digits cancel.
 * 2. 0.84375 ≤ a < 1.25: with s = a − 1, erf(a) = c + P₁(s)/Q₁(s), c = erf(1) rounded to 24 bits
 *    (exact in float64), P₁/Q₁ of degrees 6/6 (|error| < 2^−59); erfc(a) = (1 − c) − P₁/Q₁.
 * 3. 1.25 ≤ a < 28: erfc(a) = e^(−a² − 0.5625 + R(1/a²)/S(1/a²)) / a, the rational function fitting
 *    log(a·erfc(a)) + a² + 0.5625 (the asymptotic series e^(−a²)/(a√π)·(1 + Poly(1/a²))), with one
 *    coefficient set on [1.25, 1/0.35] and another on [1/0.35, 28] (errors < 2^−61.5). To keep
 *    e^(−a²) accurate, a² is split exactly: with t = a rounded to 24 bits, t² is exact and
 *    −a² = −t² + (t − a)(t + a), so e^(−a²) = e^(−t² − 0.5625)·e^((t − a)(t + a) + R/S).
 *    erf = 1 − erfc there; for a ≥ 6, erf(a) rounds to 1; for a ≥ 28 erfc(a) underflows to 0.
 * 4. Negative x: erf(−x) = −erf(x), erfc(−x) = 2 − erfc(x). NaN gives NaN; erf(±∞) = ±1,
 *    erfc(+∞) = 0, erfc(−∞) = 2.
 *
 * Each branch costs one rational evaluation (plus one `Math.exp` in erf, two in erfc, for
 * a ≥ 1.25): several times cheaper than summing a Maclaurin series.
 *
 * {@link geluLoop} repeats erf's steps inline in the loop body of the exact GELU's array forms, so
 * that hot loops make no calls that V8 cannot inline (each such call returns a boxed heap number).
 */

// Step 1: (erf(x) − x)/x ≈ PP(z)/QQ(z), z = x², on [0, 0.84375].
const EFX = 0.12837916709551256; // 2/√π − 1
const EFX8 = 1.0270333367641007; // 8·(2/√π − 1), used where x·EFX would be subnormal
const PP0 = 0.12837916709551256;
const PP1 = -0.3250421072470015;
const PP2 = -0.02848174957559851;
const PP3 = -0.005770270296489442;
const PP4 = -0.000023763016656650163;
const QQ1 = 0.39791722395915535;
const QQ2 = 0.0650222499887673;
const QQ3 = 0.005081306281875766;
const QQ4 = 0.00013249473800432164;
const QQ5 = -0.000003960228278775368;

// Step 2: erf(1 + s) − ERX ≈ PA(s)/QA(s) on s ∈ [−0.15625, 0.25].
const ERX = 0.8450629115104675; // erf(1) rounded to 24 bits
const PA0 = -0.0023621185607526594;
const PA1 = 0.41485611868374833;
const PA2 = -0.3722078760357013;
const PA3 = 0.31834661990116175;
const PA4 = -0.11089469428239668;
const PA5 = 0.035478304325618236;
const PA6 = -0.002166375594868791;
const QA1 = 0.10642088040084423;
const QA2 = 0.540397917702171;
const QA3 = 0.07182865441419627;
const QA4 = 0.12617121980876164;
const QA5 = 0.01363708391202905;
const QA6 = 0.011984499846799107;

// Step 3a: log(a·erfc(a)) + a² + 0.5625 ≈ RA(w)/SA(w), w = 1/a², on a ∈ [1.25, 1/0.35].
const RA0 = -0.009864944034847148;
const RA1 = -0.6938585727071818;
const RA2 = -10.558626225323291;
const RA3 = -62.375332450326006;
const RA4 = -162.39666946257347;
const RA5 = -184.60509290671104;
const RA6 = -81.2874355063066;
const RA7 = -9.814329344169145;
const SA1 = 19.651271667439257;
const SA2 = 137.65775414351904;
const SA3 = 434.56587747522923;
const SA4 = 645.3872717332679;
const SA5 = 429.00814002756783;
const SA6 = 108.63500554177944;
const SA7 = 6.570249770319282;
const SA8 = -0.0604244152148581;

// Step 3b: the same on a ∈ [1/0.35, 28].
const RB0 = -0.0098649429247001;
const RB1 = -0.799283237680523;
const RB2 = -17.757954917754752;
const RB3 = -160.63638485582192;
const RB4 = -637.5664433683896;
const RB5 = -1025.0951316110772;
const RB6 = -483.5191916086514;
const SB1 = 30.33806074348246;
const SB2 = 325.7925129965739;
const SB3 = 1536.729586084437;
const SB4 = 3199.8582195085955;
const SB5 = 2553.0504064331644;
const SB6 = 474.52854120695537;
const SB7 = -22.44095244658582;

/** 1/0.35: where step 3 switches coefficient sets. */
const SPLIT = 2.857142857142857;

/** (erf(x) − x)/x for |x| < 0.84375 (step 1). */
function smallRatio(x: number): number {
  const z = x * x;
  const p = PP0 + z * (PP1 + z * (PP2 + z * (PP3 + z * PP4)));
  const q = 1 + z * (QQ1 + z * (QQ2 + z * (QQ3 + z * (QQ4 + z * QQ5))));
  return p / q;
}

/** erf(a) − ERX for a ∈ [0.84375, 1.25) (step 2). */
function nearOne(a: number): number {
  const s = a - 1;
  const p = PA0 + s * (PA1 + s * (PA2 + s * (PA3 + s * (PA4 + s * (PA5 + s * PA6)))));
  const q = 1 + s * (QA1 + s * (QA2 + s * (QA3 + s * (QA4 + s * (QA5 + s * QA6)))));
  return p / q;
}

/** R/S of step 3: log(a·erfc(a)) + a² + 0.5625 for a ∈ [1.25, 28). */
function tailCorrection(a: number): number {
  const w = 1 / (a * a);
  if (a < SPLIT) {
    const r = RA0 + w * (RA1 + w * (RA2 + w * (RA3 + w * (RA4 + w * (RA5 + w * (RA6 + w * RA7))))));
    const s =
      1 +
      w * (SA1 + w * (SA2 + w * (SA3 + w * (SA4 + w * (SA5 + w * (SA6 + w * (SA7 + w * SA8)))))));
    return r / s;
  }
  const r = RB0 + w * (RB1 + w * (RB2 + w * (RB3 + w * (RB4 + w * (RB5 + w * RB6)))));
  const s = 1 + w * (SB1 + w * (SB2 + w * (SB3 + w * (SB4 + w * (SB5 + w * (SB6 + w * SB7))))));
  return r / s;
}

/** erfc(a) for a ∈ [1.25, 28) to full relative accuracy (step 3, with a² split exactly). */
function tail(a: number): number {
  const t = Math.fround(a); // 24 significant bits, so t·t is exact in float64
  return (Math.exp(-t * t - 0.5625) * Math.exp((t - a) * (t + a) + tailCorrection(a))) / a;
}

/**
 * The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt, to about one ulp.
 *
 * NaN gives NaN, ±∞ give ±1, and erf(−x) = −erf(x) exactly.
 *
 * @example
 * ```ts
 * erf(1); // 0.8427007929497149
 * erf(-0.5) === -erf(0.5); // true
 * ```
 */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (a < 0.84375) {
    if (a < 3.725290298461914e-9) {
      // 2^−28: erf(x) = x·2/√π to within rounding; 8x keeps full precision for subnormal x
      return a < 1e-300 ? (8 * x + EFX8 * x) / 8 : x + EFX * x;
    }
    return x + x * smallRatio(x);
  }
  if (a < 1.25) {
    const e = ERX + nearOne(a);
    return x > 0 ? e : -e;
  }
  if (a < 6) {
    // erfc(a) < 0.08 here, so the rounding of a·a in one exp costs < 0.2 ulp of erf: no split needed
    const e = 1 - Math.exp(-a * a - 0.5625 + tailCorrection(a)) / a;
    return x > 0 ? e : -e;
  }
  if (a >= 6) return x > 0 ? 1 : -1; // also ±∞
  return Number.NaN;
}

/**
 * The complementary error function erfc(x) = 1 − erf(x), with full relative accuracy in the right
 * tail (no cancellation): erfc(10) = 2.088487583762545e-45. Underflows to 0 beyond x ≈ 27.2.
 *
 * NaN gives NaN, erfc(+∞) = 0, erfc(−∞) = 2.
 *
 * @example
 * ```ts
 * erfc(0); // 1
 * erfc(5); // 1.5374597944280351e-12
 * ```
 */
export function erfc(x: number): number {
  const a = Math.abs(x);
  if (a < 0.84375) {
    if (a < 1.3877787807814457e-17) return 1 - x; // 2^−56: erfc(x) rounds to 1 − x
    const r = x * smallRatio(x);
    if (x < 0.25) return 1 - (x + r);
    return 0.5 - (x - 0.5 + r);
  }
  if (a < 1.25) {
    const e = nearOne(a);
    return x > 0 ? 1 - ERX - e : 1 + (ERX + e);
  }
  if (a < 28) {
    if (x > 0) return tail(a);
    return a < 6 ? 2 - tail(a) : 2;
  }
  if (a >= 28) return x > 0 ? 0 : 2; // also ±∞
  return Number.NaN;
}

/**
 * What {@link geluLoop} writes: GELU, its derivative, the derivative times an upstream array, or
 * GELU while keeping Φ(x) for a later {@link geluDerivativeMulFromCdf}.
 */
export const GeluMode = { Value: 0, Derivative: 1, DerivativeMul: 2, ValueAndCdf: 3 } as const;
/** A {@link GeluMode} code. */
export type GeluMode = (typeof GeluMode)[keyof typeof GeluMode];

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 0.3989422804014327; // 1/√(2π)

/**
 * The exact GELU over arrays, with erf evaluated inline (internal: the public forms are `geluArray`,
 * `geluDerivativeArray` and `geluDerivativeMul`). For i < n, with x = z[i]:
 *
 * - `GeluMode.Value`: out[i] = ½x(1 + erf(x/√2)), exactly as `gelu(x)` (−0 below −40, 0 at −∞);
 * - `GeluMode.Derivative`: out[i] = Φ(x) + x·φ(x), exactly as `geluDerivative(x)` (0 below −40,
 *   1 above 40);
 * - `GeluMode.DerivativeMul`: out[i] = g[i]·geluDerivative(x);
 * - `GeluMode.ValueAndCdf`: as `Value`, and also cdf[i] = Φ(x) = ½(1 + erf(x/√2)) for |x| ≤ 40, in
 *   float64, exactly the Φ that `geluDerivative(x)` computes (`cdf` is unused in the other modes).
 *
 * Steps per element: 1. the ±40 cut-offs of the scalar functions; 2. e = erf(x/√2) by the branches
 * of {@link erf} (same coefficients, same operation order, so the results are bit-identical to the
 * scalar functions); 3. combine and store. No calls but `Math.abs` and `Math.exp`, which V8 inlines,
 * so nothing is boxed and nothing is allocated. `out` may alias `z` or `g`.
 */
export function geluLoop(
  mode: GeluMode,
  z: Float64Array | Float32Array,
  g: Float64Array | Float32Array,
  out: Float64Array | Float32Array,
  n: number,
  cdf: Float64Array = NO_CDF,
): void {
  const value = mode === GeluMode.Value || mode === GeluMode.ValueAndCdf;
  const keep = mode === GeluMode.ValueAndCdf;
  for (let i = 0; i < n; i++) {
    const x = z[i]!;
    let y: number;
    if (x < -40) {
      y = value ? (x === Number.NEGATIVE_INFINITY ? 0 : -0) : 0;
    } else if (x > 40 && !value) {
      y = 1;
    } else {
      // e = erf(t), t = x/√2: the steps of erf() above, inline.
      const t = x * SQRT1_2;
      const a = Math.abs(t);
      let e: number;
      if (a < 0.84375) {
        if (a < 3.725290298461914e-9) {
          e = a < 1e-300 ? (8 * t + EFX8 * t) / 8 : t + EFX * t;
        } else {
          const s = t * t;
          const p = PP0 + s * (PP1 + s * (PP2 + s * (PP3 + s * PP4)));
          const q = 1 + s * (QQ1 + s * (QQ2 + s * (QQ3 + s * (QQ4 + s * QQ5))));
          e = t + t * (p / q);
        }
      } else if (a < 1.25) {
        const s = a - 1;
        const p = PA0 + s * (PA1 + s * (PA2 + s * (PA3 + s * (PA4 + s * (PA5 + s * PA6)))));
        const q = 1 + s * (QA1 + s * (QA2 + s * (QA3 + s * (QA4 + s * (QA5 + s * QA6)))));
        e = ERX + p / q;
        if (!(t > 0)) e = -e;
      } else if (a < 6) {
        const w = 1 / (a * a);
        let r: number;
        let s: number;
        if (a < SPLIT) {
          r = RA0 + w * (RA1 + w * (RA2 + w * (RA3 + w * (RA4 + w * (RA5 + w * (RA6 + w * RA7))))));
          s =
            1 +
            w *
              (SA1 +
                w * (SA2 + w * (SA3 + w * (SA4 + w * (SA5 + w * (SA6 + w * (SA7 + w * SA8)))))));
        } else {
          r = RB0 + w * (RB1 + w * (RB2 + w * (RB3 + w * (RB4 + w * (RB5 + w * RB6)))));
          s = 1 + w * (SB1 + w * (SB2 + w * (SB3 + w * (SB4 + w * (SB5 + w * (SB6 + w * SB7))))));
        }
        e = 1 - Math.exp(-a * a - 0.5625 + r / s) / a;
        if (!(t > 0)) e = -e;
      } else if (a >= 6) {
        e = t > 0 ? 1 : -1;
      } else {
        e = Number.NaN;
      }
      if (keep) cdf[i] = 0.5 * (1 + e);
      y = value ? 0.5 * x * (1 + e) : 0.5 * (1 + e) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }
    out[i] = mode === GeluMode.DerivativeMul ? g[i]! * y : y;
  }
}

const NO_CDF = new Float64Array(0);

/**
 * out[i] = g[i]·geluDerivative(z[i]) for i < n from the Φ(z[i]) that `geluLoop(ValueAndCdf, …)`
 * kept for the same z: geluDerivative(x) = Φ(x) + x·φ(x), so only φ(x) = e^(−x²/2)/√(2π) remains
 * to evaluate (one `Math.exp`, no erf). Bit-identical to the scalar product, with the same ±40
 * cut-offs. `out` may alias `g`.
 */
export function geluDerivativeMulFromCdf(
  z: Float64Array | Float32Array,
  cdf: Float64Array,
  g: Float64Array | Float32Array,
  out: Float64Array | Float32Array,
  n: number,
): void {
  for (let i = 0; i < n; i++) {
    const x = z[i]!;
    const d = x < -40 ? 0 : x > 40 ? 1 : cdf[i]! + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    out[i] = g[i]! * d;
  }
}
