/**
 * The dense-layer kernels behind {@link mlpForward} and {@link mlpBackward}: register-blocked loops
 * over row-major typed arrays that allocate nothing.
 *
 * Layout: a batch of activations is `batch × width`, row-major (sample n's features are contiguous);
 * a layer's weights are `out × in`, row-major, inside the flat parameter vector `p` at `wOff`, its
 * biases at `bOff`. Every kernel keeps a 4×4 block of sums in locals (16 accumulators, 8 loads per
 * step of the contiguous inner loop), which is what lets V8 reach a few GFLOP/s; edges fall back to
 * 4×1 and 1×1 loops. Sums are formed in float64 also for Float32Array inputs and rounded once on the
 * store.
 *
 * In float64 workspaces, layers after the first whose widths are multiples of 4 run the same
 * products in a WebAssembly SIMD kernel instead (wasm.ts; chosen in mlp.ts), about twice as fast.
 */

import { GeluMode, geluDerivativeMulFromCdf, geluLoop } from '../../activations/erf.js';
import {
  eluDerivative,
  type FloatArray,
  geluTanh,
  geluTanhDerivative,
  sigmoid,
  softplus,
} from '../../activations/index.js';
import { tanhInto } from '../../activations/tanhArray.js';
import { Act } from './spec.js';

/**
 * Z = A·Wᵀ + b for one layer: `Z[n][o] = b[o] + Σᵢ A[n][i]·W[o][i]`.
 *
 * Steps: for each 4-sample × 4-output block, run one pass over i with 16 accumulators; add the bias
 * on the store. Remaining outputs take 4×1 blocks, remaining samples 1×1 dot products.
 */
export function denseForward(
  A: FloatArray,
  p: FloatArray,
  wOff: number,
  bOff: number,
  Z: FloatArray,
  batch: number,
  nIn: number,
  nOut: number,
): void {
  let n = 0;
  for (; n + 4 <= batch; n += 4) {
    const r0 = n * nIn;
    const r1 = r0 + nIn;
    const r2 = r1 + nIn;
    const r3 = r2 + nIn;
    let o = 0;
    for (; o + 4 <= nOut; o += 4) {
      const w0 = wOff + o * nIn;
      const w1 = w0 + nIn;
      const w2 = w1 + nIn;
      const w3 = w2 + nIn;
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0,
        c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      for (let i = 0; i < nIn; i++) {
        const a0 = A[r0 + i]!;
        const a1 = A[r1 + i]!;
        const a2 = A[r2 + i]!;
        const a3 = A[r3 + i]!;
        const v0 = p[w0 + i]!;
        const v1 = p[w1 + i]!;
        const v2 = p[w2 + i]!;
        const v3 = p[w3 + i]!;
        c00 += a0 * v0;
        c01 += a0 * v1;
        c02 += a0 * v2;
        c03 += a0 * v3;
        c10 += a1 * v0;
        c11 += a1 * v1;
        c12 += a1 * v2;
        c13 += a1 * v3;
        c20 += a2 * v0;
        c21 += a2 * v1;
        c22 += a2 * v2;
        c23 += a2 * v3;
        c30 += a3 * v0;
        c31 += a3 * v1;
        c32 += a3 * v2;
        c33 += a3 * v3;
      }
      const b0 = p[bOff + o]!;
      const b1 = p[bOff + o + 1]!;
      const b2 = p[bOff + o + 2]!;
      const b3 = p[bOff + o + 3]!;
      let z = n * nOut + o;
      Z[z] = c00 + b0;
      Z[z + 1] = c01 + b1;
      Z[z + 2] = c02 + b2;
      Z[z + 3] = c03 + b3;
      z += nOut;
      Z[z] = c10 + b0;
      Z[z + 1] = c11 + b1;
      Z[z + 2] = c12 + b2;
      Z[z + 3] = c13 + b3;
      z += nOut;
      Z[z] = c20 + b0;
      Z[z + 1] = c21 + b1;
      Z[z + 2] = c22 + b2;
      Z[z + 3] = c23 + b3;
      z += nOut;
      Z[z] = c30 + b0;
      Z[z + 1] = c31 + b1;
      Z[z + 2] = c32 + b2;
      Z[z + 3] = c33 + b3;
    }
    for (; o < nOut; o++) {
      const w0 = wOff + o * nIn;
      let c0 = 0;
      let c1 = 0;
      let c2 = 0;
      let c3 = 0;
      for (let i = 0; i < nIn; i++) {
        const v = p[w0 + i]!;
        c0 += A[r0 + i]! * v;
        c1 += A[r1 + i]! * v;
        c2 += A[r2 + i]! * v;
        c3 += A[r3 + i]! * v;
      }
      const b = p[bOff + o]!;
      const z = n * nOut + o;
      Z[z] = c0 + b;
      Z[z + nOut] = c1 + b;
      Z[z + 2 * nOut] = c2 + b;
      Z[z + 3 * nOut] = c3 + b;
    }
  }
  for (; n < batch; n++) {
    const r = n * nIn;
    for (let o = 0; o < nOut; o++) {
      const w = wOff + o * nIn;
      let s = p[bOff + o]!;
      for (let i = 0; i < nIn; i++) s += A[r + i]! * p[w + i]!;
      Z[n * nOut + o] = s;
    }
  }
}

