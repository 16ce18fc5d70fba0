/**
 * @annlab/core: the mathematics of function approximation with neural networks, in float64.
 *
 * Each folder lists its exports by name in its own index.ts; this file gathers them.
 * @packageDocumentation
 */
export * from './activations/index.js';
// Autodiff: the Value and Dual APIs; the bare primitives (add, mul, exp, ...) are methods of Value
// and live in @annlab/core/internal for the sibling packages.
export {
  type BinaryPrim,
  backward,
  type DiffScalar,
  Dual,
  dual,
  type Gradients,
  grad,
  type JvpResult,
  jacfwd,
  jacrev,
  jvp,
  type Prim,
  sum,
  type UnaryPrim,
  Value,
  valueAndGrad,
  valueAndGradVector,
} from './autodiff/index.js';
// Validation helpers (assertInteger, invalidArgument, formatValue, ...) are in @annlab/core/internal.
export {
  AnnlabError,
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
export {
  bernoulli,
  type ExponentialOptions,
  erfinvF32,
  exponential,
  foldIn,
  initNetworkParams,
  type Key,
  type KeyOptions,
  key,
  keyFromData,
  keyToString,
  type LayerParams,
  normal,
  permutation,
  permutationInto,
  type RandomShape,
  randomBits,
  type Scheme,
  type SchemeOptions,
  split,
  threefry2x32,
  type UniformOptions,
  uniform,
} from './random/index.js';
