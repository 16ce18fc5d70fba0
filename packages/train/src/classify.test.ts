/**
 * predictProba / predictClass on a network with hand-set weights (so the logits are known in closed
 * form), and the metrics against hand-computed values.
 */
import { initChain, key, mlpSpec } from '@annlab/core';
import { describe, expect, it } from 'vitest';
import { accuracy, confusionMatrix, logLoss, predictClass, predictProba } from './classify.js';
import type { ChainModel, MlpModel, TrainingRecord } from './model.js';

// 2 inputs → 3 logits, identity: z = W·x + b with W = [[1, 0], [0, 1], [0, 0]], b = [0, 0, 0.5].
const spec = mlpSpec([2, 3], 'identity', 'identity');
const params = Float64Array.from([1, 0, 0, 1, 0, 0, 0, 0, 0.5]);
const model: MlpModel = { kind: 'mlp', spec, params };
const x = [
  [2, 0],
  [0, 3],
  [0, 0],
  [1000, -1000],
];

function softmax(z: number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

describe('predictProba and predictClass', () => {
  it('softmax of the logits per row, finite at ±1000; arg-max classes', () => {
    const p = predictProba(model, x);
    const ref = [
      softmax([2, 0, 0.5]),
      softmax([0, 3, 0.5]),
      softmax([0, 0, 0.5]),
      [1, 0, 0], // e^(−1000) underflows to 0
    ].flat();
    expect(p).toBeAllclose(ref, { rtol: 1e-15, atol: 1e-300 });
    expect(Array.from(predictClass(model, x))).toEqual([0, 1, 2, 0]);
  });

  it('a one-output (bceWithLogits) model gives σ(z) and z ≥ 0 → class 1', () => {
    const s1 = mlpSpec([1, 1], 'identity', 'identity');
    const m: MlpModel = { kind: 'mlp', spec: s1, params: Float64Array.from([1, 0]) };
    expect(predictProba(m, [0, 2, -2])).toBeAllclose(
      [0.5, 1 / (1 + Math.exp(-2)), 1 / (1 + Math.exp(2))],
      { rtol: 1e-15, atol: 0 },
    );
    expect(Array.from(predictClass(m, [0, 2, -2]))).toEqual([1, 1, 0]);
  });

  it('refuses a chain, and a model trained on a regression loss', () => {
    const chain: ChainModel = { kind: 'chain', params: initChain(key(0), 2) };
    expect(() => predictProba(chain, [1])).toThrow(
      'predictProba: model must be an MLP with logits as outputs, got a chain model',
    );
    const mse = { ...model, training: { loss: 'mse' } as TrainingRecord };
    expect(() => predictClass(mse, x)).toThrow(
      'predictClass: model was trained on the "mse" loss, not as a classifier (softmaxCrossEntropy or bceWithLogits)',
    );
  });
});

describe('metrics', () => {
  it('accuracy, confusion matrix (rows truth, columns prediction) and log-loss by hand', () => {
    const predicted = [0, 1, 2, 2, 1];
    const labels = [0, 1, 1, 2, 0];
    expect(accuracy(predicted, labels)).toBe(3 / 5);
    expect(confusionMatrix(predicted, labels, 3)).toEqual([
      [1, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    const proba = [0.9, 0.1, 0.2, 0.8];
    expect(logLoss(proba, [0, 1])).toBeAllclose(-(Math.log(0.9) + Math.log(0.8)) / 2, {
      rtol: 1e-15,
      atol: 0,
    });
    // binary: one probability of class 1 per row
    expect(logLoss([0.8, 0.3], [1, 0])).toBeAllclose(-(Math.log(0.8) + Math.log(0.7)) / 2, {
      rtol: 1e-15,
      atol: 0,
    });
    // a certain mistake is clipped at 1e-15: −ln 1e-15 ≈ 34.54, not ∞
    expect(logLoss([1, 0], [1])).toBeAllclose(-Math.log(1e-15), { rtol: 1e-15, atol: 0 });
  });

  it('validates lengths, labels and probabilities, naming the index', () => {
    expect(() => accuracy([0, 1], [0])).toThrow(
      'accuracy: labels must be an array of 2 class labels',
    );
    expect(() => accuracy([0, 1.5], [0, 1])).toThrow(
      'accuracy: predicted must be integer class labels ≥ 0, got 1.5 at index 1',
    );
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow(
      'confusionMatrix: predicted must be integer class labels in [0, 3), got 3 at index 1',
    );
    expect(() => logLoss([0.5, 0.5, 0.5], [0, 1])).toThrow(
      'logLoss: proba must hold rows × classes probabilities for 2 labels',
    );
    expect(() => logLoss([1.2, -0.2], [0])).toThrow(
      'logLoss: proba must be probabilities in [0, 1], got 1.2 at index 0',
    );
  });
});
