import { allclose, type Numeric, type Tolerance } from './allclose.js';

/** `expect(actual).toBeAllclose(expected, { rtol, atol })`: both tolerances are required. */
export function toBeAllclose(actual: unknown, expected: Numeric, tol: Tolerance) {
  const r = allclose(actual as Numeric, expected, tol);
  return {
    pass: r.ok,
    message: () =>
      r.ok
        ? `expected values not to be allclose, but ${r.message}`
        : `expected allclose: ${r.message}`,
  };
}

declare module 'vitest' {
  // biome-ignore lint/suspicious/noExplicitAny: must match vitest's own declaration exactly
  interface Matchers<T = any> {
    toBeAllclose(expected: Numeric, tol: Tolerance): T;
  }
}
