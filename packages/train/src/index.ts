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
export {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  loadModel,
  MAX_CHECKPOINT_CHARS,
  saveModel,
} from './checkpoint.js';
export {
  accuracy,
  confusionMatrix,
  logLoss,
  predictClass,
  predictProba,
} from './classify.js';
export type { DataInput, Dataset } from './data.js';
export {
  CheckpointError,
  DivergenceError,
  SnapshotError,
  TableError,
  TrainError,
  TrainerStateError,
} from './errors.js';
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
  type AdapterFacts,
  type BackendChoice,
  chooseBackend,
  WEBGPU_MIN_WORK,
} from './parallel/choose.js';
export {
  coreCount,
  createGradientPool,
  createGradientPoolSync,
  type GradientPool,
  type GradientPoolOptions,
  PARALLEL_CHUNK_ROWS,
  PARALLEL_MIN_WORK,
  PARALLEL_STALL_MS,
  parallelPays,
  resolveThreads,
  sharedMemoryAvailable,
  type ThreadChoice,
} from './parallel/pool.js';
export {
  constantSchedule,
  cosineDecay,
  describeSchedule,
  exponentialDecay,
  type LearningRate,
  linearSchedule,
  linearWarmup,
  type Schedule,
  stepDecay,
  warmupCosineDecay,
} from './schedules.js';
export {
  type ColumnRef,
  DEFAULT_MAX_TABLE_BYTES,
  formatTable,
  type PredictionTable,
  type PredictionTableInput,
  predictionTable,
  previewTable,
  type ReadTableOptions,
  readTable,
  readTableFrom,
  sniffDelimiter,
  type TableData,
  type TableDelimiter,
  type TablePreview,
  type TableTask,
  tableRecords,
} from './table/index.js';
export {
  createTrainer,
  type EarlyStoppingOptions,
  type FitOptions,
  type FitResult,
  fit,
  fitAsync,
  type History,
  type InputScaling,
  type NormalizeOption,
  type OptimizerStateSnapshot,
  type ProgressEvent,
  type RestoreOptions,
  type RunOptions,
  type RunSummary,
  restoreTrainer,
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  type SnapshotModel,
  type SnapshotOptions,
  type StopReason,
  snapshotFromJSON,
  snapshotToJSON,
  type TargetScaling,
  type Trainer,
  type TrainerOptions,
  type TrainerSnapshot,
  type WebGpuFitOptions,
} from './trainer/index.js';
export type {
  AutoBackend,
  GpuLossRequest,
  GpuMlpTrainerFactory,
  GpuMlpTrainerLike,
  GpuOptimizerRequest,
  GpuTrainerRequest,
  GpuTrainerSpec,
  WebGpuBackend,
} from './webgpu.js';
