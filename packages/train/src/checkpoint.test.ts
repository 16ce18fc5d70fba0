import { initChain, initMlp, key, mlpSpec } from '@annlab/core';
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_VERSION, loadModel, saveModel } from './checkpoint.js';
import { CheckpointError } from './errors.js';
import { type ChainModel, type MlpModel, predict } from './model.js';
import { adam } from './optimizers/index.js';
import { fit as fitModel } from './trainer/index.js';

const x = Float64Array.from({ length: 40 }, (_, i) => 0.5 + i / 16);
const y = x.map((v) => Math.log(v) * 10 + 3);

describe('saveModel / loadModel', () => {
  it('round-trips a trained chain with normalisation and training record, bit for bit', () => {
    const net: ChainModel = {
      kind: 'chain',
      params: initChain(key(1), 2),
      activations: ['tanh', 'identity'],
    };
    const { model } = fitModel(net, { x, y }, { epochs: 20, batch: 'sgd', normalize: true });
    const back = loadModel(saveModel(model));
    expect(back.kind).toBe('chain');
    expect((back as ChainModel).params.data).toBeAllclose(model.params.data, { rtol: 0, atol: 0 });
    expect(predict(back, x)).toBeAllclose(predict(model, x), { rtol: 0, atol: 0 });
    expect(back.training?.epochs).toBe(20);
    expect(back.training?.optimizer.name).toBe('sgd');
  });

  it('round-trips an MLP', () => {
    const spec = mlpSpec([1, 8, 2], 'tanh');
    const net: MlpModel = { kind: 'mlp', spec, params: Float64Array.from(initMlp(spec, key(2))) };
    const ys = Array.from(x, (v) => [v, -v]);
    const { model } = fitModel(
      net,
      { x, y: ys },
      { epochs: 5, optimizer: adam(0.01), normalize: { y: true } },
    );
    const back = loadModel(saveModel(model));
    expect(predict(back, x)).toBeAllclose(predict(model, x), { rtol: 0, atol: 0 });
  });

  it('rejects malformed, truncated, foreign and wrong-version files with the JSON path', () => {
    const good = JSON.parse(saveModel({ kind: 'chain', params: initChain(key(0), 3) }));
    const bad = (mutate: (d: Record<string, unknown>) => void) => {
      const d = structuredClone(good);
      mutate(d);
      return JSON.stringify(d);
    };
    const text = saveModel({ kind: 'chain', params: initChain(key(0), 3) });
    expect(() => loadModel(text.slice(0, text.length - 10))).toThrow(
      /^loadModel: the text is not valid JSON \(truncated\?\)/,
    );
    expect(() =>
      loadModel(
        bad((d) => {
          d.format = 'other';
        }),
      ),
    ).toThrow('loadModel: $.format must be "annlab-model", got "other"');
    expect(() =>
      loadModel(
        bad((d) => {
          d.version = 2;
        }),
      ),
    ).toThrow(
      `loadModel: $.version must be ${CHECKPOINT_VERSION} (the version this library reads), got 2`,
    );
    expect(() =>
      loadModel(
        bad((d) => {
          (d.model as { params: number[] }).params.pop();
        }),
      ),
    ).toThrow(
      /^loadModel: \$\.model\.params must be an array of 6 numbers \(truncated or wrong spec\?\), got Array\(5\)/,
    );
    expect(() =>
      loadModel(
        bad((d) => {
          (d.model as { params: unknown[] }).params[4] = 'x';
        }),
      ),
    ).toThrow('loadModel: $.model.params[4] must be a finite number, got "x"');
    expect(() =>
      loadModel(
        bad((d) => {
          (d.model as { activations: unknown[] }).activations[0] = 'swish';
        }),
      ),
    ).toThrow(/^loadModel: \$\.model\.activations\[0\] must be a valid activation/);
    expect(() =>
      loadModel(
        bad((d) => {
          (d.model as { kind: string }).kind = 'cnn';
        }),
      ),
    ).toThrow('loadModel: $.model.kind must be "chain" or "mlp", got "cnn"');
    expect(() =>
      loadModel(
        bad((d) => {
          d.normalization = { x: { mean: [0], std: [0] } };
        }),
      ),
    ).toThrow('loadModel: $.normalization.x.std[0] must be a number in [1e-150, 1e+150], got 0');
    try {
      loadModel('[]');
    } catch (e) {
      expect(e).toBeInstanceOf(CheckpointError);
      expect((e as CheckpointError).path).toBe('$');
    }
  });
});
