/**
 * The softmax cross-entropy kernel against core's float64 `softmaxCrossEntropy` (the oracle), on the
 * same float32-rounded logits: labels, one-hot and probability targets, extreme logits, NaN.
 */
import { softmaxCrossEntropy } from '@annlab/core';
import { seeded } from '@annlab/test-utils';
import { expect, it } from 'vitest';
import { describeGpu } from '../../test-helpers/gpu.js';
import { softmaxCrossEntropyGpu } from './softmaxCrossEntropy.js';

const f32 = (x: ArrayLike<number>) => Float64Array.from(Float32Array.from(x));

describeGpu('softmaxCrossEntropy kernel', (gpu) => {
  const rows = 300;
  const K = 5;
  const r = seeded(77);
  const z = f32(r.array(rows * K, -6, 6));
  const labels = Float64Array.from({ length: rows }, () => Math.floor(r.uniform() * K));
  const soft = new Float64Array(rows * K);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += soft[i * K + k] = r.uniform();
    for (let k = 0; k < K; k++) soft[i * K + k]! /= s;
  }
  const softF32 = f32(soft);

  it('integer labels: loss and gradient match the f64 CPU path', async () => {
    const g = new Float64Array(rows * K);
    const ref = softmaxCrossEntropy(z, labels, K, g);
    const out = await softmaxCrossEntropyGpu(gpu(), z, labels, K);
    // float32 exp/log per row (≈ 1e-6 relative) and a tree sum of 300 rows
    expect(out.loss).toBeAllclose(ref, { rtol: 1e-5, atol: 0 });
    // gradient entries are O(1/rows); float32 rounding of e^(z − lse)
    expect(out.grad).toBeAllclose(g, { rtol: 1e-4, atol: 1e-8 });
  });

  it('probability targets: loss and gradient match the f64 CPU path', async () => {
    // the CPU reference renormalises the float32-rounded rows it is given; they sum to 1 within 1e-6
    const g = new Float64Array(rows * K);
    const ref = softmaxCrossEntropy(z, softF32, K, g);
    const out = await softmaxCrossEntropyGpu(gpu(), z, softF32, K);
    expect(out.loss).toBeAllclose(ref, { rtol: 1e-5, atol: 0 });
    expect(out.grad).toBeAllclose(g, { rtol: 1e-4, atol: 1e-8 });
  });

  it('is finite at logits of ±400 (log-sum-exp) and gives the closed form', async () => {
    // row 1: label 1 against (400, −400): loss 800; row 2: label 0: loss 0. Mean 400.
    const out = await softmaxCrossEntropyGpu(gpu(), [400, -400, 400, -400], [1, 0], 2);
    expect(out.loss).toBeAllclose(400, { rtol: 1e-7, atol: 0 });
    expect(out.grad).toBeAllclose([0.5, -0.5, 0, 0], { rtol: 0, atol: 1e-7 });
    const u = await softmaxCrossEntropyGpu(gpu(), [0, 0, 0], [2], 3);
    expect(u.loss).toBeAllclose(Math.log(3), { rtol: 1e-6, atol: 0 });
    expect(u.grad).toBeAllclose([1 / 3, 1 / 3, -2 / 3], { rtol: 1e-6, atol: 0 });
  });

  it('a NaN logit makes its row NaN (never a silent finite value)', async () => {
    const out = await softmaxCrossEntropyGpu(gpu(), [Number.NaN, 0, 1, 2], [0, 1], 2);
    expect(Number.isNaN(out.loss)).toBe(true);
    expect(Number.isNaN(out.grad[0]!) && Number.isNaN(out.grad[1]!)).toBe(true);
    expect(Number.isFinite(out.grad[2]!) && Number.isFinite(out.grad[3]!)).toBe(true);
  });

  it('validates classes, shapes and targets', async () => {
    await expect(softmaxCrossEntropyGpu(gpu(), [0, 0], [0], 1)).rejects.toThrow(
      'softmaxCrossEntropyGpu: classes must be an integer ≥ 2, got 1',
    );
    await expect(softmaxCrossEntropyGpu(gpu(), [0, 0, 0, 0], [0, 2], 2)).rejects.toThrow(
      'softmaxCrossEntropyGpu: targets[1] must be an integer label in [0, 2), got 2',
    );
    await expect(softmaxCrossEntropyGpu(gpu(), [0, 0, 0, 0], [0, 1, 2], 2)).rejects.toThrow(
      'softmaxCrossEntropyGpu: targets must hold one label per row (2) or rows × classes = 4 probabilities, got 3',
    );
  });
});
