/**
 * @annlab/core: the mathematics of function approximation with neural networks, in float64.
 *
 * Each folder lists its exports by name in its own index.ts; this file gathers them.
 * @packageDocumentation
 */
export * from './activations/index.js';
export * from './autodiff/index.js';
export {
  AnnlabError,
  assertAllFinite,
  assertFiniteNumber,
  assertInteger,
  assertPositive,
  formatValue,
  invalidArgument,
  NonFiniteError,
  ShapeError,
  SingularMatrixError,
  ValidationError,
} from './errors.js';
export {
  assertAllocation,
  DEFAULT_ALLOCATION_LIMIT,
  getAllocationLimit,
  SizeLimitError,
  setAllocationLimit,
} from './limits.js';
export * from './linalg/index.js';
export * from './nn/index.js';
export * from './numerics/index.js';
export * from './random/index.js';
