export { type RandomShape, randomBits } from './bits.js';
export {
  bernoulli,
  type ExponentialOptions,
  exponential,
  normal,
  type UniformOptions,
  uniform,
} from './distributions.js';
export { erfinvF32 } from './float32.js';
export { initNetworkParams, type LayerParams } from './init.js';
export {
  foldIn,
  isKey,
  type Key,
  type KeyOptions,
  key,
  keyFromData,
  keyToString,
  type Scheme,
  type SchemeOptions,
  split,
} from './key.js';
export { permutation, permutationInto } from './permutation.js';
export { threefry2x32 } from './threefry.js';
