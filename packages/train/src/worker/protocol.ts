/**
 * The typed message protocol between a page (or a Node thread) and a trainer running in a worker.
 *
 * The host sends {@link TrainerCommand}s: `start` (a job, numbered by the host), `pause`, `resume`,
 * `step` (k epochs while paused), `snapshot` (a numbered request) and `abort`. The worker answers
 * with {@link TrainerEvent}s, each tagged with the job's number so that a host can drop the late
 * messages of a job it has replaced: `ready`, `state`, `progress`, `snapshot`, `done` and `error`.
 *
 * Parameters and histories travel as typed arrays whose buffers are transferred (never shared with
 * the trainer: the worker copies its live parameters into a fresh buffer for each message).
 */
import type { StopReason, TrainerSnapshot } from '../index.js';

/** Options of a `start` command that apply to any job. */
export interface StartOptions {
  /** Set the trainer up and report `ready`, but wait for `resume` or `step` (default false). */
  readonly paused?: boolean;
  /** Epochs per `progress` message (integer ≥ 1, default 1); the last epoch of a run always reports. */
  readonly progressEvery?: number;
  /** How often the running trainer yields to the worker's event loop (default: the trainer's). */
  readonly yieldEveryMs?: number;
}

/** Messages to the worker. `J` is the job description the worker's `setup` understands. */
export type TrainerCommand<J> =
  | ({ readonly type: 'start'; readonly id: number; readonly job: J } & StartOptions)
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  | { readonly type: 'step'; readonly epochs: number }
  | { readonly type: 'snapshot'; readonly request: number }
  | { readonly type: 'abort' };

/** The epochs trained since the previous `progress` message, and the state after the last. */
export interface ProgressMessage<X> {
  readonly type: 'progress';
  readonly id: number;
  /** Epochs completed. */
  readonly epoch: number;
  /** Epochs of the job. */
  readonly epochs: number;
  /** Epoch numbers (1-based) of the points below. */
  readonly at: Float64Array;
  /** Training loss of those epochs. */
  readonly loss: Float64Array;
  /** Validation loss of those epochs (NaN without validation). */
  readonly valLoss: Float64Array;
  /** Updates made by the end of those epochs. */
  readonly updates: Float64Array;
  /** Milliseconds of training (pauses excluded) by the end of those epochs. */
  readonly time: Float64Array;
  /** Mean per-layer gradient norms of the last epoch (with `recordGradNorms`). */
  readonly gradNorms?: Float64Array;
  /** A copy of the current flat parameters. */
  readonly params: Float64Array;
  /** What the worker's `extra` hook returned for this message (e.g. a prediction on a grid). */
  readonly extra?: X;
}

/** Messages from the worker. `I` is what `setup` reports with `ready`, `X` the progress extra. */
export type TrainerEvent<I = unknown, X = unknown> =
  | {
      readonly type: 'ready';
      readonly id: number;
      /** Epochs already trained (non-zero when restored from a snapshot). */
      readonly epoch: number;
      readonly epochs: number;
      readonly info?: I;
    }
  | {
      readonly type: 'state';
      readonly id: number;
      readonly running: boolean;
      readonly epoch: number;
    }
  | ProgressMessage<X>
  | {
      readonly type: 'snapshot';
      readonly id: number;
      readonly request: number;
      readonly snapshot: TrainerSnapshot;
    }
  | {
      readonly type: 'done';
      readonly id: number;
      readonly epoch: number;
      readonly stopReason: StopReason;
      /** Epoch (1-based) of the parameters returned (the best one with `restoreBest`). */
      readonly bestEpoch: number;
      /** The final parameters (a copy). */
      readonly params: Float64Array;
      /** The trained model as train's checkpoint JSON (`saveModel`). */
      readonly model: string;
    }
  | {
      readonly type: 'error';
      readonly id: number;
      /** Set when the error answers a `snapshot` request. */
      readonly request?: number;
      /** The error's class name (`DivergenceError`, `ValidationError`, …). */
      readonly name: string;
      readonly message: string;
      /** Epochs completed when it happened. */
      readonly epoch: number;
      /** The last good parameters (a copy), when a trainer existed. */
      readonly params?: Float64Array;
    };
