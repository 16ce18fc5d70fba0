import { seeded } from '@annlab/test-utils';
import { expect, it } from 'vitest';
import { describeGpu } from '../../test-helpers/gpu.js';
import { optimizerSteps } from './optimizer.js';

const f32 = (x: Float64Array) => Float64Array.from(Float32Array.from(x));

/** f64 reference of `steps` updates with a constant gradient, written from the definitions. */
function reference(name: string, p0: Float64Array, g: Float64Array, steps: number, lr: number) {
  const p = Float64Array.from(p0);
  const m = new Float64Array(p.length);
  const v = new Float64Array(p.length);
  for (let t = 1; t <= steps; t++) {
    for (let i = 0; i < p.length; i++) {
      const gi = g[i]!;
      if (name === 'sgd') p[i]! -= lr * gi;
      else if (name === 'momentum') {
        v[i] = 0.9 * v[i]! + gi;
        p[i]! -= lr * v[i]!;
      } else {
        m[i] = 0.9 * m[i]! + 0.1 * gi;
        v[i] = 0.999 * v[i]! + 0.001 * gi * gi;
        const mh = m[i]! / (1 - 0.9 ** t);
        const vh = v[i]! / (1 - 0.999 ** t);
        p[i]! -= (lr * mh) / (Math.sqrt(vh) + 1e-8);
      }
    }
  }
  return p;
}

describeGpu('optimizer update kernels', (gpu) => {
  for (const name of ['sgd', 'momentum', 'adam'] as const) {
    it(`${name}: 25 steps match the f64 update rule`, async () => {
      const rnd = seeded(name.length + 40);
      const p = f32(rnd.array(500, -1, 1));
      const g = f32(rnd.array(500, -1, 1));
      const out = await optimizerSteps(gpu(), { name, learningRate: 0.01 }, p, g, 25);
      // float32 parameter updates of size ≤ 0.1 over 25 steps: ≲ 25 ulp of 1.
      expect(out).toBeAllclose(reference(name, p, g, 25, 0.01), { rtol: 0, atol: 3e-6 });
    });
  }

  it('sgd gives the closed form', async () => {
    const out = await optimizerSteps(gpu(), { name: 'sgd', learningRate: 0.5 }, [1, 2], [1, -2], 2);
    expect(out).toBeAllclose([0, 4], { rtol: 0, atol: 0 });
  });

  it('validates the optimizer spec', async () => {
    await expect(
      optimizerSteps(gpu(), { name: 'sgd', learningRate: -1 }, [1], [1]),
    ).rejects.toThrow(
      'createGpuOptimizer: optimizer.learningRate must be a finite number > 0, got -1',
    );
    await expect(
      optimizerSteps(gpu(), { name: 'adam', learningRate: 1, b1: 1 }, [1], [1]),
    ).rejects.toThrow('createGpuOptimizer: optimizer.b1 must be in [0, 1), got 1');
    await expect(
      optimizerSteps(gpu(), { name: 'rmsprop', learningRate: 1 } as never, [1], [1]),
    ).rejects.toThrow(
      `createGpuOptimizer: optimizer.name must be 'sgd', 'momentum' or 'adam', got "rmsprop"`,
    );
  });
});
