/**
 * @annlab/train: full-batch, SGD and mini-batch training of @annlab/core networks with
 * explicit-gradient optimizers (`init`/`update` pairs in the optax style), learning-rate schedules,
 * normalisation, early stopping, divergence guard and versioned checkpoints.
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
export {
  type EarlyStoppingOptions,
  type FitOptions,
  type FitResult,
  fit,
  type History,
  type ProgressEvent,
  type StopReason,
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
  fitStandardizer,
  type Normalization,
  type Standardizer,
  standardize,
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
