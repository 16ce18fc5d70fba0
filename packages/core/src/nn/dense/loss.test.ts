import { numericGradient, seeded } from '@annlab/test-utils';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../errors.js';
import { LOSS_NAMES, type LossName, loss, softmaxCrossEntropy } from './index.js';

describe('loss: closed forms', () => {
  const pred = [1, 2, -0.5];
  const target = [0, 0, 0.5];
  it('halfSquaredError = ½Σr², sse = Σr², mse = Σr²/n', () => {
    // r = (1, 2, −1): Σr² = 6
    expect(loss('halfSquaredError').value(pred, target, 3)).toBeAllclose(3, { rtol: 0, atol: 0 });
    expect(loss('sse').value(pred, target, 3)).toBeAllclose(6, { rtol: 0, atol: 0 });
    expect(loss('mse').value(pred, target, 3)).toBeAllclose(2, { rtol: 0, atol: 0 });
  });
  it('gradients: r, 2r, 2r/n, (σ(z) − y)/n', () => {
    const g = new Float64Array(3);
    loss('halfSquaredError').valueAndGradient(pred, target, 3, g);
    expect(g).toBeAllclose([1, 2, -1], { rtol: 0, atol: 0 });
    loss('sse').valueAndGradient(pred, target, 3, g);
    expect(g).toBeAllclose([2, 4, -2], { rtol: 0, atol: 0 });
    loss('mse').valueAndGradient(pred, target, 3, g);
    expect(g).toBeAllclose([2 / 3, 4 / 3, -2 / 3], { rtol: 1e-15, atol: 0 });
    loss('bceWithLogits').valueAndGradient(pred, target, 3, g);
    const s = (z: number) => 1 / (1 + Math.exp(-z));
    expect(g).toBeAllclose([s(1) / 3, s(2) / 3, (s(-0.5) - 0.5) / 3], { rtol: 1e-15, atol: 0 });
  });
  it('bceWithLogits equals −[y·log σ(z) + (1−y)·log(1−σ(z))], averaged, for moderate logits', () => {
    const r = seeded(11);
    const z = r.array(20, -6, 6);
    const y = r.array(20, 0, 1);
    let ref = 0;
    for (let k = 0; k < 20; k++) {
      const s = 1 / (1 + Math.exp(-z[k]!));
      ref -= y[k]! * Math.log(s) + (1 - y[k]!) * Math.log(1 - s);
    }
    expect(loss('bceWithLogits').value(z, y, 20)).toBeAllclose(ref / 20, { rtol: 1e-13, atol: 0 });
  });
  it('bceWithLogits is finite and exact at logits ±1000', () => {
    const l = loss('bceWithLogits');
    const g = new Float64Array(4);
    const v = l.valueAndGradient([1000, -1000, 1000, -1000], [1, 0, 0, 1], 4, g);
    // Terms: 0, 0, 1000, 1000 (log σ(−1000) = −1000 exactly in float64).
    expect(v).toBeAllclose(500, { rtol: 1e-15, atol: 0 });
    expect(l.value([1000], [1], 1)).toBe(0);
    expect(g).toBeAllclose([0, 0, 0.25, -0.25], { rtol: 0, atol: 0 });
  });
  it('value and valueAndGradient agree, and only the first n entries are read and written', () => {
    for (const name of LOSS_NAMES) {
      const l = loss(name);
      const g = new Float64Array([9, 9, 9, 9]);
      const v = l.valueAndGradient([0.3, -0.2, 7, 7], [0.1, 0.4, Number.NaN, 1], 2, g);
      expect(v).toBe(l.value([0.3, -0.2], [0.1, 0.4], 2));
      expect(Array.from(g.subarray(2))).toEqual([9, 9]);
    }
  });
});

describe('loss: gradient vs central differences', () => {
  const r = seeded(5);
  const pred = r.array(7, -2, 2);
  const target = r.array(7, 0, 1);
  it.each(LOSS_NAMES)('%s', (name: LossName) => {
    const l = loss(name);
    const g = new Float64Array(7);
    l.valueAndGradient(pred, target, 7, g);
    const num = numericGradient((p) => l.value(p, target, 7), pred);
    expect(g).toBeAllclose(num, { rtol: 1e-7, atol: 1e-9 });
  });
});

describe('loss: validation', () => {
  it('names the bad loss name', () => {
    expect(() => loss('cross' as LossName)).toThrow(ValidationError);
    expect(() => loss('cross' as LossName)).toThrow(
      'loss: name must be one of halfSquaredError, mse, sse, bceWithLogits, softmaxCrossEntropy, got "cross"',
    );
    expect(() => loss('toString' as LossName)).toThrow('got "toString"');
  });
});

