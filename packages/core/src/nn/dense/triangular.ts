/**
 * The lecture's triangular-solve view of back-propagation, generalised from the width-one chain to
 * dense networks: the linearised forward pass is a block lower-bidiagonal system.
 */
import type { FloatArray } from '../../activations/index.js';
import { assertAllFinite, ShapeError } from '../../errors.js';
import { identityMatrix, type Matrix, matrix, solveLowerTriangular } from '../../linalg/index.js';
import { type LossName, loss } from './loss.js';
import { activationFor, type MlpSpec, resolveSpec } from './spec.js';

/** Result of {@link mlpGradientTriangular}. */
export interface MlpTriangularGradient {
  /** The loss at (x, y). */
  readonly loss: number;
  /** The network's output ŷ for x. */
  readonly output: Float64Array;
  /** ∂loss/∂params in {@link mlpLayout} order. */
  readonly grad: Float64Array;
  /**
   * N×N strictly block lower-bidiagonal, N = Σ widths of layers 1..L: block (l, l−1) is
   * ∂a_l/∂a_{l−1} = diag(f_l'(z_l))·W_l, where a_l are layer l's activations.
   */
  readonly L: Matrix;
  /**
   * N×P block diagonal (P = parameter count): block l holds ∂a_l/∂(W_l, b_l) at fixed a_{l−1},
   * row o: f_l'(z_l[o])·a_{l−1}[i] in the column of W_l[o][i], f_l'(z_l[o]) in the column of b_l[o].
   */
  readonly D: Matrix;
  /** da/dp = (I − L)⁻¹·D, N×P; its last sizes[L] rows are ∂ŷ/∂params. */
  readonly dadp: Matrix;
  /** Row where each layer's block starts in L, D and dadp (length L + 1, last = N). */
  readonly blockOffsets: readonly number[];
}

/**
 * The gradient of one sample's loss by the block triangular solve, for display and as an independent
 * check of back-propagation (they agree to rounding; the tests hold them to 1e-12).
 *
 * Differentiating a_l = f_l(W_l·a_{l−1} + b_l) gives
 * da_l = diag(f_l'(z_l))·W_l·da_{l−1} + diag(f_l'(z_l))·(dW_l·a_{l−1} + db_l), i.e. with
 * da = (da_1, …, da_L): da = L·da + D·dp, so (I − L)·da = D·dp — a block lower-bidiagonal system
 * (the chain network's bidiagonal system when every width is one).
 *
 * Steps: 1. forward pass keeping z_l and a_l; 2. fill L and D; 3. solve (I − L)·X = D with
 * `solveLowerTriangular` (unit diagonal) for all P parameter directions at once; 4. the loss gradient
 * is (∂loss/∂ŷ)ᵀ times the last block row of X.
 *
 * Costs O(N²·P) and allocates N×P matrices: meant for small networks and one sample; train with
 * {@link mlpValueAndGradient}.
 *
 * @param x One input, length sizes[0].
 * @param y Its target, length sizes[L].
 * @example
 * ```ts
 * const spec = mlpSpec([2, 3, 1], 'tanh');
 * const { grad, L, D } = mlpGradientTriangular(spec, initMlp(spec, key(0)), [0.5, -1], [2], 'halfSquaredError');
 * ```
 */
export function mlpGradientTriangular(
  spec: MlpSpec,
  params: FloatArray,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  lossName: LossName,
): MlpTriangularGradient {
  const fn = 'mlpGradientTriangular';
  const { layout, sizes } = resolveSpec(fn, spec);
  const lossFn = loss(lossName);
  const resolvedActs = spec.activations.map((a) => activationFor(fn, 'spec.activations', a));
  if (!(params instanceof Float64Array || params instanceof Float32Array)) {
    throw new ShapeError(`${fn}: params must be a Float64Array or Float32Array`, fn, 'params');
  }
  checkLength(fn, 'params', params, layout.size);
  checkLength(fn, 'x', x, sizes[0]!);
  checkLength(fn, 'y', y, sizes[sizes.length - 1]!);
  assertAllFinite(fn, 'params', params);
  assertAllFinite(fn, 'x', x);
  assertAllFinite(fn, 'y', y);

  // 1. Forward pass, keeping every layer's activations and derivatives f'(z).
  const nLayers = layout.layers.length;
  const as: Float64Array[] = [Float64Array.from(x)];
  const dfs: Float64Array[] = [];
  const blockOffsets = [0];
  for (let l = 0; l < nLayers; l++) {
    const { inSize, outSize, wOffset, bOffset } = layout.layers[l]!;
    const act = resolvedActs[l]!;
    const prev = as[l]!;
    const a = new Float64Array(outSize);
    const df = new Float64Array(outSize);
    for (let o = 0; o < outSize; o++) {
      let z = params[bOffset + o]!;
      for (let i = 0; i < inSize; i++) z += params[wOffset + o * inSize + i]! * prev[i]!;
      a[o] = act.f(z);
      df[o] = act.df(z);
    }
    as.push(a);
    dfs.push(df);
    blockOffsets.push(blockOffsets[l]! + outSize);
  }
  const N = blockOffsets[nLayers]!;
  const P = layout.size;

  // 2. L (strictly block lower-bidiagonal) and D (block diagonal).
  const Lm = matrix(N, N);
  const D = matrix(N, P);
  for (let l = 0; l < nLayers; l++) {
    const { inSize, outSize, wOffset, bOffset } = layout.layers[l]!;
    const r0 = blockOffsets[l]!;
    const df = dfs[l]!;
    const prev = as[l]!;
    for (let o = 0; o < outSize; o++) {
      const row = r0 + o;
      const d = df[o]!;
      for (let i = 0; i < inSize; i++) D.data[row * P + wOffset + o * inSize + i] = d * prev[i]!;
      D.data[row * P + bOffset + o] = d;
      if (l > 0) {
        const c0 = blockOffsets[l - 1]!;
        for (let i = 0; i < inSize; i++) {
          Lm.data[row * N + c0 + i] = d * params[wOffset + o * inSize + i]!;
        }
      }
    }
  }

  // 3. (I − L)·X = D, by forward substitution over all P columns.
  const IminusL = identityMatrix(N);
  for (let k = 0; k < N * N; k++) IminusL.data[k]! -= Lm.data[k]!;
  const dadp = solveLowerTriangular(IminusL, D, { unitDiagonal: true });

  // 4. grad = (∂loss/∂ŷ)ᵀ · (last block rows of da/dp).
  const output = as[nLayers]!;
  const outSize = output.length;
  const dOut = new Float64Array(outSize);
  const value = lossFn.valueAndGradient(output, y, outSize, dOut, outSize);
  const grad = new Float64Array(P);
  const last = blockOffsets[nLayers - 1]!;
  for (let o = 0; o < outSize; o++) {
    const g = dOut[o]!;
    const r = (last + o) * P;
    for (let j = 0; j < P; j++) grad[j]! += g * dadp.data[r + j]!;
  }
  return { loss: value, output, grad, L: Lm, D, dadp, blockOffsets };
}

function checkLength(fn: string, arg: string, v: ArrayLike<number>, n: number): void {
  if (v === null || typeof v !== 'object' || v.length !== n) {
    throw new ShapeError(
      `${fn}: ${arg} must have length ${n}, got ${v === null || typeof v !== 'object' ? String(v) : `length ${v.length}`}`,
      fn,
      arg,
    );
  }
}
