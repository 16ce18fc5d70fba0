/**
 * `@annlab/train/worker`: a trainer in a Web Worker or a `worker_threads` worker, behind a typed
 * message protocol. The worker calls {@link serveTrainer} with a `setup` that builds a trainer from
 * the host's job description; the host calls {@link connectTrainer} and gets typed commands
 * (start, pause, resume, step, snapshot, abort) and events (ready, state, progress, snapshot,
 * done, error). Parameters travel as transferred `Float64Array` buffers.
 * @packageDocumentation
 */
export { listen, type MessageEndpoint } from './endpoint.js';
export { connectTrainer, type TrainerConnection, WorkerTrainerError } from './host.js';
export type { ProgressMessage, StartOptions, TrainerCommand, TrainerEvent } from './protocol.js';
export {
  type ServeOptions,
  type SetupContext,
  serveTrainer,
  type TrainerServer,
  type WorkerSetup,
  type WorkerTrainer,
} from './serve.js';