/**
 * Weight and bias gradients of one layer from its pre-activation adjoint G = ∂L/∂Z (batch × out):
 * `gW[o][i] = Σₙ G[n][o]·A[n][i]`, `gb[o] = Σₙ G[n][o]`, written (not accumulated) into `g` at the
 * layer's offsets.
 *
 * Steps: for each 4-output × 4-input block, one pass over the batch with 16 accumulators; remaining
 * inputs take 4×1 blocks, remaining outputs 1×1 sums.
 */
export function denseGradParams(
  G: FloatArray,
  A: FloatArray,
  g: FloatArray,
  wOff: number,
  bOff: number,
  batch: number,
  nIn: number,
  nOut: number,
): void {
  denseGradBias(G, g, bOff, batch, nOut);
  let o = 0;
  for (; o + 4 <= nOut; o += 4) {
    let i = 0;
    for (; i + 4 <= nIn; i += 4) {
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0,
        c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      for (let n = 0; n < batch; n++) {
        const gr = n * nOut + o;
        const ar = n * nIn + i;
        const d0 = G[gr]!;
        const d1 = G[gr + 1]!;
        const d2 = G[gr + 2]!;
        const d3 = G[gr + 3]!;
        const a0 = A[ar]!;
        const a1 = A[ar + 1]!;
        const a2 = A[ar + 2]!;
        const a3 = A[ar + 3]!;
        c00 += d0 * a0;
        c01 += d0 * a1;
        c02 += d0 * a2;
        c03 += d0 * a3;
        c10 += d1 * a0;
        c11 += d1 * a1;
        c12 += d1 * a2;
        c13 += d1 * a3;
        c20 += d2 * a0;
        c21 += d2 * a1;
        c22 += d2 * a2;
        c23 += d2 * a3;
        c30 += d3 * a0;
        c31 += d3 * a1;
        c32 += d3 * a2;
        c33 += d3 * a3;
      }
      let w = wOff + o * nIn + i;
      g[w] = c00;
      g[w + 1] = c01;
      g[w + 2] = c02;
      g[w + 3] = c03;
      w += nIn;
      g[w] = c10;
      g[w + 1] = c11;
      g[w + 2] = c12;
      g[w + 3] = c13;
      w += nIn;
      g[w] = c20;
      g[w + 1] = c21;
      g[w + 2] = c22;
      g[w + 3] = c23;
      w += nIn;
      g[w] = c30;
      g[w + 1] = c31;
      g[w + 2] = c32;
      g[w + 3] = c33;
    }
    for (; i < nIn; i++) {
      let c0 = 0;
      let c1 = 0;
      let c2 = 0;
      let c3 = 0;
      for (let n = 0; n < batch; n++) {
        const a = A[n * nIn + i]!;
        const gr = n * nOut + o;
        c0 += G[gr]! * a;
        c1 += G[gr + 1]! * a;
        c2 += G[gr + 2]! * a;
        c3 += G[gr + 3]! * a;
      }
      const w = wOff + o * nIn + i;
      g[w] = c0;
      g[w + nIn] = c1;
      g[w + 2 * nIn] = c2;
      g[w + 3 * nIn] = c3;
    }
  }
  for (; o < nOut; o++) {
    const w = wOff + o * nIn;
    for (let i = 0; i < nIn; i++) g[w + i] = 0;
    for (let n = 0; n < batch; n++) {
      const d = G[n * nOut + o]!;
      const ar = n * nIn;
      for (let i = 0; i < nIn; i++) g[w + i] += d * A[ar + i]!;
    }
  }
}