describe('softmaxCrossEntropy', () => {
  const rows = 5;
  const K = 3;
  const r = seeded(13);
  const z = r.array(rows * K, -3, 3);
  const labels = [0, 2, 1, 1, 0];
  const oneHot = new Float64Array(rows * K);
  labels.forEach((c, i) => {
    oneHot[i * K + c] = 1;
  });
  /** −log softmax(z)_y written out with exp and log (no log-sum-exp), averaged over rows. */
  function naive(zs: ArrayLike<number>, ys: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += Math.exp(zs[i * K + k]!);
      for (let k = 0; k < K; k++) total -= ys[i * K + k]! * Math.log(Math.exp(zs[i * K + k]!) / s);
    }
    return total / rows;
  }

  it('equals −mean log softmax(z)_y for labels, one-hot and probability targets', () => {
    expect(softmaxCrossEntropy(z, labels, K)).toBeAllclose(naive(z, oneHot), {
      rtol: 1e-14,
      atol: 0,
    });
    expect(softmaxCrossEntropy(z, oneHot, K)).toBeAllclose(naive(z, oneHot), {
      rtol: 1e-14,
      atol: 0,
    });
    const soft = Float64Array.from(oneHot, (v) => 0.7 * v + 0.1); // label smoothing: rows sum to 1
    expect(softmaxCrossEntropy(z, soft, K)).toBeAllclose(naive(z, soft), { rtol: 1e-14, atol: 0 });
    // uniform logits: ln K exactly as log-sum-exp computes it
    expect(softmaxCrossEntropy([0, 0, 0], [2], 3)).toBeAllclose(Math.log(3), {
      rtol: 1e-15,
      atol: 0,
    });
    // the registry's loss on probability rows is the same function
    expect(loss('softmaxCrossEntropy').value(z, oneHot, rows * K, K)).toBe(
      softmaxCrossEntropy(z, oneHot, K),
    );
  });

  it('gradient (softmax(z) − y)/rows matches central differences, labels and probabilities', () => {
    const soft = Float64Array.from(oneHot, (v) => 0.7 * v + 0.1);
    for (const targets of [labels, oneHot, soft] as ArrayLike<number>[]) {
      const g = new Float64Array(rows * K);
      softmaxCrossEntropy(z, targets, K, g);
      const num = numericGradient((p) => softmaxCrossEntropy(p, targets, K), z);
      expect(g).toBeAllclose(num, { rtol: 1e-7, atol: 1e-10 });
    }
    const g = new Float64Array(rows * K);
    loss('softmaxCrossEntropy').valueAndGradient(z, oneHot, rows * K, g, K);
    const num = numericGradient(
      (p) => loss('softmaxCrossEntropy').value(p, oneHot, rows * K, K),
      z,
    );
    expect(g).toBeAllclose(num, { rtol: 1e-7, atol: 1e-10 });
  });

  it('is finite and exact at logits ±1000 (log-sum-exp)', () => {
    const g = new Float64Array(4);
    // row 1: z = (1000, −1000), label 1: loss 2000, softmax (1, 0); row 2: label 0: loss 0
    const v = softmaxCrossEntropy([1000, -1000, 1000, -1000], [1, 0], 2, g);
    expect(v).toBeAllclose(1000, { rtol: 1e-15, atol: 0 });
    expect(g).toBeAllclose([0.5, -0.5, 0, 0], { rtol: 0, atol: 0 });
    // lse = 1000 + ln 2, then − 1000: one rounding at ulp(1000) ≈ 1.1e-13
    expect(softmaxCrossEntropy([1000, 1000], [0.5, 0.5], 2)).toBeAllclose(Math.log(2), {
      rtol: 0,
      atol: 2.3e-13,
    });
  });

  it('validates classes, shapes, labels and probabilities, naming the index', () => {
    expect(() => softmaxCrossEntropy([0, 0], [0], 1)).toThrow(
      'softmaxCrossEntropy: classes must be an integer ≥ 2, got 1',
    );
    expect(() => softmaxCrossEntropy([0, 0, 0], [0], 2)).toThrow(
      'softmaxCrossEntropy: logits must be a non-empty array of rows × classes (a multiple of 2) numbers',
    );
    expect(() => softmaxCrossEntropy([0, 0, 0, 0], [0, 2], 2)).toThrow(
      'softmaxCrossEntropy: targets must be integer labels in [0, 2), got 2 at index 1',
    );
    expect(() => softmaxCrossEntropy([0, 0], [1.5, -0.5], 2)).toThrow(
      'softmaxCrossEntropy: targets must be probabilities in [0, 1], got 1.5 at index 0',
    );
    expect(() => softmaxCrossEntropy([0, 0], [0.5, 0.4], 2)).toThrow(
      'softmaxCrossEntropy: each target row must sum to 1, row 0 sums to 0.9',
    );
    expect(() => softmaxCrossEntropy([0, 0, 0, 0], [1, 0, 0], 2)).toThrow(
      'softmaxCrossEntropy: targets must hold one label per row (2) or a probability row per row (2 × 2 = 4)',
    );
    expect(() => softmaxCrossEntropy([0, Number.NaN], [0], 2)).toThrow(
      'softmaxCrossEntropy: logits must not be NaN, got NaN at index 1',
    );
  });
});

describe('bceWithLogits: targets outside [0, 1]', () => {
  it('throws naming the value and index (a target of 2 would make the loss negative)', () => {
    const l = loss('bceWithLogits');
    expect(() => l.value([5, 5], [1, 2], 2)).toThrow(
      "loss('bceWithLogits'): target must be in [0, 1] (a probability), got 2 at index 1",
    );
    expect(() => l.valueAndGradient([5], [-0.1], 1, new Float64Array(1))).toThrow(
      'got -0.1 at index 0',
    );
    expect(() => l.value([5], [Number.NaN], 1)).toThrow('got NaN at index 0');
    // the bounds themselves are fine
    expect(l.value([0, 0], [0, 1], 2)).toBeAllclose(Math.log(2), { rtol: 1e-15, atol: 0 });
  });
});
