import { foldIn, initChain, key, permutation } from '@annlab/core';
import { adam, type ChainModel, fit as fitModel, loadModel, predict } from '@annlab/train';
import { describe, expect, it } from 'vitest';
import { createCpuEngine, stepsPerEpoch } from './engine.js';
import { checkJob, type JobSpec } from './protocol.js';

const x = Array.from({ length: 40 }, (_, i) => 0.5 + (2.5 * i) / 39);
const y = x.map((v) => -3 * v + 2);
const base: JobSpec = {
  model: { kind: 'chain', depth: 3 },
  x,
  y,
  seed: 0,
  optimizer: 'sgd',
  learningRate: 0.01,
  schedule: 'constant',
  batch: 'sgd',
  epochs: 12,
  loss: 'mse',
  normalize: false,
  backend: 'cpu',
  chunk: 5,
};

describe('createCpuEngine', () => {
  it('replays one fit exactly when run in chunks (per-sample SGD, shuffled epochs)', async () => {
    const engine = createCpuEngine(base);
    const losses: number[] = [];
    for (const k of [5, 1, 6]) losses.push(...(await engine.run(k)).loss);
    const net: ChainModel = { kind: 'chain', params: initChain(key(0), 3) };
    const ref = fitModel(net, { x, y }, { epochs: 12, batch: 'sgd', learningRate: 0.01, key: 0 });
    expect(engine.epoch).toBe(12);
    expect(losses).toBeAllclose(Array.from(ref.history.loss), { rtol: 0, atol: 0 });
    expect(engine.params()).toBeAllclose(Array.from(ref.params), { rtol: 0, atol: 0 });
  });

  it('keeps Adam state and the shuffle across chunks (mini-batches of an MLP)', async () => {
    const job: JobSpec = {
      ...base,
      model: { kind: 'mlp', sizes: [1, 8, 1], hidden: 'tanh', output: 'identity' },
      optimizer: 'adam',
      batch: 7,
      epochs: 9,
      normalize: true,
    };
    const engine = createCpuEngine(job);
    await engine.run(4);
    await engine.run(10); // clipped to the 5 epochs left
    const whole = createCpuEngine({ ...job });
    const one = await whole.run(9);
    expect(engine.epoch).toBe(9);
    expect(engine.params()).toBeAllclose(whole.params(), { rtol: 0, atol: 0 });
    expect(one.updates.at(-1)).toBe(9 * stepsPerEpoch(7, 40));
    // And a direct fit with the same options agrees.
    const spec = { sizes: [1, 8, 1], activations: ['tanh', 'identity'] } as const;
    const init = (await import('@annlab/core')).initMlp(spec, key(0));
    const ref = fitModel(
      { kind: 'mlp', spec, params: Float64Array.from(init) },
      { x, y },
      {
        epochs: 9,
        batch: 7,
        optimizer: adam(0.01),
        key: 0,
        normalize: true,
        shuffle: (e) => permutation(foldIn(key(0), e), 40),
      },
    );
    expect(whole.params()).toBeAllclose(Array.from(ref.params), { rtol: 0, atol: 0 });
  });

  it('predicts in the targets units and saves a loadable checkpoint', async () => {
    const engine = createCpuEngine({ ...base, epochs: 200, chunk: 200, normalize: true });
    await engine.run(200);
    const p = engine.predict([1, 2]);
    // Roughly on the line −3x + 2 after 200 epochs of SGD …
    expect(p).toBeAllclose([-1, -4], { rtol: 0, atol: 0.6 });
    // … and exactly what the saved model predicts (normalisation included).
    const again = predict(loadModel(engine.save()), [1, 2]);
    expect(p).toBeAllclose(Array.from(again), { rtol: 0, atol: 0 });
  });
});

describe('checkJob', () => {
  it('accepts the defaults and names the setting it refuses', () => {
    expect(checkJob(base)).toBeUndefined();
    expect(checkJob({ ...base, epochs: 1e9 })).toBe(
      'epochs must be an integer in [1, 20000], got 1000000000',
    );
    expect(checkJob({ ...base, learningRate: 0 })).toBe(
      'the learning rate must be in (0, 10], got 0',
    );
    expect(
      checkJob({
        ...base,
        model: { kind: 'mlp', sizes: [1, 1000, 1], hidden: 'tanh', output: 'identity' },
      }),
    ).toBe('layer widths must be integers in [1, 128], got 1000');
  });
});
