export { Dual, dual, type JvpResult, jacfwd, jvp } from './dual.js';
export { grad, jacrev, valueAndGrad, valueAndGradVector } from './grad.js';
export type { BinaryPrim, DiffScalar, Prim, UnaryPrim } from './rules.js';
export {
  activate,
  add,
  backward,
  div,
  exp,
  type Gradients,
  log,
  mul,
  neg,
  pow,
  square,
  sub,
  sum,
  Value,
} from './value.js';
