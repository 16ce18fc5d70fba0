import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { loadModel } from '../index.js';
import { WorkerTrainerError } from './host.js';
import { serveTrainer } from './serve.js';
import { harness } from './test-helpers/harness.js';
import { buildTrainer, setupTestJob, type TestJob } from './test-helpers/jobs.js';

/** Parameters of the trainer a job describes after `epochs` epochs run in one synchronous call. */
function reference(job: TestJob, epochs = job.epochs) {
  const t = buildTrainer(job);
  t.runEpochs(epochs);
  const r = t.result();
  t.dispose();
  return r;
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

/** A server on one end of a MessageChannel (same thread) and a recording host on the other. */
function inThread() {
  const { port1, port2 } = new MessageChannel();
  const server = serveTrainer<TestJob>(port1, { setup: setupTestJob });
  const h = harness(port2);
  cleanups.push(() => {
    h.connection.close();
    server.close();
    port1.close();
    port2.close();
  });
  return h;
}

describe('serveTrainer + connectTrainer (MessageChannel)', () => {
  const cases: TestJob[] = [];
  for (const model of ['chain', 'mlp'] as const) {
    for (const batch of ['full', 'sgd', 8] as const) cases.push({ model, batch, epochs: 30 });
  }

  it.each(cases)(
    'trains $model, batch $batch: the same parameters and losses as runEpochs in one call',
    async (job) => {
      const h = inThread();
      h.connection.start(job, { progressEvery: 7 });
      const done = await h.until(h.of('done'));
      const ref = reference(job);
      expect(done.stopReason).toBe('epochs');
      expect(done.epoch).toBe(30);
      // Bit-identical: the worker runs the same trainer, only in runs with yields.
      expect(done.params).toBeAllclose(ref.params, { rtol: 0, atol: 0 });
      expect(loadModel(done.model).kind).toBe(job.model);
      const progress = h.progress();
      // Every 7 epochs and the last: 7, 14, 21, 28, 30.
      expect(progress.map((p) => p.epoch)).toEqual([7, 14, 21, 28, 30]);
      const at = progress.flatMap((p) => Array.from(p.at));
      expect(at).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      const loss = progress.flatMap((p) => Array.from(p.loss));
      expect(loss).toBeAllclose(Array.from(ref.history.loss), { rtol: 0, atol: 0 });
      expect(progress.at(-1)!.params).toBeAllclose(ref.params, { rtol: 0, atol: 0 });
      expect(progress.map((p) => p.extra?.epoch)).toEqual([7, 14, 21, 28, 30]);
      const ready = await h.until(h.of('ready'));
      expect(ready).toMatchObject({ epoch: 0, epochs: 30, info: { n: 40 } });
    },
  );

  it('paused start, steps, pause mid-run and resume continue one trajectory (Adam, cosine schedule, mini-batches)', async () => {
    const job: TestJob = { model: 'mlp', batch: 8, epochs: 400, schedule: true };
    const h = inThread();
    h.connection.start(job, { paused: true, progressEvery: 1, yieldEveryMs: 0 });
    await h.until(h.of('ready'));
    h.connection.step(2);
    h.connection.step(3);
    await h.until(
      (e): e is Extract<typeof e, { type: 'progress' }> => e.type === 'progress' && e.epoch === 5,
    );
    h.connection.resume();
    await h.until(
      (e): e is Extract<typeof e, { type: 'progress' }> => e.type === 'progress' && e.epoch > 5,
    );
    h.connection.pause();
    const paused = h.events.length;
    const stopped = await h.until(
      (e): e is Extract<typeof e, { type: 'state' }> => e.type === 'state' && !e.running,
      paused,
    );
    // The pause took effect before the end (the trainer yields every epoch here).
    expect(stopped.epoch).toBeLessThan(400);
    h.connection.resume();
    const done = await h.until(h.of('done'));
    const ref = reference(job);
    expect(done.params).toBeAllclose(ref.params, { rtol: 0, atol: 0 });
    const at = h.progress().flatMap((p) => Array.from(p.at));
    expect(at).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    const loss = h.progress().flatMap((p) => Array.from(p.loss));
    expect(loss).toBeAllclose(Array.from(ref.history.loss), { rtol: 0, atol: 0 });
  });

  it('stops on early stopping as runEpochs does', async () => {
    const job: TestJob = {
      model: 'chain',
      batch: 'full',
      epochs: 3000,
      patience: 3,
      learningRate: 2,
    };
    const ref = reference(job);
    expect(ref.stopReason).toBe('earlyStopping');
    const h = inThread();
    h.connection.start(job, { progressEvery: 50 });
    const done = await h.until(h.of('done'));
    expect(done.stopReason).toBe('earlyStopping');
    expect(done.epoch).toBe(ref.epochs);
    expect(done.bestEpoch).toBe(ref.bestEpoch);
    expect(done.params).toBeAllclose(ref.params, { rtol: 0, atol: 0 });
  });

  it('a snapshot taken over the protocol restores (in a new job) to the same end', async () => {
    const job: TestJob = { model: 'mlp', batch: 'sgd', epochs: 25, schedule: true };
    const h = inThread();
    h.connection.start({ ...job }, { paused: true });
    await h.until(h.of('ready'));
    h.connection.step(10);
    await h.until(
      (e): e is Extract<typeof e, { type: 'state' }> =>
        e.type === 'state' && !e.running && e.epoch === 10,
    );
    const snapshot = await h.connection.snapshot();
    h.connection.start({ ...job, snapshot });
    const ready = await h.until(
      (e): e is Extract<typeof e, { type: 'ready' }> => e.type === 'ready' && e.id === 2,
    );
    expect(ready.epoch).toBe(10);
    const done = await h.until(h.of('done'));
    expect(done.epoch).toBe(25);
    expect(done.params).toBeAllclose(reference(job).params, { rtol: 0, atol: 0 });
  });

  it('a snapshot asked for while running is taken at a yield, and the run goes on unchanged', async () => {
    const job: TestJob = { model: 'mlp', batch: 8, epochs: 300, schedule: true };
    const h = inThread();
    h.connection.start(job, { yieldEveryMs: 0, progressEvery: 10 });
    await h.until(h.of('progress'));
    const snapshot = await h.connection.snapshot();
    const done = await h.until(h.of('done'));
    const ref = reference(job);
    // The snapshot stopped the run between updates, yet the run ends where one call does.
    expect(snapshot.position.epoch).toBeGreaterThan(0);
    expect(snapshot.position.epoch).toBeLessThan(300);
    expect(done.params).toBeAllclose(ref.params, { rtol: 0, atol: 0 });
    const at = h.progress().flatMap((p) => Array.from(p.at));
    expect(at).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    // And the snapshot restores to the same end.
    const restored = buildTrainer({ ...job, snapshot });
    restored.runEpochs(300);
    expect(restored.params).toBeAllclose(ref.params, { rtol: 0, atol: 0 });
  });

  it('abort ends with done (aborted) and the parameters of the epochs trained', async () => {
    const job: TestJob = { model: 'chain', batch: 'sgd', epochs: 20000 };
    const h = inThread();
    h.connection.start(job, { yieldEveryMs: 0 });
    await h.until(h.of('progress'));
    h.connection.abort();
    const done = await h.until(h.of('done'));
    expect(done.stopReason).toBe('aborted');
    expect(done.epoch).toBeGreaterThan(0);
    expect(done.epoch).toBeLessThan(20000);
    expect(done.params).toBeAllclose(reference(job, done.epoch).params, { rtol: 0, atol: 0 });
    // The job is over: a snapshot request now has no trainer.
    await expect(h.connection.snapshot()).rejects.toThrow(
      new WorkerTrainerError('serveTrainer: no trainer to snapshot (start a job first)', 'Error'),
    );
  });

  it('a newer start replaces the running job; only its messages reach the host', async () => {
    const h = inThread();
    h.connection.start({ model: 'chain', batch: 'sgd', epochs: 20000 }, { yieldEveryMs: 0 });
    await h.until(h.of('progress'));
    const second: TestJob = { model: 'mlp', batch: 'full', epochs: 12 };
    h.connection.start(second);
    const done = await h.until(
      (e): e is Extract<typeof e, { type: 'done' }> => e.type === 'done' && e.id === 2,
    );
    expect(done.params).toBeAllclose(reference(second).params, { rtol: 0, atol: 0 });
    expect(h.events.filter((e) => e.type === 'done').map((e) => e.id)).toEqual([2]);
  });

  it('reports errors with their class name and the last good parameters', async () => {
    const h = inThread();
    h.connection.start({ model: 'chain', batch: 'full', epochs: 50, learningRate: 1e8 });
    const error = await h.until(h.of('error'));
    expect(error.name).toBe('DivergenceError');
    expect(error.params).toBeDefined();
    expect(Array.from(error.params!).every(Number.isFinite)).toBe(true);
    // A job the trainer refuses: the message names the function and the option.
    h.connection.start({ model: 'chain', batch: 'full', epochs: 0 });
    const refused = await h.until(
      (e): e is Extract<typeof e, { type: 'error' }> => e.type === 'error' && e.id === 2,
    );
    expect(refused.message).toMatch(/epochs/);
    expect(refused.params).toBeUndefined();
  });

  it('refuses bad arguments by name', () => {
    expect(() => serveTrainer({} as never, { setup: setupTestJob })).toThrow(
      'serveTrainer: endpoint must be a Worker',
    );
    const h = inThread();
    expect(() => h.connection.step(0)).toThrow(
      'connectTrainer: step epochs must be an integer ≥ 1, got 0',
    );
  });
});

describe('in a worker_threads worker', () => {
  it('trains a job to the same parameters, which arrive as transferred Float64Arrays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'annlab-worker-'));
    const file = join(dir, 'node.worker.mjs');
    // Node 20 cannot run TypeScript: bundle the worker from the sources.
    await build({
      entryPoints: [resolve(import.meta.dirname, 'test-helpers/node.worker.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      conditions: ['@annlab/source'],
      outfile: file,
      logLevel: 'error',
    });
    const worker = new Worker(file);
    cleanups.push(() => {
      void worker.terminate();
      rmSync(dir, { recursive: true, force: true });
    });
    const h = harness(worker);
    const job: TestJob = { model: 'mlp', batch: 8, epochs: 40, schedule: true };
    h.connection.start(job, { progressEvery: 10 });
    const done = await h.until(h.of('done'));
    expect(done.params).toBeInstanceOf(Float64Array);
    expect(done.params).toBeAllclose(reference(job).params, { rtol: 0, atol: 0 });
    expect(h.progress().map((p) => p.epoch)).toEqual([10, 20, 30, 40]);
    const snapshot = await h.connection.snapshot();
    expect(snapshot).toBeDefined();
  });
});
