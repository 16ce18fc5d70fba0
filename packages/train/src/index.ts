/**
 * @annlab/train: full-batch, SGD and mini-batch training of @annlab/core networks with
 * explicit-gradient optimizers (`init`/`update` pairs in the optax style), learning-rate schedules,
 * normalisation (standard or min-max, chosen from the output activation), early stopping,
 * divergence guard, versioned checkpoints, float32 passes and an injected WebGPU trainer.
 * @packageDocumentation
 */
export {
  type BatchMode,
  type BatchPlan,
  type BatchPlanOptions,
  batchPlan,
  type Shuffle,
  type ShuffleMode,
} from './batches.js';
export { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, loadModel, saveModel } from './checkpoint.js';
export type { DataInput, Dataset } from './data.js';
export { CheckpointError, DivergenceError, TrainError } from './errors.js';
export { ExportError } from './export/errors.js';
export { ONNX_IR_VERSION, ONNX_OPSET, type OnnxExportOptions, toOnnx } from './export/onnx.js';
export {
  fromSafetensors,
  type SafetensorsDtype,
  type SafetensorsOptions,
  safetensorsNames,
  toSafetensors,
} from './export/safetensors.js';
export {
  type EarlyStoppingOptions,
  type FitOptions,
  type FitResult,
  fit,
  type History,
  type InputScaling,
  type NormalizeOption,
  type ProgressEvent,
  type StopReason,
  type TargetScaling,
  type WebGpuFitOptions,
} from './fit.js';
export {
  type ChainModel,
  type MlpLoss,
  type MlpModel,
  type Model,
  predict,
  type TrainingRecord,
} from './model.js';
export {
  autoTargetScaling,
  fitMinMax,
  fitStandardizer,
  type Normalization,
  type ScalingMethod,
  type Standardizer,
  standardize,
  type TargetScalingChoice,
  unstandardize,
} from './normalize.js';
export * from './optimizers/index.js';
export {
  constantSchedule,
  cosineDecay,
  exponentialDecay,
  type LearningRate,
  linearSchedule,
  linearWarmup,
  type Schedule,
  stepDecay,
  warmupCosineDecay,
} from './schedules.js';
export type {
  GpuLossRequest,
  GpuMlpTrainerFactory,
  GpuMlpTrainerLike,
  GpuOptimizerRequest,
  GpuTrainerRequest,
  GpuTrainerSpec,
  WebGpuBackend,
} from './webgpu.js';
