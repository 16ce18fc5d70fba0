/**
 * The trainer in a real Web Worker in headless Chromium: the worker (test-helpers/browser.worker.ts,
 * bundled by vite) serves the test jobs; the page connects to it and compares with the same trainer
 * run in the page.
 */
import { describe, expect, it } from 'vitest';
import { harness } from './test-helpers/harness.js';
import { buildTrainer, type TestJob } from './test-helpers/jobs.js';

describe('in a Web Worker (Chromium)', () => {
  it('trains, pauses, steps and snapshots as the trainer does in the page', async () => {
    const worker = new Worker(new URL('./test-helpers/browser.worker.ts', import.meta.url), {
      type: 'module',
    });
    try {
      const h = harness(worker);
      const job: TestJob = { model: 'mlp', batch: 8, epochs: 60, schedule: true };
      h.connection.start(job, { paused: true, progressEvery: 5 });
      await h.until(h.of('ready'));
      h.connection.step(5);
      await h.until(
        (e): e is Extract<typeof e, { type: 'state' }> =>
          e.type === 'state' && !e.running && e.epoch === 5,
      );
      const snapshot = await h.connection.snapshot();
      h.connection.resume();
      const done = await h.until(h.of('done'));
      const ref = buildTrainer(job);
      ref.runEpochs(60);
      // The same float64 code in a worker: bit-identical parameters and losses.
      expect(done.params).toBeInstanceOf(Float64Array);
      expect(done.params).toBeAllclose(ref.params, { rtol: 0, atol: 0 });
      const loss = h.progress().flatMap((p) => Array.from(p.loss));
      expect(loss).toBeAllclose(Array.from(ref.result().history.loss), { rtol: 0, atol: 0 });
      // The snapshot taken after 5 epochs, restored in the page, ends at the same parameters.
      const restored = buildTrainer({ ...job, snapshot });
      expect(restored.epoch).toBe(5);
      restored.runEpochs(55);
      expect(restored.params).toBeAllclose(ref.params, { rtol: 0, atol: 0 });
    } finally {
      worker.terminate();
    }
  });
});
