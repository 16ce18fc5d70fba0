import {
  createMlpWorkspace,
  initMlp,
  key,
  type MlpDtype,
  mlpSpec,
  mlpValueAndGradient,
} from '@annlab/core';
import { seeded } from '@annlab/test-utils';
import { describe, expect, it } from 'vitest';
import { TrainError } from '../errors.js';
import {
  createGradientPool,
  createGradientPoolSync,
  PARALLEL_CHUNK_ROWS,
  parallelPays,
  poolWorkers,
  resolveThreads,
} from './pool.js';

const spec = mlpSpec([2, 16, 16, 1], 'relu');
const batch = 2 * PARALLEL_CHUNK_ROWS + 37; // three chunks, the last one partial
const r = seeded(11);
const X = r.array(batch * 2, -2, 2);
const Y = r.array(batch, -1, 1);
const params = initMlp(spec, key(3)) as Float64Array;

async function gradients(threads: number, dtype: MlpDtype, steps = 2) {
  const pool = await createGradientPool({ spec, dtype, loss: 'mse', maxBatch: batch, threads });
  try {
    pool.x.set(X);
    pool.y.set(Y);
    const out: { loss: number; grad: Float64Array }[] = [];
    const p = params.slice();
    for (let s = 0; s < steps; s++) {
      pool.params.set(p);
      const grad = new Float64Array(p.length);
      const loss = await pool.step(batch, grad);
      out.push({ loss, grad });
      for (let k = 0; k < p.length; k++) p[k] = p[k]! - 0.05 * grad[k]!; // next step elsewhere
    }
    return out;
  } finally {
    await pool.close();
  }
}

describe('resolveThreads', () => {
  it.each([0, -1, 1.5, Number.NaN, '2'])(
    'threads = %j is an ArgumentError naming fit and options.threads',
    (t) => {
      expect(() => resolveThreads('fit', 'options.threads', t, 2)).toThrow(
        /fit: options\.threads must be an integer ≥ 1, got/,
      );
    },
  );
  it('clamps above the core count, with a note; keeps a count within it', () => {
    expect(resolveThreads('fit', 'options.threads', 8, 2)).toEqual({
      threads: 2,
      note: 'threads: 8 clamped to the 2 cores of this machine',
    });
    expect(resolveThreads('fit', 'options.threads', 2, 2)).toEqual({ threads: 2, note: '' });
  });
  it('threads pay for W5 (2→256→256→256→1, 4096 rows), not for W4 (1→64→64→1, 256 rows)', () => {
    expect(parallelPays(mlpSpec([2, 256, 256, 256, 1], 'relu'), 4096)).toBe(true);
    expect(parallelPays(mlpSpec([1, 64, 64, 1], 'tanh'), 256)).toBe(false);
  });
});

describe('createGradientPool (worker_threads over SharedArrayBuffer)', () => {
  it.each(['float64', 'float32'] as const)(
    '%s: 1, 2 and 4 threads give bit-identical losses and gradients over two steps (tolerance 0)',
    async (dtype) => {
      const one = await gradients(1, dtype);
      for (const threads of [2, 4]) {
        const many = await gradients(threads, dtype);
        for (let s = 0; s < one.length; s++) {
          expect(Object.is(many[s]!.loss, one[s]!.loss)).toBe(true);
          expect(many[s]!.grad).toBeAllclose(one[s]!.grad, { rtol: 0, atol: 0 });
        }
      }
    },
  );

  it('the chunked sum equals one pass over the whole batch (float64: rtol 1e-12; float32: 2e-5 of the largest entry)', async () => {
    const ws = createMlpWorkspace(spec, batch);
    const g = new Float64Array(params.length);
    const loss = mlpValueAndGradient(spec, params, X, Y, batch, 'mse', ws, g);
    const [p64] = await gradients(2, 'float64', 1);
    expect(p64!.loss).toBeAllclose(loss, { rtol: 1e-12, atol: 0 });
    expect(p64!.grad).toBeAllclose(g, { rtol: 1e-12, atol: 1e-15 });
    const [p32] = await gradients(2, 'float32', 1);
    const gmax = Math.max(...g.map(Math.abs));
    expect(p32!.loss).toBeAllclose(loss, { rtol: 1e-5, atol: 0 });
    expect(p32!.grad).toBeAllclose(g, { rtol: 0, atol: 2e-5 * gmax });
  });

  it('a terminated worker fails the next step with a TrainError naming it', async () => {
    const pool = await createGradientPool({
      spec,
      dtype: 'float64',
      loss: 'mse',
      maxBatch: batch,
      threads: 2,
    });
    try {
      pool.params.set(params);
      pool.x.set(X);
      pool.y.set(Y);
      const grad = new Float64Array(params.length);
      await pool.step(batch, grad);
      await poolWorkers.get(pool)![0]!.terminate();
      const failed = pool.step(batch, grad);
      await expect(failed).rejects.toBeInstanceOf(TrainError);
      await expect(failed).rejects.toThrow(/worker 1 of 2 threads stopped/);
    } finally {
      await pool.close();
    }
  });

  it('the synchronous pool (Node) gives the same bits as the asynchronous one, and names a terminated worker', async () => {
    const [ref] = await gradients(1, 'float32', 1);
    const pool = createGradientPoolSync({
      spec,
      dtype: 'float32',
      loss: 'mse',
      maxBatch: batch,
      threads: 3,
    });
    try {
      pool.params.set(params);
      pool.x.set(X);
      pool.y.set(Y);
      const grad = new Float64Array(params.length);
      const loss = pool.stepSync(batch, grad);
      expect(Object.is(loss, ref!.loss)).toBe(true);
      expect(grad).toBeAllclose(ref!.grad, { rtol: 0, atol: 0 });
      await poolWorkers.get(pool)![1]!.terminate();
      expect(() => pool.stepSync(batch, grad)).toThrow(TrainError);
      expect(() => pool.stepSync(batch, grad)).toThrow(/worker 2 of 3 threads stopped/);
    } finally {
      await pool.close();
    }
  });
});
