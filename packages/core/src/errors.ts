/**
 * Error classes of @annlab/core. Every public function validates its inputs at the boundary and
 * throws one of these with a message naming the function, the argument and the offending value:
 * `solveLowerTriangular: L has a zero pivot at row 3 (L[3][3] = 0)`.
 */

/** Base class of every error thrown by annlab packages. */
export class AnnlabError extends Error {
  /** The class name, `'AnnlabError'` (subclasses set their own). */
  override name = 'AnnlabError';
}

/** An argument has the wrong type, range or value. */
export class ValidationError extends AnnlabError {
  /** `'ValidationError'`. */
  override name = 'ValidationError';
  constructor(
    message: string,
    /** The function that rejected the input. */
    readonly fn: string,
    /** The argument's name. */
    readonly arg: string,
  ) {
    super(message);
  }
}

/** Array or matrix dimensions do not agree. */
export class ShapeError extends ValidationError {
  /** `'ShapeError'`. */
  override name = 'ShapeError';
}

/** A matrix is singular (or not of the required structure) where a solve needs it to be regular. */
export class SingularMatrixError extends AnnlabError {
  /** `'SingularMatrixError'`. */
  override name = 'SingularMatrixError';
  constructor(
    message: string,
    /** The function whose solve failed. */
    readonly fn: string,
    /** Row of the offending pivot. */
    readonly row: number,
  ) {
    super(message);
  }
}

/** A computation produced NaN or ±Infinity where a finite value is required. */
export class NonFiniteError extends AnnlabError {
  /** `'NonFiniteError'`. */
  override name = 'NonFiniteError';
}

/** Formats a value for an error message: short, unambiguous (`-0`, `NaN`, `[3 items]`). */
export function formatValue(value: unknown): string {
  if (typeof value === 'number') {
    if (Object.is(value, -0)) return '-0';
    return String(value);
  }
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return String(value);
  if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    const arr = value as unknown as ArrayLike<unknown>;
    return `${value.constructor.name}(${arr.length})`;
  }
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Builds a ValidationError: `${fn}: ${arg} must be ${expectation}, got ${value}`. */
export function invalidArgument(
  fn: string,
  arg: string,
  value: unknown,
  expectation: string,
): ValidationError {
  return new ValidationError(
    `${fn}: ${arg} must be ${expectation}, got ${formatValue(value)}`,
    fn,
    arg,
  );
}

/** Throws unless `value` is a finite number. */
export function assertFiniteNumber(
  fn: string,
  arg: string,
  value: unknown,
): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalidArgument(fn, arg, value, 'a finite number');
  }
}

/** Throws unless `value` is an integer in [min, max]. */
export function assertInteger(
  fn: string,
  arg: string,
  value: unknown,
  min = Number.MIN_SAFE_INTEGER,
  max = Number.MAX_SAFE_INTEGER,
): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range =
      max === Number.MAX_SAFE_INTEGER
        ? min === Number.MIN_SAFE_INTEGER
          ? 'an integer'
          : `an integer ≥ ${min}`
        : `an integer in [${min}, ${max}]`;
    throw invalidArgument(fn, arg, value, range);
  }
}

/** Throws unless `value` is a number > 0 and finite. */
export function assertPositive(fn: string, arg: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw invalidArgument(fn, arg, value, 'a finite number > 0');
  }
}

/** Throws unless every element is finite; names the first bad index. */
export function assertAllFinite(fn: string, arg: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      throw new ValidationError(
        `${fn}: ${arg} must be finite, got ${formatValue(v)} at index ${i}`,
        fn,
        arg,
      );
    }
  }
}
