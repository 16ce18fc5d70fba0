import { initMlp, key, mlpSpec } from '@annlab/core';
import { seeded } from '@annlab/test-utils';
import { describe, expect, it } from 'vitest';
import { TrainError } from '../errors.js';
import type { MlpModel } from '../model.js';
import { sgd } from '../optimizers/index.js';
import { poolWorkers } from '../parallel/pool.js';
import type { Engine } from './engine.js';
import { fit as fitModel } from './fit.js';
import { enginePools } from './mlpEngine.js';
import { createTrainer } from './trainer.js';

// A network and batch large enough for threads (batch × multiply-adds ≥ PARALLEL_MIN_WORK)
const spec = mlpSpec([2, 64, 64, 1], 'relu');
const n = 12_000;
const r = seeded(5);
const xs = r.array(2 * n, -2, 2);
const x = Array.from({ length: n }, (_, i) => [xs[2 * i]!, xs[2 * i + 1]!]);
const y = x.map(([a, b]) => Math.sin(2 * a!) * Math.cos(b!));
const model: MlpModel = { kind: 'mlp', spec, params: initMlp(spec, key(1)) as Float64Array };
const options = { epochs: 2, optimizer: sgd(0.05), loss: 'mse' as const };

describe("fit with options.threads (MLP on the CPU, Node's worker_threads)", () => {
  it.each([0, -2, 1.5, Number.NaN, '2'])(
    'threads = %j is an ArgumentError naming fit and options.threads',
    (t) => {
      expect(() => fitModel(model, { x, y }, { ...options, threads: t as number })).toThrow(
        /fit: options\.threads must be an integer ≥ 1/,
      );
    },
  );

  it('1, 2 and 4 threads (4 clamped to the cores, with a note) train to bit-identical parameters, float64 and float32', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      const one = fitModel(model, { x, y }, { ...options, dtype, threads: 1 });
      const two = fitModel(model, { x, y }, { ...options, dtype, threads: 2 });
      const four = fitModel(model, { x, y }, { ...options, dtype, threads: 4 });
      const cores = four.compute.threads;
      expect(one.compute.threads).toBe(1);
      expect(two.compute.threads).toBe(Math.min(2, cores));
      expect(two.params).toBeAllclose(one.params, { rtol: 0, atol: 0 });
      expect(four.params).toBeAllclose(one.params, { rtol: 0, atol: 0 });
      expect(four.history.loss).toBeAllclose(one.history.loss, { rtol: 0, atol: 0 });
      if (cores < 4) {
        expect(four.compute.notes).toContain(
          `threads: 4 clamped to the ${cores} cores of this machine`,
        );
      }
      if (cores > 1) expect(four.model.training?.threads).toBe(cores);
    }
  });

  it('the threaded float64 run follows the unthreaded one to rounding (chunked sums: rtol 1e-10)', () => {
    const plain = fitModel(model, { x, y }, options);
    const threaded = fitModel(model, { x, y }, { ...options, threads: 2 });
    expect(plain.compute).toEqual({ backend: 'cpu', kernel: 'float64', threads: 1, notes: [] });
    expect(threaded.params).toBeAllclose(plain.params, { rtol: 1e-10, atol: 1e-13 });
  });

  it('a small batch runs on one thread and says why; progress events carry the report', () => {
    const events: unknown[] = [];
    const small = fitModel(
      model,
      { x: x.slice(0, 300), y: y.slice(0, 300) },
      { ...options, threads: 2, onProgress: (e) => events.push(e.compute) },
    );
    expect(small.compute.threads).toBe(1);
    expect(small.compute.notes.join(' ')).toMatch(
      /a batch of 300 is below the size where threads pay/,
    );
    expect(events).toEqual([small.compute, small.compute]);
  });

  it('a worker terminated between steps: the next step throws a TrainError naming it, the last good parameters stay', async () => {
    const t = createTrainer(model, { x, y }, { ...options, threads: 2 });
    try {
      if (t.stepsPerEpoch !== 1) throw new Error('full batch expected');
      t.step();
      const good = t.params.slice();
      const engine = (t as unknown as { engine: Engine }).engine;
      const pool = enginePools.get(engine);
      expect(pool).toBeDefined();
      await poolWorkers.get(pool!)![0]!.terminate();
      let error: unknown;
      try {
        t.step();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TrainError);
      expect((error as Error).message).toMatch(/worker 1 of 2 threads stopped/);
      expect(t.params).toBeAllclose(good, { rtol: 0, atol: 0 });
    } finally {
      t.dispose();
    }
  });
});
