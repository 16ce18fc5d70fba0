import { numericGradient, seeded } from '@annlab/test-utils';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../errors.js';
import { LOSS_NAMES, type LossName, loss } from './index.js';

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
      'loss: name must be one of halfSquaredError, mse, sse, bceWithLogits, got "cross"',
    );
    expect(() => loss('toString' as LossName)).toThrow('got "toString"');
  });
});
