export type { EarlyStoppingConfig, TrainConfig } from './config.js';
export { fit, fitAsync } from './fit.js';
export {
  type OptimizerStateSnapshot,
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  type SnapshotModel,
  type SnapshotOptions,
  snapshotFromJSON,
  snapshotToJSON,
  type TrainerSnapshot,
} from './snapshot.js';
export {
  createTrainer,
  type RestoreOptions,
  type RunOptions,
  type RunSummary,
  restoreTrainer,
  type Trainer,
} from './trainer.js';
export type {
  EarlyStoppingOptions,
  FitOptions,
  FitResult,
  History,
  InputScaling,
  NormalizeOption,
  ProgressEvent,
  StopReason,
  TargetScaling,
  TrainerOptions,
  WebGpuFitOptions,
} from './types.js';
