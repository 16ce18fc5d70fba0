/// <reference types="@webgpu/types" preserve="true" />
/**
 * @annlab/gpu: raw WebGPU/WGSL kernels and GPU-resident training for @annlab/core networks, in
 * the browser (`navigator.gpu`) and in Node (the optional `webgpu` package, Dawn).
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
export { activationWgsl } from './kernels/biasActivation/activations.wgsl.js';
export {
  activationDerivative,
  type BiasActivationBuffers,
  type BiasActivationResult,
  biasActivation,
  prepareBiasActivation,
} from './kernels/biasActivation/biasActivation.js';
export {
  type BiasActivationMode,
  makeBiasActivationShader,
} from './kernels/biasActivation/biasActivation.wgsl.js';
export { prepareGather } from './kernels/gather/gather.js';
export {
  defaultLossScale,
  type LossBuffers,
  lossAndGradient,
  prepareLoss,
} from './kernels/loss/loss.js';
export { GPU_LOSS_NAMES, type GpuLossName, makeLossShader } from './kernels/loss/loss.wgsl.js';
export {
  type MatmulShape,
  type MatmulTiming,
  matmul,
  prepareMatmul,
  timeMatmul,
} from './kernels/matmul/matmul.js';
export { makeMatmulShader } from './kernels/matmul/matmul.wgsl.js';
export {
  createGpuOptimizer,
  type GpuOptimizer,
  type GpuOptimizerSpec,
  type GpuOptimizerTensor,
  optimizerSteps,
} from './kernels/optimizer/optimizer.js';
export { type GpuOptimizerName, makeOptimizerShader } from './kernels/optimizer/optimizer.wgsl.js';
export { prepareSumRows, sumRows } from './kernels/reduce/reduce.js';
export { makeSumRowsShader } from './kernels/reduce/reduce.wgsl.js';
export { gpuRandomBits, prepareRandomBits } from './kernels/threefry/threefry.js';
export { makeThreefryShader, type ThreefryScheme } from './kernels/threefry/threefry.wgsl.js';
export {
  type BindingKind,
  type CompiledKernel,
  PipelineCache,
  type ShaderSource,
} from './pipelineCache.js';
export { type TrainChainsOptions, type TrainChainsResult, trainChains } from './training/chains.js';
export {
  createGpuMlpTrainer,
  type GpuMlpSpec,
  type GpuMlpTrainer,
  type GpuMlpTrainerOptions,
  gpuMlpParamCount,
} from './training/mlp.js';
