import { activation, initMlp, key, mlpSpec } from '@annlab/core';
import { describe, expect, it } from 'vitest';
import { loadModel, saveModel } from './checkpoint.js';
import { type MlpModel, predict } from './model.js';
import {
  autoTargetScaling,
  fitMinMax,
  fitStandardizer,
  standardize,
  unstandardize,
} from './normalize.js';
import { adam } from './optimizers/index.js';
import { fit as fitModel } from './trainer/index.js';

describe('fitMinMax', () => {
  it('maps each column of the training data onto the range, and inverts exactly', () => {
    // two columns: [2, 4, 6] and [−1, −1, −1] (constant)
    const data = Float64Array.of(2, -1, 4, -1, 6, -1);
    const s = fitMinMax(data, 2);
    expect(s.method).toBe('minmax');
    expect(s.range).toEqual([0, 1]);
    // closed form: column 0 → (v − 2) / 4; a constant column → the middle of the range
    expect(standardize(s, data, 2)).toBeAllclose([0, 0.5, 0.5, 0.5, 1, 0.5], { rtol: 0, atol: 0 });
    const t = fitMinMax(data, 2, [-0.9, 0.9]);
    expect(standardize(t, data, 2)).toBeAllclose([-0.9, 0, 0, 0, 0.9, 0], {
      rtol: 0,
      atol: 1e-15,
    });
    expect(unstandardize(t, standardize(t, data, 2), 2)).toBeAllclose(data, {
      rtol: 1e-15,
      atol: 1e-15,
    });
  });

  it('validates its arguments', () => {
    expect(() => fitMinMax(Float64Array.of(1, 2), 1, [1, 1])).toThrow(
      'fitMinMax: range must be two finite numbers [lo, hi] with lo < hi, got Array(2)',
    );
    expect(() => fitMinMax(Float64Array.of(1, Number.NaN), 1)).toThrow(/^fitMinMax: data/);
    expect(() => fitMinMax(new Float64Array(0), 1)).toThrow(
      'fitMinMax: data must have at least one row, got 0',
    );
    expect(() => fitMinMax(Float64Array.of(1, 2, 3), 2)).toThrow(
      'fitMinMax: data length 3 is not a multiple of cols = 2',
    );
  });
});

describe('autoTargetScaling', () => {
  it('keeps every scaled target inside the output activation range', () => {
    expect(autoTargetScaling('identity')).toEqual({ method: 'standard' });
    expect(autoTargetScaling({ name: 'leakyRelu', slope: 0.2 })).toEqual({ method: 'standard' });
    for (const a of ['gelu', 'relu', 'elu'] as const) {
      expect(autoTargetScaling(a)).toEqual({ method: 'minmax', range: [0, 1] });
    }
    expect(autoTargetScaling('softplus')).toEqual({ method: 'minmax', range: [0.1, 1] });
    expect(autoTargetScaling({ name: 'gelu', approximate: 'tanh' })).toEqual({
      method: 'minmax',
      range: [0, 1],
    });
    expect(autoTargetScaling(activation('sigmoid'))).toEqual({
      method: 'minmax',
      range: [0.1, 0.9],
    });
    expect(autoTargetScaling('tanh')).toEqual({ method: 'minmax', range: [-0.9, 0.9] });
    expect(autoTargetScaling('sigmoid', 'bceWithLogits')).toEqual({ method: 'none' });
    // The chosen range lies inside the activation's range: both ends are reached at finite inputs
    // (f(−50) ≤ lo and f(50) ≥ hi, f continuous and increasing).
    for (const a of ['gelu', 'relu', 'softplus', 'elu', 'sigmoid', 'tanh'] as const) {
      const c = autoTargetScaling(a);
      if (c.method !== 'minmax') throw new Error('expected minmax');
      const f = activation(a).f;
      expect(f(-50)).toBeLessThanOrEqual(c.range[0]);
      expect(f(50)).toBeGreaterThanOrEqual(c.range[1]);
    }
    expect(() => autoTargetScaling('swish' as never)).toThrow(
      'autoTargetScaling: output must be an activation spec or object, got "swish"',
    );
  });
});

