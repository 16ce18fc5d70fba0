/**
 * Float32 arithmetic in float64 numbers, as XLA evaluates JAX's default float32 samplers.
 *
 * Every operation rounds its result to float32 with `Math.fround`, as one float32 instruction would.
 * A product of two float32 values is exact in float64 (24 + 24 < 53 significand bits), so
 * `fround(a * b)` is the correctly rounded float32 product; the same holds for sums and differences of
 * float32 values (exact in float64 unless the exponents differ by more than 29, where the float64
 * rounding cannot move a float32 tie), and for `Math.sqrt` (the float64 square root rounded to float32
 * is correctly rounded, since 53 ≥ 2·24 + 2).
 */

const f = Math.fround;

// Giles' coefficients, highest degree first, as float32 (XLA declares them as `float` literals).
const LOW = Float32Array.of(
  2.81022636e-8,
  3.43273939e-7,
  -3.5233877e-6,
  -4.39150654e-6,
  0.00021858087,
  -0.00125372503,
  -0.00417768164,
  0.246640727,
  1.50140941,
);
const HIGH = Float32Array.of(
  -0.000200214257,
  0.000100950558,
  0.00134934322,
  -0.00367342844,
  0.00573950773,
  -0.0076224613,
  0.00943887047,
  1.00167406,
  2.83297682,
);
const FLT_MAX = 3.4028234663852886e38;

/**
 * XLA's float32 inverse error function (`ErfInv32` in `xla/hlo/builder/lib/math.cc`; the same
 * polynomial is in StableHLO's CHLO decomposition of `chlo.erf_inv`, which `lax.erf_inv` lowers to
 * in JAX 0.8). From M. Giles, "Approximating the erfinv function" (GPU Computing Gems, 2011):
 *
 * 1. `w = −log1p(−x·x)`.
 * 2. If `w < 5`: `t = w − 2.5` and the first coefficient set, else `t = √w − 3` and the second.
 * 3. Horner: `p = c₀; p = cᵢ + p·t` for i = 1..8.
 * 4. Result `p·x`; `erfinv(±1) = ±x·FLT_MAX` (XLA's edge case).
 *
 * Each step is rounded to float32. `log1p` is the float64 `Math.log1p` rounded to float32 (correctly
 * rounded except in rare double-rounding cases); XLA's own float32 `log1p` may differ from it by an
 * ulp, which then changes the result by at most a few ulp. The multiply and add of each Horner step
 * are rounded separately (no fused multiply-add).
 */
export function erfinvF32(x: number): number {
  x = f(x);
  const w = -f(Math.log1p(-f(x * x)));
  let c: Float32Array;
  let t: number;
  if (w < 5) {
    c = LOW;
    t = f(w - 2.5);
  } else {
    c = HIGH;
    t = f(f(Math.sqrt(w)) - 3);
  }
  let p = c[0]!;
  for (let i = 1; i < 9; i++) p = f(c[i]! + f(p * t));
  if (Math.abs(x) === 1) return f(x * FLT_MAX);
  return f(p * x);
}
