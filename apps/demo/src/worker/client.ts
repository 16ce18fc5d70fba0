/**
 * The page's side of the training worker: a small typed wrapper that starts jobs and forwards the
 * worker's messages to one listener.
 */
import type { FromWorker, JobSpec, ToWorker } from './protocol.js';

/** A training worker owned by one chapter. */
export interface Trainer {
  start(job: JobSpec): void;
  pause(): void;
  resume(): void;
  step(): void;
  reset(): void;
  /** Ends the worker; the trainer cannot be used afterwards. */
  terminate(): void;
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
  worker.onmessage = (e: MessageEvent<FromWorker>) => onMessage(e.data);
  worker.onerror = (e) => onMessage({ type: 'error', message: e.message || 'the worker failed' });
  const send = (m: ToWorker) => worker.postMessage(m);
  return {
    start: (job) => send({ type: 'start', job }),
    pause: () => send({ type: 'pause' }),
    resume: () => send({ type: 'resume' }),
    step: () => send({ type: 'step' }),
    reset: () => send({ type: 'reset' }),
    terminate: () => worker.terminate(),
  };
}
