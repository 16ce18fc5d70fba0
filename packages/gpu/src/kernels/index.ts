/**
 * @annlab/gpu/kernels: the WGSL shader builders and the tuning constants behind the kernel
 * wrappers of `@annlab/gpu`, for benchmarks, kernel tests and experiments. Not part of the stable
 * API: tile sizes, workgroup shapes and generated WGSL may change in any release. Users call the
 * wrappers (`matmul`, `prepareMatmul`, `biasActivation`, ...) from `@annlab/gpu`.
 *
 * @example
 * ```ts
 * import { makeMatmulShader, MATMUL_ROWS, matmulTile } from '@annlab/gpu/kernels';
 *
 * // The register tile prepareMatmul picks for a 1024³ product on a hardware adapter,
 * const tile = matmulTile({ isFallbackAdapter: false, architecture: '' }, { m: 1024, n: 1024, k: 1024 });
 * // and the WGSL of the default tile (MATMUL_ROWS rows of C per invocation) for C = A·B.
 * const shader = makeMatmulShader({ transA: false, transB: false, rows: MATMUL_ROWS });
 * console.log(tile, shader);
 * ```
 * @packageDocumentation
 */
export { activationWgsl } from './biasActivation/activations.wgsl.js';
export {
  type BiasActivationMode,
  makeBiasActivationShader,
} from './biasActivation/biasActivation.wgsl.js';
export { makeLossShader } from './loss/loss.wgsl.js';
export {
  MATMUL_CPU_TILE_MIN_OUTPUTS,
  MATMUL_CPU_TILE_MIN_WORK,
  matmulTile,
} from './matmul/matmul.js';
export {
  MATMUL_COL_GROUP_CHOICES,
  MATMUL_COL_GROUPS,
  MATMUL_CPU_TILE,
  MATMUL_INVOCATIONS,
  MATMUL_ROW_CHOICES,
  MATMUL_ROWS,
  type MatmulEpilogue,
  type MatmulShaderParams,
  makeMatmulShader,
  matmulWorkgroup,
} from './matmul/matmul.wgsl.js';
export { makeOptimizerShader } from './optimizer/optimizer.wgsl.js';
export { makePermutationShader } from './permutation/permutation.wgsl.js';
export { makeSumRowsShader } from './reduce/reduce.wgsl.js';
export {
  makeSmallMlpsShader,
  SMALL_MLPS_UNROLL_PARAMS,
  type SmallMlpsVariant,
} from './smallMlps/smallMlps.wgsl.js';
export { makeSoftmaxCrossEntropyShader } from './softmaxCrossEntropy/softmaxCrossEntropy.wgsl.js';
export {
  makeThreefryShader,
  THREEFRY_WGSL,
  type ThreefryScheme,
} from './threefry/threefry.wgsl.js';
