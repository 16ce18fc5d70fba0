import { mlpPredict } from '@annlab/core';
import { describe, expect, it } from 'vitest';
import { run, xor } from '../gpu-many-networks.mjs';

/** Whether Dawn finds an adapter here (SwiftShader on CI); absent → skipped with a reason. */
async function gpuAvailable(): Promise<boolean> {
  try {
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    return (await create([]).requestAdapter()) !== null;
  } catch {
    return false;
  }
}
const available = await gpuAvailable();
const required = process.env.ANNLAB_REQUIRE_GPU === '1';
if (!available) {
  const reason = '[examples] no WebGPU adapter (Dawn): the WebGPU example is';
  if (required) throw new Error(`${reason} required (ANNLAB_REQUIRE_GPU=1)`);
  console.warn(`${reason} skipped`);
}

describe('examples/gpu-many-networks.mjs', () => {
  it.skipIf(!available)(
    'trains 512 XOR networks; each reported loss matches the f64 CPU forward pass of its parameters',
    async () => {
      const r = await run();
      expect(r.losses.length).toBe(512);
      // The CPU oracle: core's float64 mlpPredict on the returned float32 parameters, MSE by hand.
      for (const k of [0, 1, 100, 511]) {
        const out = mlpPredict(r.spec, Float64Array.from(r.network(k)), Float64Array.from(xor.x));
        const mse = xor.y.reduce((s, t, i) => s + (out[i]! - t) ** 2, 0) / xor.y.length;
        // float32 on the GPU vs float64 here: 1e-4 relative plus 1e-6 absolute.
        expect(r.losses[k]).toBeAllclose(mse, { rtol: 1e-4, atol: 1e-6 });
      }
      // Adam at 0.05 for 300 epochs solves XOR from a good share of keys (about half in the README).
      expect(r.solved).toBeGreaterThan(50);
    },
  );
});
