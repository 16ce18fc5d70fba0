import { describe, expect, it } from 'vitest';
import type { Trainer } from './harness.js';
import { renderReport } from './report.js';
import { runTraining } from './training.js';
import type { TrainingWorkload } from './workloads/types.js';

/** A trainer whose single parameter is the number of epochs trained, times `scale`. */
function fake(scale: number): Trainer {
  let v = 0;
  return {
    reset() {
      v = 0;
    },
    train(epochs) {
      v += epochs * scale;
    },
    params: () => [new Float64Array([v])],
  };
}

const workload: TrainingWorkload = {
  id: 'WX',
  title: 'test workload',
  epochs: { full: 10, quick: 4 },
  updatesPerEpoch: 1,
  tolerance: { rtol: 1e-3, atol: 0 },
  lossLabel: 'the parameter',
  losses: ([p]) => [p![0]!],
  reference: () => fake(1),
  impls: {
    annlab: { library: 'annlab', backend: 'cpu', create: async () => fake(1) },
    hand: { library: 'hand-written', backend: 'cpu', create: async () => fake(1.01) },
    tfjsCpu: { library: 'TF.js', backend: 'cpu', create: async () => 'not available (test)' },
    tfjsWasm: {
      library: 'TF.js',
      backend: 'wasm',
      create: async () => {
        throw new Error('boom');
      },
    },
    jaxWasm: {
      library: 'jax-js',
      backend: 'wasm',
      create: async () => fake(1),
      epochs: { full: 2, quick: 2 },
    },
  },
};

describe('runTraining', () => {
  it('checks losses against the reference at the epochs run and reports skips', async () => {
    const rows = await runTraining(workload, { quick: false, runs: 2, log: () => {} });
    const by = Object.fromEntries(rows.map((r) => [r.impl, r]));
    expect(by.annlab!.ok).toBe(true);
    expect(by.annlab!.finalLoss).toBeAllclose([10], { rtol: 0, atol: 0 });
    expect(by.hand!.ok).toBe(false); // 1 % off, tolerance 0.1 %
    expect(by.tfjsCpu!.skipped).toBe('not available (test)');
    expect(by.tfjsWasm!.skipped).toBe('failed to start: boom');
    // shortened: checked at its own 2 epochs, time scaled to 10
    expect(by.jaxWasm!.checkEpochs).toBe(2);
    expect(by.jaxWasm!.referenceLoss).toBeAllclose([2], { rtol: 0, atol: 0 });
    expect(by.jaxWasm!.notes).toContain('extrapolated from 2 of 10 epochs');
    const md = renderReport({
      date: '2026-01-01T00:00:00Z',
      machine: { cpu: 'cpu', cores: 1, memoryGiB: 1, os: 'os', node: 'v20', loadAverage: '0' },
      adapter: 'none',
      randomSource: 'test',
      quick: false,
      runs: 2,
      only: null,
      training: [{ workload, rows }],
      core: null,
      matmul: null,
      peak: null,
      w6: null,
      size: null,
      totalSeconds: 1,
    });
    expect(md).toContain('### WX: test workload');
    expect(md).toContain('| TF.js | cpu | — | — | — | — | — | — | not available (test) |');
    expect(md).toContain('✗');
  });

  it('checks entries with their own orders against their own reference, and renders the "fit defaults" ratio', async () => {
    const w: TrainingWorkload = {
      ...workload,
      impls: {
        annlabDefaults: {
          library: 'annlab',
          backend: 'defaults',
          create: async () => fake(2),
          reference: () => fake(2),
        },
        handShuffled: { library: 'hand-written', backend: 'FY', create: async () => fake(1) },
      },
    };
    const rows = await runTraining(w, { quick: false, runs: 1, log: () => {} });
    const by = Object.fromEntries(rows.map((r) => [r.impl, r]));
    expect(by.annlabDefaults!.ok).toBe(true); // its own reference (2 per epoch), not the workload's
    expect(by.annlabDefaults!.referenceLoss).toEqual([20]);
    expect(by.handShuffled!.referenceLoss).toEqual([10]);
    const md = renderReport({
      date: '2026-01-01T00:00:00Z',
      machine: { cpu: 'cpu', cores: 1, memoryGiB: 1, os: 'os', node: 'v20', loadAverage: '0' },
      adapter: 'none',
      randomSource: 'test',
      quick: false,
      runs: 1,
      only: null,
      training: [{ workload: w, rows }],
      core: null,
      matmul: null,
      peak: null,
      w6: null,
      size: null,
      totalSeconds: 1,
    });
    expect(md).toMatch(
      /\*\*WX, fit defaults:\*\* `fit` with no `shuffle` option .* takes (?:[\d.]+×|—) the time/,
    );
  });
});
