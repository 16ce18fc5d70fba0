/** Entry of a {@link GradientPool} worker in browsers (a module Web Worker). */
import { type ShardInit, workerLoop } from './shard.js';

interface WorkerScope {
  onmessage: ((event: { data: ShardInit }) => void) | null;
  postMessage(message: unknown): void;
}

const scope = globalThis as unknown as WorkerScope;
scope.onmessage = (event) => {
  scope.onmessage = null;
  workerLoop(event.data, (message) => scope.postMessage({ error: message }));
};
