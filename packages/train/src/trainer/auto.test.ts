/**
 * `backend: 'auto'` and `{ kind: 'auto', webgpu, adapter }`: which backend `fit` picks and the
 * reason it reports in `result.compute`. The WebGPU trainer is a recording fake (no GPU here): these
 * tests check the decision and its fallbacks, not the GPU's numbers (webgpu.test.ts does those).
 */
import { initChain, initMlp, key, type MlpSpec, mlpSpec } from '@annlab/core';
import { seeded } from '@annlab/test-utils';
import { describe, expect, it } from 'vitest';
import type { MlpModel } from '../model.js';
import { adamw, sgd } from '../optimizers/index.js';
import { coreCount, sharedMemoryAvailable } from '../parallel/pool.js';
import type { WebGpuBackend } from '../webgpu.js';
import { fit as fitModel } from './fit.js';
import { createTrainer } from './trainer.js';

const data = (n: number, seed: number) => {
  const xs = seeded(seed).array(2 * n, -2, 2);
  const x = Array.from({ length: n }, (_, i) => [xs[2 * i]!, xs[2 * i + 1]!]);
  return { x, y: x.map(([a, b]) => Math.sin(2 * a!) * Math.cos(b!)) };
};
const mlp = (spec: MlpSpec): MlpModel => ({
  kind: 'mlp',
  spec,
  params: initMlp(spec, key(1)) as Float64Array,
});

/** A WebGPU backend whose trainer only records that it was made (parameters left unchanged). */
function recordingBackend(): { backend: WebGpuBackend; made: number[] } {
  const made: number[] = [];
  const backend: WebGpuBackend = {
    kind: 'webgpu',
    createTrainer: async (_spec, params, req) => {
      made.push(req.batchSize ?? -1);
      const p = Float32Array.from(params);
      return {
        batchesPerEpoch: 1,
        step: async () => {},
        readLoss: async () => 1,
        readParams: async () => p.slice(),
        dispose: () => {},
      };
    },
  };
  return { backend, made };
}

// W5's network: 2→256³→1. With 1000 rows a step is 1.3·10⁸ multiply-adds, above WEBGPU_MIN_WORK.
const w5 = mlp(mlpSpec([2, 256, 256, 256, 1], 'relu'));
const w5data = data(1000, 3);
const hardware = { isFallbackAdapter: false, description: 'test GPU' };
const base = { epochs: 1, optimizer: sgd(0.01), loss: 'mse' as const };

