import { type ActivationSpec, activation, ValidationError } from '@annlab/core';
import { seeded } from '@annlab/test-utils';
import { expect, it } from 'vitest';
import { describeGpu } from '../../test-helpers/gpu.js';
import { activationDerivative, biasActivation } from './biasActivation.js';

const SPECS: ActivationSpec[] = [
  'sigmoid',
  'tanh',
  'relu',
  'leakyRelu',
  { name: 'leakyRelu', slope: 0.2 },
  'gelu',
  { name: 'gelu', approximate: 'tanh' },
  'identity',
  'softplus',
  'elu',
  { name: 'elu', alpha: 0.5 },
];

// Extremes where naive formulas overflow (exp(400) is inf in float32), tiny inputs where they
// cancel, and NaN.
const EXTREMES = [
  -400,
  -350,
  -300,
  -88,
  -40,
  -30,
  -10,
  -1e-3,
  -1e-6,
  0,
  1e-6,
  1e-3,
  10,
  30,
  40,
  88,
  300,
  350,
  400,
  Number.NaN,
];

function inputs(seed: number): Float64Array {
  const z = Float64Array.from([...seeded(seed).array(180, -8, 8), ...EXTREMES]);
  return Float64Array.from(Float32Array.from(z)); // exactly what the GPU sees
}

describeGpu('bias + activation kernel', (gpu) => {
  SPECS.forEach((spec, s) => {
    const label = activation(spec).label;
    it(`${label}: f(z + b) matches core's f64 f, extremes and NaN included`, async () => {
      const z = inputs(s + 1);
      const cols = 10;
      const b = Float64Array.from(Float32Array.from(seeded(100 + s).array(cols, -1, 1)));
      b[0] = 0; // keeps every extreme in column 0 exact, as z + 0
      const rows = z.length / cols;
      const zb = new Float64Array(z.length);
      for (let i = 0; i < z.length; i++) zb[i] = Math.fround(z[i]! + b[i % cols]!);
      const f = activation(spec).f;
      const { z: zOut, a } = await biasActivation(gpu(), spec, z, { rows, cols }, b);
      expect(zOut).toBeAllclose(zb, { rtol: 0, atol: 0 });
      // float32 accuracy: a few ulp relative, plus 1e-6 absolute for the erf approximation
      // (A&S 7.1.26, |error| ≤ 1.5e-7 times |z| ≤ 8) and for results that underflow.
      expect(a).toBeAllclose(Array.from(zb, f), { rtol: 4e-6, atol: 1e-6 });
    });

    it(`${label}: f'(z) matches core's f64 derivative, extremes and NaN included`, async () => {
      const z = inputs(50 + s);
      const df = activation(spec).df;
      const d = await activationDerivative(gpu(), spec, z);
      expect(d).toBeAllclose(Array.from(z, df), { rtol: 4e-6, atol: 1e-6 });
    });
  });

  it('keeps ±300..400 finite and NaN as NaN for every activation (WGSL has no overflow to inf)', async () => {
    for (const spec of SPECS) {
      const { a } = await biasActivation(gpu(), spec, [-400, -300, 300, 400, Number.NaN], {
        rows: 1,
        cols: 5,
      });
      expect(Array.from(a.subarray(0, 4)).every(Number.isFinite)).toBe(true);
      expect(Number.isNaN(a[4]!)).toBe(true);
    }
  });

  it('backward multiplies the upstream gradient by f′(z)', async () => {
    const z = inputs(77);
    const g = Float64Array.from(Float32Array.from(seeded(78).array(z.length, -2, 2)));
    for (const spec of ['tanh', 'gelu'] as const) {
      const df = activation(spec).df;
      const out = await activationDerivative(gpu(), spec, z, g);
      expect(out).toBeAllclose(
        Array.from(z, (v, i) => g[i]! * df(v)),
        { rtol: 4e-6, atol: 2e-6 },
      );
    }
  });

  it('validates its arguments', async () => {
    await expect(biasActivation(gpu(), 'relu', [1, 2, 3], { rows: 2, cols: 2 })).rejects.toThrow(
      'biasActivation: z must have rows·cols = 4 elements, got 3',
    );
    await expect(biasActivation(gpu(), 'relu', [1, 2], { rows: 1, cols: 2 }, [1])).rejects.toThrow(
      'biasActivation: bias must have cols = 2 elements, got 1',
    );
    await expect(
      biasActivation(gpu(), 'swish' as never, [1], { rows: 1, cols: 1 }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      biasActivation(gpu(), { name: 'elu', alpha: 1e39 }, [1], { rows: 1, cols: 1 }),
    ).rejects.toThrow('activationShader: spec.alpha must be a finite float32 number, got 1e+39');
    await expect(activationDerivative(gpu(), 'relu', [])).rejects.toThrow(
      'activationDerivative: z must be a non-empty array of numbers, got Array(0)',
    );
  });
});
