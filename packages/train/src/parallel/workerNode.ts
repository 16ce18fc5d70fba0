/** Entry of a {@link GradientPool} worker under Node (`worker_threads`). */
import { parentPort, workerData } from 'node:worker_threads';
import { type ShardInit, workerLoop } from './shard.js';

workerLoop(workerData as ShardInit, (message) => parentPort?.postMessage({ error: message }));
