/**
 * The page's side of the training worker: `@annlab/train/worker`'s `connectTrainer`, with the
 * worker's events turned into the demo's {@link FromWorker} messages for one listener.
 */
import { connectTrainer, type TrainerEvent } from '@annlab/train/worker';
import type { ProgressExtra, ReadyInfo } from './adapter.js';
import type { FromWorker, JobSpec } from './protocol.js';

/** A training worker owned by one chapter. */
export interface Trainer {
  start(job: JobSpec): void;
  pause(): void;
  resume(): void;
  step(): void;
  /** Stops the job and forgets it (the listener gets `reset`). */
  reset(): void;
  /** Ends the worker; the trainer cannot be used afterwards. */
  terminate(): void;
}

/** The demo's message for a worker event; undefined for events the demo does not show. */
export function toDemoMessage(m: TrainerEvent<ReadyInfo, ProgressExtra>): FromWorker | undefined {
  switch (m.type) {
    case 'ready':
      return {
        type: 'ready',
        backend: m.info?.backend ?? 'cpu',
        ...(m.info?.adapter ? { adapter: m.info.adapter } : {}),
      };
    case 'progress':
      return {
        type: 'progress',
        epoch: m.epoch,
        epochs: m.epochs,
        at: Array.from(m.at),
        loss: Array.from(m.loss),
        updates: Array.from(m.updates),
        time: Array.from(m.time),
        ...(m.extra?.prediction ? { prediction: Array.from(m.extra.prediction) } : {}),
        ...(m.valLoss.length > 0 && m.valLoss.some((v) => !Number.isNaN(v))
          ? { testLoss: Array.from(m.valLoss) }
          : m.extra?.testLoss !== undefined
            ? {
                testLoss: Array.from(m.at, (_, i) =>
                  i === m.at.length - 1 ? m.extra!.testLoss! : Number.NaN,
                ),
              }
            : {}),
        ...(m.extra?.accuracy ? { accuracy: m.extra.accuracy } : {}),
        ...(m.extra?.neurons ? { neurons: m.extra.neurons } : {}),
        ...(m.gradNorms ? { gradNorms: Array.from(m.gradNorms) } : {}),
        params: Array.from(m.params),
      };
    case 'state':
      return { type: 'state', running: m.running };
    case 'done':
      // An aborted job is a reset, which the client reports itself.
      return m.stopReason === 'aborted'
        ? undefined
        : { type: 'done', epoch: m.epoch, model: m.model };
    case 'error':
      return { type: 'error', message: m.message };
    default:
      return undefined;
  }
}

/**
 * Starts a worker and calls `onMessage` with each of its messages.
 *
 * @example
 * ```ts
 * const trainer = createTrainer((m) => m.type === 'progress' && draw(m));
 * trainer.start(job);
 * ```
 */
export function createTrainer(onMessage: (message: FromWorker) => void): Trainer {
  const worker = new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' });
  worker.onerror = (e) => onMessage({ type: 'error', message: e.message || 'the worker failed' });
  /** After a reset, the aborted job's last messages are not shown. */
  let forgotten = false;
  const connection = connectTrainer<JobSpec, ReadyInfo, ProgressExtra>(worker, (m) => {
    const out = forgotten ? undefined : toDemoMessage(m);
    if (out) onMessage(out);
  });
  return {
    start(job) {
      forgotten = false;
      connection.start(job, {
        paused: job.paused === true,
        // On the CPU every epoch is recorded and sent in chunks; on the GPU the trainer reads the
        // loss back once per chunk, so each reading goes out at once.
        progressEvery: job.backend === 'webgpu' ? 1 : job.chunk,
      });
    },
    pause: () => connection.pause(),
    resume: () => connection.resume(),
    step: () => connection.step(1),
    reset() {
      forgotten = true;
      connection.abort();
      onMessage({ type: 'reset' });
    },
    terminate() {
      connection.close();
      worker.terminate();
    },
  };
}