/** Bias gradient of one layer: `gb[o] = Σₙ G[n][o]`, written into `g` at `bOff`. */
export function denseGradBias(
  G: FloatArray,
  g: FloatArray,
  bOff: number,
  batch: number,
  nOut: number,
): void {
  for (let o = 0; o < nOut; o++) {
    let s = 0;
    for (let n = 0; n < batch; n++) s += G[n * nOut + o]!;
    g[bOff + o] = s;
  }
}

/**
 * The input adjoint of one layer: `D[n][i] = Σₒ G[n][o]·W[o][i]` (D is batch × in), overwritten.
 *
 * Steps: for each 4-sample × 4-input block, one pass over the outputs with 16 accumulators (the four
 * weights of a row are contiguous); remaining inputs take 4×1 blocks, remaining samples 1×1 sums.
 */
export function denseGradInput(
  G: FloatArray,
  p: FloatArray,
  wOff: number,
  D: FloatArray,
  batch: number,
  nIn: number,
  nOut: number,
): void {
  let n = 0;
  for (; n + 4 <= batch; n += 4) {
    const g0 = n * nOut;
    const g1 = g0 + nOut;
    const g2 = g1 + nOut;
    const g3 = g2 + nOut;
    let i = 0;
    for (; i + 4 <= nIn; i += 4) {
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0,
        c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      for (let o = 0; o < nOut; o++) {
        const w = wOff + o * nIn + i;
        const v0 = p[w]!;
        const v1 = p[w + 1]!;
        const v2 = p[w + 2]!;
        const v3 = p[w + 3]!;
        const d0 = G[g0 + o]!;
        const d1 = G[g1 + o]!;
        const d2 = G[g2 + o]!;
        const d3 = G[g3 + o]!;
        c00 += d0 * v0;
        c01 += d0 * v1;
        c02 += d0 * v2;
        c03 += d0 * v3;
        c10 += d1 * v0;
        c11 += d1 * v1;
        c12 += d1 * v2;
        c13 += d1 * v3;
        c20 += d2 * v0;
        c21 += d2 * v1;
        c22 += d2 * v2;
        c23 += d2 * v3;
        c30 += d3 * v0;
        c31 += d3 * v1;
        c32 += d3 * v2;
        c33 += d3 * v3;
      }
      let d = n * nIn + i;
      D[d] = c00;
      D[d + 1] = c01;
      D[d + 2] = c02;
      D[d + 3] = c03;
      d += nIn;
      D[d] = c10;
      D[d + 1] = c11;
      D[d + 2] = c12;
      D[d + 3] = c13;
      d += nIn;
      D[d] = c20;
      D[d + 1] = c21;
      D[d + 2] = c22;
      D[d + 3] = c23;
      d += nIn;
      D[d] = c30;
      D[d + 1] = c31;
      D[d + 2] = c32;
      D[d + 3] = c33;
    }
    for (; i < nIn; i++) {
      let c0 = 0;
      let c1 = 0;
      let c2 = 0;
      let c3 = 0;
      for (let o = 0; o < nOut; o++) {
        const v = p[wOff + o * nIn + i]!;
        c0 += G[g0 + o]! * v;
        c1 += G[g1 + o]! * v;
        c2 += G[g2 + o]! * v;
        c3 += G[g3 + o]! * v;
      }
      const d = n * nIn + i;
      D[d] = c0;
      D[d + nIn] = c1;
      D[d + 2 * nIn] = c2;
      D[d + 3 * nIn] = c3;
    }
  }
  for (; n < batch; n++) {
    const gr = n * nOut;
    for (let i = 0; i < nIn; i++) {
      let s = 0;
      for (let o = 0; o < nOut; o++) s += G[gr + o]! * p[wOff + o * nIn + i]!;
      D[n * nIn + i] = s;
    }
  }
}

/**
 * out[k] = f(Z[k]) for k < len, one switch per call so each loop calls one function. For exact
 * GELU, a `cdf` buffer (float64, at least len entries) receives Φ(Z[k]) for
 * {@link multiplyDerivative} to reuse.
 */
