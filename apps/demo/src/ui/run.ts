/**
 * One training run in its own worker, with its history accumulated for the charts.
 */
import { createTrainer, type Trainer } from '../worker/client.js';
import type { Backend, FromWorker, JobSpec } from '../worker/protocol.js';

/** Accumulated history of a run. */
export interface RunHistory {
  readonly at: number[];
  readonly loss: number[];
  readonly updates: number[];
  readonly time: number[];
}

/** Callbacks of {@link startRun}. */
export interface RunCallbacks {
  onReady?(backend: Backend, adapter: string | undefined): void;
  onProgress?(history: RunHistory, message: Extract<FromWorker, { type: 'progress' }>): void;
  onState?(running: boolean): void;
  onDone?(history: RunHistory, model: string): void;
  onError?(message: string): void;
}

/** A run: its trainer and its history. */
export interface Run {
  readonly trainer: Trainer;
  readonly history: RunHistory;
  /** Restarts with a new job (the history is cleared). */
  start(job: JobSpec): void;
  stop(): void;
}

/**
 * Starts a worker for `job` and routes its messages to the callbacks.
 *
 * @example
 * ```ts
 * const run = startRun(job, { onProgress: (h) => loss.draw(lossChartSpec({ runs: { loss: h.loss } })) });
 * ```
 */
export function startRun(job: JobSpec | undefined, cb: RunCallbacks): Run {
  const history: RunHistory = { at: [], loss: [], updates: [], time: [] };
  const clear = () => {
    for (const a of [history.at, history.loss, history.updates, history.time]) a.length = 0;
  };
  const trainer = createTrainer((m) => {
    switch (m.type) {
      case 'ready':
        cb.onReady?.(m.backend, m.adapter);
        break;
      case 'progress':
        history.at.push(...m.at);
        history.loss.push(...m.loss);
        history.updates.push(...m.updates);
        history.time.push(...m.time);
        cb.onProgress?.(history, m);
        break;
      case 'state':
        cb.onState?.(m.running);
        break;
      case 'done':
        cb.onDone?.(history, m.model);
        break;
      case 'reset':
        clear();
        break;
      case 'error':
        cb.onError?.(m.message);
        break;
    }
  });
  const run: Run = {
    trainer,
    history,
    start(next) {
      clear();
      trainer.start(next);
    },
    stop() {
      trainer.terminate();
    },
  };
  if (job) run.start(job);
  return run;
}

/** n evenly spaced points of [a, b], both ends included. */
export function linspace(a: number, b: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? b : a + ((b - a) * i) / (n - 1)));
}
