export { type AllcloseResult, allclose, type Numeric, type Tolerance } from './allclose.js';
export {
  type GradcheckResult,
  gradcheck,
  numericDerivative,
  numericGradient,
} from './gradcheck.js';
export { toBeAllclose } from './matchers.js';
export { type SeededRandom, seeded } from './random.js';