describe("fit with backend: 'auto'", () => {
  it("'auto' on a batch where threads pay: the threads chooseBackend picks, bit-identical to threads: 1", () => {
    const model = mlp(mlpSpec([2, 64, 64, 1], 'relu'));
    const d = data(12_000, 5);
    const one = fitModel(model, d, { ...base, threads: 1 });
    const auto = fitModel(model, d, { ...base, backend: 'auto' });
    const want = sharedMemoryAvailable() ? coreCount() : 1;
    expect(auto.compute.backend).toBe('cpu');
    expect(auto.compute.threads).toBe(want);
    if (want > 1) {
      expect(auto.compute.notes[0]).toBe(`backend 'auto': CPU, ${want} threads: no WebGPU adapter`);
    } else {
      expect(auto.compute.notes[0]).toMatch(/^backend 'auto': CPU, 1 thread: no WebGPU adapter/);
    }
    // the thread count never changes the bits (fixed reduction order)
    expect(auto.params).toBeAllclose(one.params, { rtol: 0, atol: 0 });
  });

  it("'auto' on a small batch: one thread, and the reason says the batch is too small", () => {
    const r = fitModel(mlp(mlpSpec([2, 8, 1], 'tanh')), data(64, 2), {
      ...base,
      backend: 'auto',
    });
    expect(r.compute).toMatchObject({ backend: 'cpu', kernel: 'float64', threads: 1 });
    if (coreCount() > 1 && sharedMemoryAvailable()) {
      expect(r.compute.notes[0]).toMatch(
        /^backend 'auto': CPU, 1 thread: no WebGPU adapter; a batch of 64 is below the size where threads pay/,
      );
    }
  });

  it("'auto' with createTrainer (synchronous) and for a chain model: the CPU, with the reason", () => {
    const t = createTrainer(mlp(mlpSpec([2, 8, 1], 'tanh')), data(64, 2), {
      ...base,
      backend: 'auto',
    });
    t.step();
    expect(t.params.every(Number.isFinite)).toBe(true);
    t.dispose();
    const chain = { kind: 'chain' as const, params: initChain(key(0), 3) };
    const x = [0.1, 0.5, 0.9];
    const r = fitModel(chain as never, { x, y: x }, { epochs: 1, backend: 'auto' });
    expect(r.compute.notes).toContain("backend 'auto': CPU: chain models train on the CPU");
  });

  it('a software (SwiftShader) adapter never gets W5: the CPU runs and the trainer is never made', async () => {
    const { backend, made } = recordingBackend();
    const r = await fitModel(w5, w5data, {
      ...base,
      backend: {
        kind: 'auto',
        webgpu: backend,
        adapter: { isFallbackAdapter: true, description: 'SwiftShader' },
      },
    });
    expect(made).toEqual([]);
    expect(r.compute.backend).toBe('cpu');
    expect(r.compute.kernel).toBe('float64');
    expect(r.compute.notes[0]).toMatch(
      /^backend 'auto': CPU, \d threads?: the WebGPU adapter \(SwiftShader\) is a software emulation on the CPU/,
    );
  });

  it('a hardware adapter and W5-sized work: WebGPU runs (float32), and says why', async () => {
    const { backend, made } = recordingBackend();
    const r = await fitModel(w5, w5data, {
      ...base,
      backend: { kind: 'auto', webgpu: backend, adapter: hardware },
    });
    expect(made).toEqual([1000]);
    expect(r.compute).toEqual({
      backend: 'webgpu',
      kernel: 'webgpu',
      threads: 1,
      notes: ["backend 'auto': WebGPU (test GPU): 1.3e+8 multiply-adds per step ≥ 1e+8"],
    });
  });

  it('a hardware adapter but a small network: the CPU, because the GPU would not pay', async () => {
    const { backend, made } = recordingBackend();
    const r = await fitModel(mlp(mlpSpec([2, 8, 1], 'tanh')), data(64, 2), {
      ...base,
      backend: { kind: 'auto', webgpu: backend, adapter: hardware },
    });
    expect(made).toEqual([]);
    expect(r.compute.backend).toBe('cpu');
    expect(r.compute.notes[0]).toMatch(
      /multiply-adds per step is below the 1e\+8 where the GPU pays/,
    );
  });

  it.each([
    // (recordGradNorms runs on WebGPU since trainer2: an optimizer without a GPU kernel blocks)
    [{ optimizer: adamw(0.01) }, 'options.optimizer must be sgd(η), sgd(η, { momentum })'],
    [{ dtype: 'float64' as const }, "dtype 'float64' (WebGPU trains in float32)"],
    [{ webgpu: 'none' }, 'no WebGPU trainer was given (backend.webgpu)'],
  ])(
    'WebGPU chosen but the trainer cannot run %j: the CPU runs, with the reason',
    async (extra, why) => {
      const { backend, made } = recordingBackend();
      const { webgpu, ...opts } = extra as { webgpu?: string };
      const r = await fitModel(w5, w5data, {
        ...base,
        ...opts,
        backend: {
          kind: 'auto',
          ...(webgpu === 'none' ? {} : { webgpu: backend }),
          adapter: hardware,
        },
      });
      expect(made).toEqual([]);
      expect(r.compute.backend).toBe('cpu');
      expect(r.compute.notes[0]).toContain('but the CPU runs: ');
      expect(r.compute.notes[0]).toContain(why);
    },
  );

  it('bad auto objects are named errors (as rejections)', async () => {
    await expect(
      fitModel(w5, w5data, {
        ...base,
        backend: { kind: 'auto', webgpu: { kind: 'gpu' } as never },
      }),
    ).rejects.toThrow(/^fit: options\.backend\.webgpu must be absent or \{ kind: 'webgpu'/);
    await expect(
      fitModel(w5, w5data, { ...base, backend: { kind: 'auto', adapter: 'fast' as never } }),
    ).rejects.toThrow(/^fit: options\.backend\.adapter must be absent, null or/);
  });
});