export function applyActivation(
  act: Act,
  param: number,
  Z: FloatArray,
  out: FloatArray,
  len: number,
  cdf: Float64Array | null = null,
): void {
  switch (act) {
    case Act.Identity:
      if (out !== Z) for (let k = 0; k < len; k++) out[k] = Z[k]!;
      return;
    case Act.Sigmoid:
      for (let k = 0; k < len; k++) out[k] = sigmoid(Z[k]!);
      return;
    case Act.Tanh:
      tanhInto(Z, out, len); // inline tanh, within a few ulp of Math.tanh
      return;
    case Act.Relu:
      for (let k = 0; k < len; k++) out[k] = Math.max(Z[k]!, 0); // NaN stays NaN
      return;
    case Act.LeakyRelu:
      for (let k = 0; k < len; k++) {
        const z = Z[k]!;
        out[k] = z > 0 ? z : param * z;
      }
      return;
    case Act.Gelu:
      // erf inline in the loop: no boxed numbers
      if (cdf === null) geluLoop(GeluMode.Value, Z, Z, out, len);
      else geluLoop(GeluMode.ValueAndCdf, Z, Z, out, len, cdf);
      return;
    case Act.GeluTanh:
      for (let k = 0; k < len; k++) out[k] = geluTanh(Z[k]!);
      return;
    case Act.Softplus:
      for (let k = 0; k < len; k++) out[k] = softplus(Z[k]!);
      return;
    case Act.Elu:
      for (let k = 0; k < len; k++) {
        const z = Z[k]!;
        out[k] = z > 0 ? z : param * Math.expm1(z);
      }
      return;
  }
}

/**
 * out[k] = G[k]·f'(Z[k]) for k < len: turns ∂L/∂A into ∂L/∂Z. `out` may be `G`. `A` holds the
 * activations f(Z) of the same forward pass: for float64 tanh and sigmoid the derivative comes from
 * them (1 − y², y(1 − y)) instead of a second exp. For exact GELU, `cdf` is the Φ(Z) that
 * {@link applyActivation} kept for the same Z (saves one erf per element).
 */
export function multiplyDerivative(
  act: Act,
  param: number,
  Z: FloatArray,
  A: FloatArray,
  G: FloatArray,
  out: FloatArray,
  len: number,
  cdf: Float64Array | null = null,
): void {
  switch (act) {
    case Act.Identity:
      if (out !== G) for (let k = 0; k < len; k++) out[k] = G[k]!;
      return;
    case Act.Sigmoid:
      if (A instanceof Float64Array) {
        // σ' = s(1 − s) from the stored s: the same value the recomputation would give
        for (let k = 0; k < len; k++) {
          const s = A[k]!;
          out[k] = G[k]! * s * (1 - s);
        }
      } else {
        // float32 activations are rounded: recompute σ in float64
        for (let k = 0; k < len; k++) {
          const s = sigmoid(Z[k]!);
          out[k] = G[k]! * s * (1 - s);
        }
      }
      return;
    case Act.Tanh:
      {
        // tanh' = (1 − y)(1 + y) from the stored y = tanh(z). Its relative error is about
        // ulp(y)/(1 − |y|), below 3e-13 in float64 while the product exceeds 1e-3 (in float32 its
        // absolute error is below 2·2⁻²⁴, the rounding of y); saturated units (and NaN)
        // take the exp form, exact also where y rounds to ±1.
        for (let k = 0; k < len; k++) {
          const y = A[k]!;
          let d = (1 - y) * (1 + y);
          if (!(d > 1e-3)) {
            // tanhDerivative inline (a rarely taken call would not be inlined and would box)
            const e = Math.exp(-2 * Math.abs(Z[k]!));
            const t = 1 + e;
            d = (4 * e) / (t * t);
          }
          out[k] = G[k]! * d;
        }
      }
      return;
    case Act.Relu:
      for (let k = 0; k < len; k++) {
        const z = Z[k]!;
        out[k] = z > 0 ? G[k]! : z <= 0 ? 0 : Number.NaN;
      }
      return;
    case Act.LeakyRelu:
      for (let k = 0; k < len; k++) {
        const z = Z[k]!;
        out[k] = z > 0 ? G[k]! : z <= 0 ? param * G[k]! : Number.NaN;
      }
      return;
    case Act.Gelu:
      if (cdf === null) geluLoop(GeluMode.DerivativeMul, Z, G, out, len);
      else geluDerivativeMulFromCdf(Z, cdf, G, out, len);
      return;
    case Act.GeluTanh:
      for (let k = 0; k < len; k++) out[k] = G[k]! * geluTanhDerivative(Z[k]!);
      return;
    case Act.Softplus:
      for (let k = 0; k < len; k++) out[k] = G[k]! * sigmoid(Z[k]!);
      return;
    case Act.Elu:
      for (let k = 0; k < len; k++) out[k] = G[k]! * eluDerivative(Z[k]!, param);
      return;
  }
}
