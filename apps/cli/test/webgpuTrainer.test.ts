/**
 * train's `createTrainer` on `@annlab/gpu`'s real device trainer (Dawn in Node; SwiftShader on CI
 * machines without a GPU), in process: the trajectory follows the CPU float64 trainer within
 * float32 tolerances, and a paused run continues the same device trainer (its Adam moments kept).
 * This lives in the CLI's tests because the CLI depends on both packages. Skipped without WebGPU.
 */
import { initMlp, key, mlpSpec } from '@annlab/core';
import { createGpuMlpTrainer, type Gpu, requestGpu } from '@annlab/gpu';
import { adam, createTrainer, type MlpModel, type WebGpuBackend } from '@annlab/train';
import { afterAll, describe, expect, it } from 'vitest';

let gpu: Gpu | undefined;
let why = '';
try {
  gpu = await requestGpu();
} catch (e) {
  why = String(e);
}
afterAll(() => gpu?.dispose());

const x = Float64Array.from({ length: 64 }, (_, i) => -1 + (2 * i) / 63);
const y = Array.from(x, (v) => Math.sin(3 * v));
const model = (): MlpModel => {
  const spec = mlpSpec([1, 16, 16, 1], 'tanh');
  return { kind: 'mlp', spec, params: Float64Array.from(initMlp(spec, key(2))) };
};
const options = () =>
  ({
    epochs: 30,
    batch: 16,
    optimizer: adam(0.01),
    loss: 'mse',
    key: 5,
    validation: { fraction: 0.25 },
    recordGradNorms: true,
  }) as const;

describe.skipIf(!gpu)('createTrainer on WebGPU (real device)', () => {
  if (!gpu) console.warn(`no WebGPU here: ${why}`);
  const backend = (): WebGpuBackend => ({
    kind: 'webgpu',
    createTrainer: (spec, params, o) => createGpuMlpTrainer(gpu!, spec, params, o),
  });

  it('run() in two parts follows the CPU f64 trainer; the pause keeps the device optimizer state', async () => {
    const paused = createTrainer(model(), { x, y }, { ...options(), backend: backend() });
    await paused.run({ epochs: 12 });
    expect(paused.epoch).toBe(12);
    const r = await paused.run();
    paused.dispose();
    const whole = createTrainer(model(), { x, y }, { ...options(), backend: backend() });
    const w = await whole.run();
    whole.dispose();
    const cpu = createTrainer(model(), { x, y }, options());
    cpu.runEpochs(30);
    const c = cpu.result();
    let rel = 0;
    for (let i = 0; i < c.params.length; i++) {
      rel = Math.max(
        rel,
        Math.abs(r.params[i]! - c.params[i]!) / Math.max(Math.abs(c.params[i]!), 1e-3),
      );
    }
    console.log(`createTrainer webgpu (real) vs CPU f64 after 90 Adam updates: max rel ${rel}`);
    expect(r.epochs).toBe(30);
    expect(r.history.updates.at(-1)).toBe(90); // 48 training rows: 3 batches of 16 per epoch
    // paused vs uninterrupted on the same device: the same kernels in the same order. Restarting
    // the Adam moments at epoch 12 changes the final parameters by up to 28× relative (measured on
    // the CPU trainer); allow float32 reduction noise only.
    expect(r.params).toBeAllclose(w.params, { rtol: 1e-5, atol: 1e-6 });
    // float32 device vs float64 CPU over 90 updates
    expect(r.params).toBeAllclose(c.params, { rtol: 1e-2, atol: 1e-4 });
    expect(r.history.valLoss).toBeAllclose(c.history.valLoss, { rtol: 1e-3, atol: 1e-5 });
    // per-layer mean batch gradient norms from the device's gradNorm kernel, float32 vs float64
    expect(r.history.gradNorms.length).toBe(30);
    for (let e = 0; e < 30; e++) {
      expect(r.history.gradNorms[e]!).toBeAllclose(c.history.gradNorms[e]!, {
        rtol: 1e-2,
        atol: 1e-4,
      });
    }
  });
});
