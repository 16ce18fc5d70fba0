/// <reference lib="webworker" />
/** A Web Worker serving the test jobs (the Chromium test loads it through vite). */
import { serveTrainer } from '../index.js';
import { setupTestJob, type TestJob } from './jobs.js';

serveTrainer<TestJob>(self as unknown as Parameters<typeof serveTrainer>[0], {
  setup: setupTestJob,
});
