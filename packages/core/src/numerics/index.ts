export { type BisectOptions, type BisectResult, bisect } from './bisect.js';
export {
  type FixedPointOptions,
  type FixedPointReason,
  type FixedPointResult,
  fixedPoint,
} from './fixedPoint.js';
export {
  conditionalExponentialMean,
  type MonteCarloResult,
  monteCarlo,
} from './monteCarlo.js';
