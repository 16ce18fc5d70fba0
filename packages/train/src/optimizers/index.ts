export {
  type AdamOptions,
  type AdamState,
  type AdamWOptions,
  adam,
  adamw,
  addDecayedWeights,
  scaleByAdam,
} from './adam.js';
export { applyUpdates } from './apply.js';
export { type ChainState, chain } from './chain.js';
export { clipByGlobalNorm, globalNorm } from './clip.js';
export { optimizerFromConfig } from './fromConfig.js';
export { momentum, type TraceState, trace } from './momentum.js';
export { type SgdOptions, type SgdState, scaleByLearningRate, sgd } from './sgd.js';
export type {
  GradientTransformation,
  OptimizerConfig,
  OptimizerState,
  UpdateResult,
} from './types.js';
