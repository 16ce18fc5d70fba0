/**
 * Batch iterators. Full batch, per-sample SGD and mini-batch training differ only in the plan that
 * feeds the one shared training step: which sample indices form each batch of each epoch.
 */
import { foldIn, type Key, permutation, permutationInto, ValidationError } from '@annlab/core';
import { assertInteger, formatValue, invalidArgument } from '@annlab/core/internal';

/**
 * How samples are ordered each epoch:
 * - `'epoch'` (default): a new keyed permutation every epoch, `permutation(foldIn(key, epoch), n)`;
 * - `'fixed'`: the lecture's behaviour, one permutation `permutation(key, n)` reused every epoch;
 * - `'none'`: the data order.
 */
export type ShuffleMode = 'epoch' | 'fixed' | 'none';

/**
 * A shuffle: a {@link ShuffleMode}, or a function giving epoch e's order (a permutation of
 * 0..n−1, checked each epoch), e.g. to replay orders generated elsewhere.
 */
export type Shuffle = ShuffleMode | ((epoch: number) => ArrayLike<number>);

/** The three batch modes: the whole set, one sample, or mini-batches of the given size. */
export type BatchMode = 'full' | 'sgd' | number;

/** Options of {@link batchPlan}. */
export interface BatchPlanOptions {
  /** `'full'` (default), `'sgd'` (batch size 1) or a mini-batch size k ∈ [1, n]. */
  batch?: BatchMode;
  /** Order of the samples (default `'epoch'`; ignored for `'full'`, whose order does not matter). */
  shuffle?: Shuffle;
  /** Drop the last, short batch of each epoch (default false: keep it). */
  dropLast?: boolean;
  /** Key of the shuffles (required unless the order is fixed by `'none'` or `'full'`). */
  key?: Key;
}

/**
 * The batches of every epoch over `n` samples. `order(epoch)` fills and returns the plan's own
 * `Int32Array(n)` (overwritten by the next call); batch j of that epoch is
 * `order.subarray(start(j), end(j))`. Allocation per epoch: the permutation only.
 */
export interface BatchPlan {
  readonly n: number;
  /** Size of the full batches. */
  readonly batchSize: number;
  /** Batches per epoch (the last one may be short unless `dropLast`). */
  readonly batchesPerEpoch: number;
  /** Samples used per epoch (n, or fewer when `dropLast` drops a short batch). */
  readonly samplesPerEpoch: number;
  readonly shuffle: ShuffleMode | 'custom';
  /** The sample order of the given epoch (0-based), in a buffer owned by the plan. */
  order(epoch: number): Int32Array;
  /** First position in `order` of batch j. */
  start(j: number): number;
  /** One past the last position in `order` of batch j. */
  end(j: number): number;
}

/** Resolves a {@link BatchMode} to a batch size for n samples, with the library's checks. */
export function resolveBatchSize(fn: string, batch: unknown, n: number): number {
  if (batch === 'full') return n;
  if (batch === 'sgd') return 1;
  if (typeof batch !== 'number' || !Number.isInteger(batch) || batch < 1 || batch > n) {
    throw invalidArgument(
      fn,
      'batch',
      batch,
      `'full', 'sgd' or an integer batch size in [1, ${n}] (the number of samples)`,
    );
  }
  return batch;
}

/**
 * Plans the batches of each epoch.
 *
 * @example
 * ```ts
 * const plan = batchPlan(200, { batch: 32, key: key(0) });
 * const order = plan.order(0); // a permutation of 0..199
 * for (let j = 0; j < plan.batchesPerEpoch; j++) {
 *   const idx = order.subarray(plan.start(j), plan.end(j)); // 32, 32, …, 8 samples
 * }
 * ```
 */
export function batchPlan(n: number, options: BatchPlanOptions = {}): BatchPlan {
  const fn = 'batchPlan';
  assertInteger(fn, 'n', n, 1);
  const batchSize = resolveBatchSize(fn, options.batch ?? 'full', n);
  const full = batchSize === n;
  const custom = typeof options.shuffle === 'function' ? options.shuffle : undefined;
  const shuffle = full ? 'none' : custom ? 'custom' : (options.shuffle ?? 'epoch');
  if (shuffle !== 'epoch' && shuffle !== 'fixed' && shuffle !== 'none' && shuffle !== 'custom') {
    throw invalidArgument(fn, 'shuffle', options.shuffle, "'epoch', 'fixed', 'none' or a function");
  }
  const dropLast = options.dropLast ?? false;
  if (typeof dropLast !== 'boolean') {
    throw invalidArgument(fn, 'dropLast', dropLast, 'a boolean');
  }
  const key = options.key;
  if (
    (shuffle === 'epoch' || shuffle === 'fixed') &&
    !(key instanceof Uint32Array && key.length === 2)
  ) {
    throw invalidArgument(fn, 'key', key, 'a random key (Uint32Array(2), from key(seed))');
  }
  const whole = Math.floor(n / batchSize);
  const batchesPerEpoch = dropLast || whole * batchSize === n ? whole : whole + 1;
  const samplesPerEpoch = dropLast ? whole * batchSize : n;
  const buf = new Int32Array(n);
  for (let i = 0; i < n; i++) buf[i] = i;
  if (shuffle === 'fixed') buf.set(permutation(key!, n));
  const seen = custom ? new Uint8Array(n) : undefined;
  return {
    n,
    batchSize,
    batchesPerEpoch,
    samplesPerEpoch,
    shuffle,
    order(epoch) {
      if (shuffle === 'epoch') permutationInto(foldIn(key!, epoch), buf);
      else if (custom) setCustomOrder(custom(epoch), buf, seen!, epoch);
      return buf;
    },
    start: (j) => j * batchSize,
    end: (j) => Math.min((j + 1) * batchSize, n),
  };
}

/** Copies a user-supplied order into `buf`, checking it is a permutation of 0..n−1. */
function setCustomOrder(
  order: ArrayLike<number>,
  buf: Int32Array,
  seen: Uint8Array,
  epoch: number,
): void {
  const n = buf.length;
  if (order === null || typeof order !== 'object' || order.length !== n) {
    throw invalidArgument('batchPlan', `shuffle(${epoch})`, order, `a permutation of 0..${n - 1}`);
  }
  seen.fill(0);
  if (order instanceof Int32Array) {
    // The common case (core's `permutation`): integers by construction, one monomorphic loop.
    for (let i = 0; i < n; i++) {
      const v = order[i]!;
      if (v < 0 || v >= n || seen[v] === 1) throw notPermutation(epoch, n, v, i);
      seen[v] = 1;
    }
    buf.set(order);
    return;
  }
  for (let i = 0; i < n; i++) {
    const v = order[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= n || seen[v] === 1) {
      throw notPermutation(epoch, n, v, i);
    }
    seen[v] = 1;
    buf[i] = v;
  }
}

function notPermutation(epoch: number, n: number, v: unknown, i: number): ValidationError {
  return new ValidationError(
    `batchPlan: shuffle(${epoch}) must return a permutation of 0..${n - 1}, got ${formatValue(v)} at index ${i}`,
    'batchPlan',
    'shuffle',
  );
}
