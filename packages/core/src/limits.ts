/**
 * One size check before every large allocation: a request over the limit is a named error instead of
 * V8's fatal out-of-memory crash (which no `try` can catch).
 */
import { formatValue, ValidationError } from './errors.js';

/** A requested allocation is larger than the configured limit. */
export class SizeLimitError extends ValidationError {
  /** `'SizeLimitError'`. */
  override name = 'SizeLimitError';
  constructor(
    message: string,
    fn: string,
    arg: string,
    /** Elements requested. */
    readonly requested: number,
    /** The limit in force. */
    readonly limit: number,
  ) {
    super(message, fn, arg);
  }
}

/** Default allocation limit: 2²⁷ elements (1 GiB of float64). */
export const DEFAULT_ALLOCATION_LIMIT = 2 ** 27;

let allocationLimit = DEFAULT_ALLOCATION_LIMIT;

/** The largest number of elements one annlab allocation may request. */
export function getAllocationLimit(): number {
  return allocationLimit;
}

/**
 * Sets the allocation limit (elements per array); returns the previous one.
 *
 * @example
 * ```ts
 * const previous = setAllocationLimit(2 ** 30); // allow 8 GiB float64 arrays
 * setAllocationLimit(previous);
 * ```
 */
export function setAllocationLimit(elements: number): number {
  if (typeof elements !== 'number' || !Number.isSafeInteger(elements) || elements < 1) {
    throw new ValidationError(
      `setAllocationLimit: elements must be a safe integer ≥ 1, got ${formatValue(elements)}`,
      'setAllocationLimit',
      'elements',
    );
  }
  const previous = allocationLimit;
  allocationLimit = elements;
  return previous;
}

/**
 * Throws a {@link SizeLimitError} naming `fn`, `arg`, the request and the limit unless `elements` is a
 * safe integer no larger than `limit` (default: {@link getAllocationLimit}). Call it before
 * allocating.
 *
 * @example
 * ```ts
 * assertAllocation('initChain', 'depth', 2 * depth); // before new Float64Array(2 * depth)
 * ```
 */
export function assertAllocation(
  fn: string,
  arg: string,
  elements: number,
  limit: number = allocationLimit,
): void {
  if (!(elements <= limit) || !Number.isSafeInteger(elements) || elements < 0) {
    throw new SizeLimitError(
      `${fn}: ${arg} needs ${formatValue(elements)} elements, over the allocation limit of ${limit}` +
        (limit === allocationLimit ? ' (raise it with setAllocationLimit)' : ''),
      fn,
      arg,
      elements,
      limit,
    );
  }
}
