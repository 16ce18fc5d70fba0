export * from './chain/index.js';
export * from './dense/index.js';
export type {
  DeviceMlpTrainer,
  DeviceMlpTrainerFactory,
  MlpTrainerOptions,
  OptimizerSpec,
  ShuffleMode,
} from './training.js';
