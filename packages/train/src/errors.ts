/**
 * Error classes of @annlab/train. All extend `AnnlabError` from `@annlab/core`, so one
 * `instanceof AnnlabError` catches every annlab failure. Argument errors reuse core's
 * `ValidationError` (message `fn: arg must be …, got …`).
 */
import { AnnlabError } from '@annlab/core';

/** Base class of the errors specific to training. */
export class TrainError extends AnnlabError {
  override name = 'TrainError';
}

/**
 * Training produced a non-finite loss or gradient. Training stops at once; nothing returns NaN
 * parameters. `lastGoodParams` holds a copy of the parameters at the start of the epoch in which
 * the divergence happened (all finite), `epoch` that epoch (0-based) and `step` the update count.
 *
 * @example
 * ```ts
 * try { fit(model, data, { optimizer: sgd(1e6), epochs: 10 }); }
 * catch (e) { if (e instanceof DivergenceError) console.log(e.epoch, e.lastGoodParams); }
 * ```
 */
export class DivergenceError extends TrainError {
  override name = 'DivergenceError';
  constructor(
    message: string,
    /** Copy of the last finite parameters (flat layout of the model). */
    readonly lastGoodParams: Float64Array,
    /** The epoch (0-based) in which the loss or gradient became non-finite. */
    readonly epoch: number,
    /** Number of updates applied before the failing one. */
    readonly step: number,
  ) {
    super(message);
  }
}

/** A saved model is malformed, truncated, of an unknown format or of an unsupported version. */
export class CheckpointError extends TrainError {
  override name = 'CheckpointError';
  constructor(
    message: string,
    /** JSON path of the offending field (`$.params[3]`), or `$` for the whole document. */
    readonly path: string,
  ) {
    super(message);
  }
}

/**
 * A data table (CSV/TSV) cannot be read as asked: empty, ragged, a bad or missing cell, an unknown
 * column, too few classes, too large. The message names the source (file name), the row (counted
 * from 1 with the header, as a spreadsheet shows it) and the column where they apply.
 *
 * @example
 * ```ts
 * try { readTable('a,b\n1,x\n', { x: ['a'], y: 'b' }); }
 * catch (e) { if (e instanceof TableError) console.log(e.row, e.column); } // 2 "b"
 * ```
 */
export class TableError extends TrainError {
  override name = 'TableError';
  constructor(
    message: string,
    /** The source: a file name, or `'<string>'` / `'<blob>'` when none was given. */
    readonly source: string,
    /** Row of the problem (1-based, the header is row 1), or null when it is not one row's. */
    readonly row: number | null = null,
    /** The column's name (or `c<index>` without a header), or null. */
    readonly column: string | null = null,
  ) {
    super(message);
  }
}

/**
 * A trainer was used in a state that does not allow it: after `dispose()`, after it diverged,
 * after it finished, while `run()` is in progress, or a synchronous call (`step`, `runEpochs`) on a
 * WebGPU trainer, whose work is asynchronous (`'asynchronous'`). `state` says which.
 *
 * @example
 * ```ts
 * trainer.dispose();
 * trainer.step(); // TrainerStateError: step: the trainer was disposed
 * ```
 */
export class TrainerStateError extends TrainError {
  override name = 'TrainerStateError';
  constructor(
    message: string,
    /** Why the call was refused. */
    readonly state: 'disposed' | 'diverged' | 'finished' | 'running' | 'asynchronous',
  ) {
    super(message);
  }
}

/**
 * A trainer snapshot does not fit: malformed, another format or version, a field of the wrong
 * shape (another model's), or an optimizer other than the one it stored. `path` is the JSON path
 * of the mismatch (`$.optimizer.state.buffers.mu`).
 *
 * @example
 * ```ts
 * try { restoreTrainer(snapshot, data); }
 * catch (e) { if (e instanceof SnapshotError) console.log(e.path); }
 * ```
 */
export class SnapshotError extends TrainError {
  override name = 'SnapshotError';
  constructor(
    message: string,
    /** JSON path of the offending field, `$` for the whole snapshot. */
    readonly path: string,
  ) {
    super(message);
  }
}
