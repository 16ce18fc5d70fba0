import {
  createMlpWorkspace,
  initChain,
  initMlp,
  key,
  mlpSpec,
  mlpValueAndGradient,
} from '@annlab/core';
import { describe, expect, it } from 'vitest';
import type { MlpModel } from './model.js';
import { adam, sgd } from './optimizers/index.js';
import { fit as fitModel } from './trainer/index.js';

const x = Float64Array.from({ length: 100 }, (_, i) => 0.1 + (2 * i) / 99);
const y = Array.from(x, (v) => [v * Math.exp(v), Math.exp(v), v * v]);
const net = (sizes: number[]): MlpModel => {
  const spec = mlpSpec(sizes, 'gelu', 'gelu');
  return { kind: 'mlp', spec, params: Float64Array.from(initMlp(spec, key(0))) };
};

describe("fit with dtype: 'float32' (MLPs)", () => {
  it('one step is p − η·g with g from the float32 passes on the rounded parameters, in float64', () => {
    const m = net([1, 8, 8, 3]);
    const r = fitModel(
      m,
      { x, y },
      { epochs: 1, optimizer: sgd(0.001), loss: 'sse', dtype: 'float32' },
    );
    // independent: core's float32 passes by hand, then the update in float64
    const p32 = Float32Array.from(m.params);
    const g32 = new Float32Array(p32.length);
    const ws = createMlpWorkspace(m.spec, 100, 'float32');
    const loss = mlpValueAndGradient(
      m.spec,
      p32,
      Float32Array.from(x),
      Float32Array.from(y.flat()),
      100,
      'sse',
      ws,
      g32,
    );
    const expected = m.params.map((p, i) => p - 0.001 * g32[i]!);
    expect(r.params).toBeInstanceOf(Float64Array);
    expect(r.params).toBeAllclose(expected, { rtol: 0, atol: 0 });
    expect(r.history.loss[0]!).toBeAllclose(loss, { rtol: 1e-15, atol: 0 }); // loss·n/n: one rounding
    expect(r.model.training?.dtype).toBe('float32');
  });

  it('W3-style Adam: the float32 run follows the float64 run to float32 accuracy', () => {
    const m = net([1, 16, 16, 3]);
    const o = { epochs: 60, optimizer: adam(0.01), loss: 'sse' as const, normalize: true };
    const t64 = fitModel(m, { x, y }, o);
    const t32 = fitModel(m, { x, y }, { ...o, dtype: 'float32' });
    console.log(
      `float32 vs float64, 60 Adam epochs: loss ${t32.history.loss.at(-1)} vs ${t64.history.loss.at(-1)}`,
    );
    // float32 round-off (~6e-8 relative) grows over 60 Adam steps: rtol 1e-3 on the loss curve
    // (measured final losses 0.04691313 vs 0.04691315)
    expect(t32.history.loss).toBeAllclose(t64.history.loss, { rtol: 1e-3, atol: 0 });
    expect(t32.params).toBeAllclose(t64.params, { rtol: 1e-3, atol: 1e-5 });
  });

  it('mini-batches with a short last batch and validation work in float32', () => {
    const m = net([1, 8, 3]);
    const r = fitModel(
      m,
      { x, y },
      {
        epochs: 5,
        batch: 32,
        optimizer: adam(0.01),
        validation: { fraction: 0.2 },
        dtype: 'float32',
      },
    );
    const d = fitModel(
      m,
      { x, y },
      { epochs: 5, batch: 32, optimizer: adam(0.01), validation: { fraction: 0.2 } },
    );
    expect(r.stepsPerEpoch).toBe(3); // 80 training samples: 32, 32, 16
    expect(r.history.valLoss).toBeAllclose(d.history.valLoss, { rtol: 1e-4, atol: 0 });
  });

  it('rejects other dtypes and float32 chains', () => {
    const m = net([1, 4, 3]);
    expect(() => fitModel(m, { x, y }, { epochs: 1, dtype: 'float16' as never })).toThrow(
      `fit: options.dtype must be 'float64' or 'float32', got "float16"`,
    );
    const chain = { kind: 'chain' as const, params: initChain(key(0), 2) };
    expect(() => fitModel(chain, { x, y: x }, { epochs: 1, dtype: 'float32' })).toThrow(
      `fit: options.dtype must be 'float64' for a chain model, got "float32"`,
    );
  });
});
