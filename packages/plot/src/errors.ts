/**
 * Error classes of @annlab/plot. The package depends on no other annlab package, so these extend
 * the built-in `Error`; messages name the function, the argument and the offending value:
 * `lineChart: series[1] ("fit") has x.length 100 but y.length 99`.
 */

/** Base class of every error thrown by @annlab/plot. */
export class PlotError extends Error {
  override name = 'PlotError';
}

/** An argument has the wrong type, range, shape or value. */
export class PlotDataError extends PlotError {
  override name = 'PlotDataError';
  constructor(
    message: string,
    /** The function that rejected the input. */
    readonly fn: string,
    /** The argument's name (a path such as `series[1].y`). */
    readonly arg: string,
  ) {
    super(message);
  }
}

/** Exporting a chart failed (for example the optional PNG renderer is not installed). */
export class PlotExportError extends PlotError {
  override name = 'PlotExportError';
}

/** Formats a value for an error message: short and unambiguous (`-0`, `NaN`, `Float64Array(3)`). */
export function describe(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return String(value);
  if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    return `${value.constructor.name}(${(value as unknown as ArrayLike<unknown>).length})`;
  }
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** `${fn}: ${arg} must be ${expectation}, got ${value}`. */
export function invalid(
  fn: string,
  arg: string,
  value: unknown,
  expectation: string,
): PlotDataError {
  return new PlotDataError(`${fn}: ${arg} must be ${expectation}, got ${describe(value)}`, fn, arg);
}

/** True for arrays and typed arrays (anything with a numeric length that is not a string). */
export function isArrayLike(value: unknown): value is ArrayLike<number> {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { length?: unknown }).length === 'number'
  );
}

/** Throws unless `value` is an array-like of numbers (entries are not inspected: NaN is a gap). */
export function assertArrayLike(fn: string, arg: string, value: unknown): ArrayLike<number> {
  if (!isArrayLike(value)) throw invalid(fn, arg, value, 'an array or typed array of numbers');
  return value;
}

/** Throws unless `value` is undefined or a finite number > 0. */
export function assertPositiveOptional(fn: string, arg: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw invalid(fn, arg, value, 'a finite number > 0');
  }
}
