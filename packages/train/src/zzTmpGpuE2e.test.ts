// TEMPORARY scratch check (deleted after use): the real @annlab/gpu trainer through fit's backend.
import { initMlp, key, mlpSpec } from '@annlab/core';
import { expect, it } from 'vitest';
import { createGpuMlpTrainer, requestGpu } from '../../gpu/src/index.js';
import { fit as fitModel } from './fit.js';
import type { MlpModel } from './model.js';
import { adam, sgd } from './optimizers/index.js';

it('real gpu', async () => {
  const gpu = await requestGpu();
  const backend = {
    kind: 'webgpu',
    createTrainer: (spec, params, opts) => createGpuMlpTrainer(gpu, spec, params, opts),
  } as const satisfies import('./webgpu.js').WebGpuBackend;
  const spec = mlpSpec([1, 32, 32, 32, 32, 32, 3], 'gelu', 'gelu');
  const m: MlpModel = { kind: 'mlp', spec, params: Float64Array.from(initMlp(spec, key(0))) };
  const x = Float64Array.from({ length: 100 }, (_, i) => 0.1 + (2 * i) / 99);
  const y = Array.from(x, (v) => [v * Math.exp(v) - 10, Math.exp(v), v * v]);
  const o = { epochs: 100, optimizer: adam(0.01), loss: 'sse' as const, normalize: true, progressEvery: 25 };
  const g = await fitModel(m, { x, y }, { ...o, backend });
  const c = fitModel(m, { x, y }, o);
  console.log('gpu', Array.from(g.history.loss).filter((v) => !Number.isNaN(v)), 'cpu', [24, 49, 74, 99].map((e) => c.history.loss[e]));
  let md = 0;
  for (let i = 0; i < c.params.length; i++) md = Math.max(md, Math.abs(g.params[i]! - c.params[i]!));
  console.log('max abs param diff', md, g.history.wallTimeMs, c.history.wallTimeMs);
  const x2 = Float64Array.from({ length: 1000 }, (_, i) => -2 + (4 * i) / 999);
  const y2 = x2.map((v) => Math.sin(3 * v));
  const s2 = mlpSpec([1, 16, 16, 1], 'tanh');
  const m2: MlpModel = { kind: 'mlp', spec: s2, params: Float64Array.from(initMlp(s2, key(1))) };
  const o2 = { epochs: 5, batch: 256, optimizer: sgd(0.05, { momentum: 0.9 }), loss: 'mse' as const, key: 3 };
  const g2 = await fitModel(m2, { x: x2, y: y2 }, { ...o2, backend });
  const c2 = fitModel(m2, { x: x2, y: y2 }, o2);
  let md2 = 0;
  for (let i = 0; i < c2.params.length; i++) md2 = Math.max(md2, Math.abs(g2.params[i]! - c2.params[i]!));
  console.log('mini-batch max abs param diff', md2, g2.history.loss, c2.history.loss);
  expect(md2).toBeLessThan(1e-3);
}, 120_000);
