/**
 * WGSL for every activation of @annlab/core, as `fn act(z: f32) -> f32` and `fn dact(z: f32) -> f32`
 * (derivative with respect to the pre-activation), written so no intermediate can overflow.
 *
 * WGSL gives an indeterminate finite value on overflow and may assume no NaN, so:
 * - every exponential is of a non-positive argument: e = exp(−|z|) (sigmoid, softplus), exp(−2|z|)
 *   (tanh), exp(−z²/2) (GELU);
 * - NaN is tested on the bits (`is_nan`) and returned explicitly, so NaN in gives NaN out;
 * - log1p and expm1, missing from WGSL, use short series where `log(1 + e)` or `exp(z) − 1` would
 *   cancel;
 * - exact GELU uses erfc(x) ≈ t·(a₁ + t(a₂ + …))·exp(−x²), t = 1/(1 + p·x) (Abramowitz–Stegun
 *   7.1.26, |error| ≤ 1.5e-7), evaluated on the tail side so Φ(x) never cancels.
 */
import { type Activation, type ActivationSpec, activation } from '@annlab/core';
import { WGSL_PRELUDE, wgslF32 } from '../common.js';

/** Shared stable helpers (no overflow for any finite input). */
const HELPERS = /* wgsl */ `
${WGSL_PRELUDE}
// log(1 + e) for e in [0, 1]; series where 1 + e would lose e's digits.
fn log1p_small(e: f32) -> f32 {
  if (e < 0.01) { return e * (1.0 - e * (0.5 - e * (0.33333334 - e * 0.25))); }
  return log(1.0 + e);
}
// exp(z) − 1 for z ≤ 0.
fn expm1_neg(z: f32) -> f32 {
  if (z > -0.1) {
    return z * (1.0 + z * (0.5 + z * (0.16666667 + z * (0.041666668 + z * (0.008333334 + z * 0.0013888889)))));
  }
  return exp(z) - 1.0;
}
fn sigmoid_s(z: f32) -> f32 {
  let e = exp(-abs(z));
  return select(e / (1.0 + e), 1.0 / (1.0 + e), z >= 0.0);
}
// σ'(z) = e / (1 + e)², e = exp(−|z|) (symmetric).
fn sigmoid_d(z: f32) -> f32 {
  let e = exp(-abs(z));
  let d = 1.0 + e;
  return e / (d * d);
}
fn tanh_s(z: f32) -> f32 {
  let a = abs(z);
  if (a < 0.125) {
    let z2 = z * z;
    return z * (1.0 + z2 * (-0.33333334 + z2 * (0.13333334 + z2 * (-0.053968254 + z2 * 0.021869488))));
  }
  let e = exp(-2.0 * a);
  return sign(z) * (1.0 - e) / (1.0 + e);
}
// 1 − tanh²(z) = 4e / (1 + e)², e = exp(−2|z|).
fn tanh_d(z: f32) -> f32 {
  let e = exp(-2.0 * abs(z));
  let d = 1.0 + e;
  return 4.0 * e / (d * d);
}
// Φ(x), the standard normal CDF, via A&S 7.1.26 on the tail side.
fn normal_cdf(x: f32) -> f32 {
  let u = abs(x) * 0.70710678;
  let t = 1.0 / (1.0 + 0.3275911 * u);
  let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  let half_erfc = 0.5 * poly * exp(-u * u);
  return select(1.0 - half_erfc, half_erfc, x < 0.0);
}
fn normal_pdf(x: f32) -> f32 { return 0.39894228 * exp(-0.5 * x * x); }
`;

function body(a: Activation): { f: string; df: string } {
  const fn = 'activationShader';
  switch (a.name) {
    case 'sigmoid':
      return { f: 'return sigmoid_s(z);', df: 'return sigmoid_d(z);' };
    case 'tanh':
      return { f: 'return tanh_s(z);', df: 'return tanh_d(z);' };
    case 'relu':
      return { f: 'return select(0.0, z, z > 0.0);', df: 'return select(0.0, 1.0, z > 0.0);' };
    case 'identity':
      return { f: 'return z;', df: 'return 1.0;' };
    case 'softplus':
      return {
        f: 'return max(z, 0.0) + log1p_small(exp(-abs(z)));',
        df: 'return sigmoid_s(z);',
      };
    case 'leakyRelu': {
      const s = wgslF32(fn, 'spec.slope', (a.spec as { slope: number }).slope);
      return {
        f: `return select(${s} * z, z, z > 0.0);`,
        df: `return select(${s}, 1.0, z > 0.0);`,
      };
    }
    case 'elu': {
      const al = wgslF32(fn, 'spec.alpha', (a.spec as { alpha: number }).alpha);
      return {
        f: `if (z > 0.0) { return z; } return ${al} * expm1_neg(z);`,
        df: `if (z > 0.0) { return 1.0; } return ${al} * exp(z);`,
      };
    }
    case 'gelu':
      if ((a.spec as { approximate: string }).approximate === 'tanh') {
        // u = √(2/π)(z + 0.044715 z³); 1 + tanh(u) = 2e/(1 + e) for u < 0, e = exp(2u).
        return {
          f: `if (z < -40.0) { return 0.0; } if (z > 40.0) { return z; }
  let u = 0.7978846 * (z + 0.044715 * z * z * z);
  let e = exp(-2.0 * abs(u));
  let one_plus_t = select(2.0 / (1.0 + e), 2.0 * e / (1.0 + e), u < 0.0);
  return 0.5 * z * one_plus_t;`,
          df: `if (z < -40.0) { return 0.0; } if (z > 40.0) { return 1.0; }
  let u = 0.7978846 * (z + 0.044715 * z * z * z);
  let e = exp(-2.0 * abs(u));
  let one_plus_t = select(2.0 / (1.0 + e), 2.0 * e / (1.0 + e), u < 0.0);
  let du = 0.7978846 * (1.0 + 0.134145 * z * z);
  return 0.5 * one_plus_t + 0.5 * z * tanh_d(u) * du;`,
        };
      }
      return {
        f: 'if (z < -40.0) { return 0.0; } return z * normal_cdf(z);',
        df: 'if (z < -40.0) { return 0.0; } if (z > 40.0) { return 1.0; } return normal_cdf(z) + z * normal_pdf(z);',
      };
  }
}

/** The activation's cache key: its label with parameters, e.g. `leakyRelu(0.2)`. */
export function activationKey(spec: ActivationSpec): string {
  return activation(spec).label;
}

/** WGSL defining `act`, `dact` and the stable helpers for `spec`. */
export function activationWgsl(spec: ActivationSpec): string {
  const a = activation(spec);
  const { f, df } = body(a);
  return `${HELPERS}
fn act(z: f32) -> f32 {
  if (is_nan(z)) { return z; }
  ${f}
}
fn dact(z: f32) -> f32 {
  if (is_nan(z)) { return z; }
  ${df}
}
`;
}
