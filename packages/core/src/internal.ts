/**
 * @annlab/core/internal: the validation helpers and bare autodiff primitives that the sibling
 * annlab packages (`@annlab/gpu`, `@annlab/train`) share with core. Not part of the public API:
 * these may change in any release, without a major version. Users import from `@annlab/core`.
 *
 * @example
 * ```ts
 * import { assertInteger, invalidArgument } from '@annlab/core/internal';
 *
 * function repeat(n: unknown): number {
 *   assertInteger('repeat', 'n', n, 1);
 *   if (n > 10) throw invalidArgument('repeat', 'n', n, 'at most 10');
 *   return n; // repeat(0) throws "repeat: n must be an integer ≥ 1, got 0"
 * }
 * ```
 * @packageDocumentation
 */
export { activate, add, div, exp, log, mul, neg, pow, square, sub } from './autodiff/value.js';
export {
  assertAllFinite,
  assertFiniteNumber,
  assertInteger,
  assertPositive,
  formatValue,
  invalidArgument,
} from './errors.js';
export { isKey } from './random/key.js';
