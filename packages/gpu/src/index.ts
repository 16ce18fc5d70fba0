/// <reference types="@webgpu/types" preserve="true" />
/**
 * @annlab/gpu: raw WebGPU/WGSL kernels and GPU-resident training for @annlab/core networks, in
 * the browser (`navigator.gpu`) and in Node (the optional `webgpu` package, Dawn).
 *
 * @example
 * ```ts
 * import { initMlp, key, mlpSpec } from '@annlab/core';
 * import { createGpuMlpTrainer, requestGpu } from '@annlab/gpu';
 *
 * const gpu = await requestGpu();
 * const spec = mlpSpec([1, 32, 1], 'tanh');
 * const trainer = await createGpuMlpTrainer(gpu, spec, initMlp(spec, key(0), { dtype: 'float32' }), {
 *   optimizer: { name: 'adam', learningRate: 0.01 },
 *   loss: 'mse',
 *   data: { x: [0, 0.5, 1], y: [0, 0.25, 1] },
 * });
 * await trainer.step(100);
 * console.log(await trainer.readLoss());
 * ```
 *
 * The WGSL shader builders (`make*Shader`) and the tuning constants (`MATMUL_*`, tile choice) are in
 * `@annlab/gpu/kernels`, outside the stable API.
 * @packageDocumentation
 */
export { BufferScope, checkBufferSize, type GpuData, readF32, readU32, toF32 } from './buffers.js';
export {
  type Gpu,
  type GpuAdapterReport,
  type RequestGpuOptions,
  requestGpu,
  wrapDevice,
} from './device.js';
export { type Dispatch, encodeDispatches, makeDispatch, runDispatches } from './dispatch.js';
export {
  DeviceLostError,
  GpuError,
  GpuUnavailableError,
  ShaderCompileError,
  type ShaderMessage,
} from './errors.js';
export {
  activationDerivative,
  type BiasActivationBuffers,
  type BiasActivationResult,
  biasActivation,
  prepareBiasActivation,
} from './kernels/biasActivation/biasActivation.js';
export type { BiasActivationMode } from './kernels/biasActivation/biasActivation.wgsl.js';
export { prepareGather } from './kernels/gather/gather.js';
export { layerGradNorm, prepareGradNorm } from './kernels/gradNorm/gradNorm.js';
export {
  defaultLossScale,
  type LossBuffers,
  lossAndGradient,
  prepareLoss,
} from './kernels/loss/loss.js';
export { GPU_LOSS_NAMES, type GpuLossName } from './kernels/loss/loss.wgsl.js';
export {
  type MatmulBuffers,
  type MatmulOptions,
  type MatmulShape,
  type MatmulTiming,
  matmul,
  prepareMatmul,
  timeMatmul,
} from './kernels/matmul/matmul.js';
export type { MatmulEpilogue } from './kernels/matmul/matmul.wgsl.js';
export {
  createGpuOptimizer,
  type GpuOptimizer,
  type GpuOptimizerSpec,
  type GpuOptimizerTensor,
  optimizerSteps,
} from './kernels/optimizer/optimizer.js';
export type { GpuOptimizerName } from './kernels/optimizer/optimizer.wgsl.js';
export {
  type GpuPermutationsOptions,
  gpuPermutations,
  type PermutationDispatch,
  type PermutationShape,
  preparePermutations,
} from './kernels/permutation/permutation.js';
export { prepareSumRows, sumRows } from './kernels/reduce/reduce.js';
export {
  SMALL_MLP_MAX_LAYERS,
  SMALL_MLP_MAX_WIDTH,
} from './kernels/smallMlps/smallMlps.wgsl.js';
export {
  prepareSoftmaxCrossEntropy,
  type SoftmaxCrossEntropyBuffers,
  softmaxCrossEntropyGpu,
} from './kernels/softmaxCrossEntropy/softmaxCrossEntropy.js';
export { gpuRandomBits, prepareRandomBits } from './kernels/threefry/threefry.js';
export type { ThreefryScheme } from './kernels/threefry/threefry.wgsl.js';
export {
  prepareWeightPenalty,
  type WeightPenalty,
  weightPenaltyGradient,
} from './kernels/weightPenalty/weightPenalty.js';
export {
  type BindingKind,
  type CompiledKernel,
  PipelineCache,
  type ShaderSource,
} from './pipelineCache.js';
export {
  CHAIN_SHUFFLE_FOLD,
  type ChainShuffle,
  chainEpochOrder,
  chainShuffleKey,
  type TrainChainsOptions,
  type TrainChainsResult,
  trainChains,
} from './training/chains.js';
export {
  createGpuMlpTrainer,
  type GpuMlpLossName,
  type GpuMlpSpec,
  type GpuMlpTrainer,
  type GpuMlpTrainerOptions,
  gpuMlpParamCount,
} from './training/mlp.js';
export {
  SMALL_MLP_MAX_SAMPLES,
  type TrainSmallMlpsOptions,
  type TrainSmallMlpsResult,
  trainSmallMlps,
} from './training/smallMlps.js';