describe('fit with normalize', () => {
  const spec = mlpSpec([1, 8, 2], 'tanh', 'gelu');
  const net: MlpModel = { kind: 'mlp', spec, params: Float64Array.from(initMlp(spec, key(3))) };
  const x = Float64Array.from({ length: 30 }, (_, i) => i / 10);
  const y = Array.from(x, (v) => [v - 2, 3 * v]);

  it('true: standard inputs, min-max targets for a GELU output; stored and inverted by predict', () => {
    const { model } = fitModel(
      net,
      { x, y },
      { epochs: 3, optimizer: adam(0.01), normalize: true },
    );
    const n = model.normalization!;
    expect(n.x).toEqual(fitStandardizer(x, 1));
    expect(n.y).toEqual(fitMinMax(Float64Array.from(y.flat()), 2, [0, 1]));
    // predict inverts the target scaling: raw network output → v · std + mean
    const raw = Float64Array.from(
      predict({ ...model, normalization: { x: n.x! } }, x), // inputs scaled, outputs not
    );
    expect(predict(model, x)).toBeAllclose(unstandardize(n.y!, raw, 2), { rtol: 1e-15, atol: 0 });
  });

  it('explicit methods per side, and { y: true } = auto', () => {
    const a = fitModel(net, { x, y }, { epochs: 1, normalize: { x: 'minmax', y: 'standard' } });
    expect(a.model.normalization?.x?.method).toBe('minmax');
    expect(a.model.normalization?.y?.method).toBeUndefined(); // standardisation
    const b = fitModel(net, { x, y }, { epochs: 1, normalize: { y: true } });
    expect(b.model.normalization?.x).toBeUndefined();
    expect(b.model.normalization?.y?.range).toEqual([0, 1]);
    const c = fitModel(net, { x, y }, { epochs: 1, normalize: { x: 'none', y: 'none' } });
    expect(c.model.normalization).toBeUndefined();
  });

  it('rejects unknown methods, naming the option', () => {
    expect(() =>
      fitModel(net, { x, y }, { epochs: 1, normalize: { y: 'robust' as never } }),
    ).toThrow(
      `fit: options.normalize.y must be a boolean, 'auto', 'standard', 'minmax' or 'none', got "robust"`,
    );
    expect(() => fitModel(net, { x, y }, { epochs: 1, normalize: { x: 'auto' as never } })).toThrow(
      `fit: options.normalize.x must be a boolean, 'standard', 'minmax' or 'none', got "auto"`,
    );
    expect(() => fitModel(net, { x, y }, { epochs: 1, normalize: 1 as never })).toThrow(
      'fit: options.normalize must be a boolean or { x?: boolean | method, y?: boolean | method }, got 1',
    );
  });

  it('checkpoints keep the min-max scaling (version 1, backward compatible) bit for bit', () => {
    const { model } = fitModel(
      net,
      { x, y },
      { epochs: 3, optimizer: adam(0.01), normalize: true },
    );
    const json = saveModel(model);
    const doc = JSON.parse(json);
    expect(doc.version).toBe(1);
    expect(doc.normalization.y.method).toBe('minmax');
    expect(doc.normalization.y.range).toEqual([0, 1]);
    expect(doc.normalization.x.method).toBeUndefined(); // standardisation written as before
    const back = loadModel(json);
    expect(back.normalization).toEqual(model.normalization);
    expect(predict(back, x)).toBeAllclose(predict(model, x), { rtol: 0, atol: 0 });
    // A reader that ignores method/range (as older versions do) predicts the same: mean/std suffice.
    delete doc.normalization.y.method;
    delete doc.normalization.y.range;
    expect(predict(loadModel(JSON.stringify(doc)), x)).toBeAllclose(predict(model, x), {
      rtol: 0,
      atol: 0,
    });
    const bad = JSON.parse(json);
    bad.normalization.y.method = 'robust';
    expect(() => loadModel(JSON.stringify(bad))).toThrow(
      'loadModel: $.normalization.y.method must be "standard", "minmax" or absent, got "robust"',
    );
    bad.normalization.y.method = 'minmax';
    bad.normalization.y.range = [1, 0];
    expect(() => loadModel(JSON.stringify(bad))).toThrow(
      'loadModel: $.normalization.y.range must be [lo, hi] with lo < hi, got Array(2)',
    );
  });
});
