/**
 * The host's side: {@link connectTrainer} sends typed commands to a worker that runs
 * {@link serveTrainer} and hands the worker's messages of the current job to one listener.
 */
import { TrainError } from '../errors.js';
import type { TrainerSnapshot } from '../index.js';
import { listen, type MessageEndpoint } from './endpoint.js';
import type { StartOptions, TrainerCommand, TrainerEvent } from './protocol.js';

/** A trainer in a worker, driven from the host. */
export interface TrainerConnection<J> {
  /** Starts a job (replacing the current one, whose late messages are then dropped). */
  start(job: J, options?: StartOptions): void;
  pause(): void;
  resume(): void;
  /** Trains `epochs` more epochs (default 1) while paused. */
  step(epochs?: number): void;
  /** A checkpoint of the current job's trainer (model, optimizer and shuffle state). */
  snapshot(): Promise<TrainerSnapshot>;
  /** Stops the job: the worker answers `done` with `stopReason: 'aborted'` and the last parameters. */
  abort(): void;
  /** Stops listening (the caller terminates the worker itself). */
  close(): void;
}

/** Error of a failed {@link TrainerConnection.snapshot}: the worker's error name and message. */
export class WorkerTrainerError extends TrainError {
  override name = 'WorkerTrainerError';
  constructor(
    message: string,
    /** The error's class name in the worker. */
    readonly causeName: string,
  ) {
    super(message);
  }
}

/**
 * Connects to a worker that serves a trainer. `onEvent` gets the current job's messages (those of
 * a replaced job are dropped); `snapshot` replies resolve the promise `snapshot()` returned.
 *
 * @example
 * ```ts
 * const worker = new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' });
 * const trainer = connectTrainer<Job>(worker, (m) => {
 *   if (m.type === 'progress') draw(m.loss);
 *   if (m.type === 'done') save(m.model);
 * });
 * trainer.start(job, { progressEvery: 10 });
 * ```
 */
export function connectTrainer<J, I = unknown, X = unknown>(
  endpoint: MessageEndpoint,
  onEvent: (event: TrainerEvent<I, X>) => void,
): TrainerConnection<J> {
  const fn = 'connectTrainer';
  if (typeof onEvent !== 'function') {
    throw new TypeError(`${fn}: onEvent must be a function, got ${String(onEvent)}`);
  }
  let current = 0;
  let nextRequest = 0;
  const pending = new Map<number, { ok: (s: TrainerSnapshot) => void; fail: (e: Error) => void }>();
  const send = (m: TrainerCommand<J>) => endpoint.postMessage(m, []);
  const unlisten = listen(fn, endpoint, (raw) => {
    const m = raw as TrainerEvent<I, X>;
    if (m.type === 'snapshot' || (m.type === 'error' && m.request !== undefined)) {
      const p = pending.get(m.request!);
      pending.delete(m.request!);
      if (m.type === 'snapshot') p?.ok(m.snapshot);
      else p?.fail(new WorkerTrainerError(m.message, m.name));
      return;
    }
    if (m.id === current) onEvent(m);
  });
  return {
    start(job, options = {}) {
      current++;
      send({ ...options, type: 'start', id: current, job });
    },
    pause: () => send({ type: 'pause' }),
    resume: () => send({ type: 'resume' }),
    step(epochs = 1) {
      if (!Number.isInteger(epochs) || epochs < 1) {
        throw new RangeError(`${fn}: step epochs must be an integer ≥ 1, got ${epochs}`);
      }
      send({ type: 'step', epochs });
    },
    snapshot() {
      const request = nextRequest++;
      return new Promise<TrainerSnapshot>((ok, fail) => {
        pending.set(request, { ok, fail });
        send({ type: 'snapshot', request });
      });
    },
    abort: () => send({ type: 'abort' }),
    close() {
      unlisten();
      for (const p of pending.values()) p.fail(new WorkerTrainerError(`${fn}: closed`, 'Error'));
      pending.clear();
    },
  };
}
