/**
 * Memory stays flat across epochs: `fit` allocates its buffers (workspace, batch buffers, history
 * columns of `epochs` entries) before the first epoch, and the hot path (batch plan, gradient,
 * optimizer update) reuses them; what an epoch allocates (the epoch's key) is garbage at the end of
 * that epoch. The test reads the heap after a full collection at three points of one run and
 * bounds the growth over the two intervals between them: a leak grows the heap in both intervals
 * (it is per epoch), while a one-off growth of the runtime (code compiled when a function becomes
 * hot, measured up to ~270 KiB under load) lands in one. So the smaller growth is bounded.
 */

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { initChain, initMlp, key, mlpSpec } from '@annlab/core';
import { describe, expect, it } from 'vitest';
import { batchPlan } from './batches.js';
import type { ChainModel, MlpModel } from './model.js';
import { adam } from './optimizers/index.js';
import { fit as fitModel } from './trainer/index.js';

/** A full garbage collection: `global.gc` if node runs with --expose-gc, else switched on here. */
function getGc(): (() => void) | string {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return g;
  try {
    setFlagsFromString('--expose-gc');
    const fn = runInNewContext('gc') as unknown;
    if (typeof fn === 'function') return fn as () => void;
  } catch (e) {
    return `no gc: ${(e as Error).message}`;
  }
  return 'no gc: --expose-gc had no effect';
}
const gc = getGc();
if (typeof gc === 'string') console.warn(`[annlab/train] skipping the heap checks: ${gc}`);

/** heapUsed after two full collections (the second catches what finalisers of the first freed). */
function heap(collect: () => void): number {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

/**
 * The bound on the smaller of the two intervals' growth: 256 KiB. W1's intervals are 800 epochs: a
 * leak of one 200-sample order (800 B) per epoch would grow 625 KiB in each, one float per update
 * 1.2 MiB. The MLP's are 400 epochs of 8 batches: one 32-row batch (256 B) per batch, 800 KiB.
 * What remains is noise from the runtime (the test runner, compiled code), measured at tens of KiB.
 */
const BOUND = 256 * 1024;

describe.skipIf(typeof gc === 'string')('memory across epochs', () => {
  const collect = gc as () => void;

  it('W1 (per-sample SGD on the lecture chain, 2000 shuffled epochs): heap flat', () => {
    const x = Float64Array.from({ length: 200 }, (_, i) => 0.5 + (2.5 * i) / 199);
    const y = x.map((v) => -3 * v + 2);
    const net: ChainModel = { kind: 'chain', params: initChain(key(0), 3) };
    const at = new Map<number, number>();
    fitModel(
      net,
      { x, y },
      {
        epochs: 2000,
        batch: 'sgd',
        learningRate: 0.01,
        progressEvery: 400, // epochs 400, 800, 1200, 1600, 2000
        onProgress: ({ epoch }) => {
          at.set(epoch, heap(collect));
        },
      },
    );
    const first = at.get(1199)! - at.get(399)!;
    const second = at.get(1999)! - at.get(1199)!;
    console.log(
      `W1 heap growth epochs 400 → 1200 → 2000: ${(first / 1024).toFixed(1)}, ${(second / 1024).toFixed(1)} KiB`,
    );
    expect(Math.min(first, second)).toBeLessThan(BOUND);
  });

  it('MLP mini-batches with Adam (generic path, 900 epochs × 8 batches): heap flat', () => {
    const spec = mlpSpec([1, 16, 16, 1], 'tanh');
    const net: MlpModel = { kind: 'mlp', spec, params: Float64Array.from(initMlp(spec, key(1))) };
    const x = Float64Array.from({ length: 250 }, (_, i) => -2 + (4 * i) / 249);
    const y = x.map((v) => Math.sin(3 * v));
    const at = new Map<number, number>();
    fitModel(
      net,
      { x, y },
      {
        epochs: 900,
        batch: 32, // 7 of 32 and one of 26
        optimizer: adam(0.01),
        progressEvery: 100,
        onProgress: ({ epoch }) => {
          at.set(epoch, heap(collect));
        },
      },
    );
    const first = at.get(499)! - at.get(99)!;
    const second = at.get(899)! - at.get(499)!;
    console.log(
      `MLP heap growth epochs 100 → 500 → 900: ${(first / 1024).toFixed(1)}, ${(second / 1024).toFixed(1)} KiB`,
    );
    expect(Math.min(first, second)).toBeLessThan(BOUND);
  });
});

describe('the hot path reuses its objects', () => {
  it("a batch plan returns the same order buffer every epoch; the optimizer's update the same tuple", () => {
    const plan = batchPlan(50, { batch: 8, key: key(0) });
    const o0 = plan.order(0);
    const first = Array.from(o0);
    expect(plan.order(1)).toBe(o0);
    expect(Array.from(o0)).not.toEqual(first); // refilled with epoch 1's order
    const opt = adam(0.1);
    const p = new Float64Array(4);
    const s = opt.init(p);
    const g = Float64Array.of(1, 2, 3, 4);
    expect(opt.update(g, s, p)).toBe(opt.update(g, s, p));
  });
});
