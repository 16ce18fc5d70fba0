/** A `worker_threads` worker serving the test jobs (bundled by the test with esbuild). */
import { parentPort } from 'node:worker_threads';
import { serveTrainer } from '../index.js';
import { setupTestJob, type TestJob } from './jobs.js';

if (!parentPort) throw new Error('node.worker: run me with worker_threads');
serveTrainer<TestJob>(parentPort, { setup: setupTestJob });
