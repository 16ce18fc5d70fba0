/**
 * Property test of loadModel (issue 12, item 13): random mutations of valid model files (deleted keys,
 * wrong types, NaN/±∞/huge/subnormal numbers, `__proto__` keys, truncation, a byte-order mark). Either
 * a model comes out that predicts finite values on finite inputs, or a CheckpointError naming a JSON
 * path is thrown; never another error type.
 */
import { chainParams, initChain, initMlp, key, mlpSpec } from '@annlab/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadModel, saveModel } from './checkpoint.js';
import { CheckpointError } from './errors.js';
import { type ChainModel, type MlpModel, predict, type TrainingRecord } from './model.js';

const SEED = 20261206;
const RUNS = 3000;
/** The inputs predictions are checked at (loadModel probes the same range, [-2, 2]). */
const INPUTS = [-2, -1, -0.5, 0, 0.5, 1, 2];

const training: TrainingRecord = {
  optimizer: { name: 'sgd', learningRate: 0.01, momentum: 0, nesterov: false },
  epochs: 3,
  updates: 30,
  batch: 'sgd',
  shuffle: 'epoch',
  dropLast: false,
  loss: 'halfSquaredError',
  key: [0, 0],
  stopReason: 'epochs',
  finalLoss: 0.25,
};
const init = initChain(key(0), 3);
const chain: ChainModel = {
  kind: 'chain',
  params: chainParams(init.w, init.b),
  activations: ['sigmoid', { name: 'leakyRelu', slope: 0.1 }, 'identity'],
  normalization: {
    x: { mean: Float64Array.from([1.5]), std: Float64Array.from([0.7]) },
    y: { mean: Float64Array.from([2]), std: Float64Array.from([3]) },
  },
  training,
};
const spec = mlpSpec([2, 4, 2], 'tanh');
const mlp: MlpModel = {
  kind: 'mlp',
  spec,
  params: Float64Array.from(initMlp(spec, key(1))),
  normalization: {
    x: { mean: Float64Array.from([0, 1]), std: Float64Array.from([1, 2]) },
    y: {
      mean: Float64Array.from([0, 0]),
      std: Float64Array.from([1, 1]),
      method: 'minmax',
      range: [-1, 1],
    },
  },
};
const bases = [saveModel(chain), saveModel(mlp)];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path in a JSON document, as arrays of keys/indices. */
function paths(doc: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix];
  if (Array.isArray(doc)) for (const [i, v] of doc.entries()) out.push(...paths(v, [...prefix, i]));
  else if (doc !== null && typeof doc === 'object')
    for (const [k, v] of Object.entries(doc)) out.push(...paths(v, [...prefix, k]));
  return out;
}

const WEIRD = [
  '1e999',
  '-1e999',
  '1e308',
  '-1e308',
  '1e200',
  '1e-320',
  '"x"',
  'null',
  'true',
  '{}',
  '[]',
  '-0',
  '0',
  '"__proto__"',
  '{"__proto__":{"kind":"mlp"}}',
];

/** Rewrites the value at `path` (or deletes it) in the JSON text. */
function mutate(text: string, path: (string | number)[], action: 'delete' | string): string {
  const doc = JSON.parse(text) as Json;
  if (path.length === 0) return action === 'delete' ? '' : action;
  let parent = doc as Record<string | number, Json>;
  for (const p of path.slice(0, -1)) parent = parent[p] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  const marker = '"@@MUTATION@@"';
  if (action === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
    return JSON.stringify(doc);
  }
  parent[last] = '@@MUTATION@@';
  return JSON.stringify(doc).replace(marker, action);
}

const mutation = fc
  .tuple(
    fc.nat({ max: bases.length - 1 }),
    fc.nat(),
    fc.oneof(
      fc.constant('delete'),
      fc.constantFrom(...WEIRD),
      fc.double().map((v) => JSON.stringify(v) ?? 'null'),
    ),
    fc.oneof(
      fc.constant({ kind: 'none' as const }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.constant({ kind: 'bom' as const }),
      fc.record({ kind: fc.constant('proto' as const), at: fc.nat() }),
    ),
  )
  .map(([b, p, action, extra]) => {
    const base = bases[b]!;
    const all = paths(JSON.parse(base) as Json);
    let text = mutate(base, all[p % all.length]!, action);
    if (extra.kind === 'truncate') text = text.slice(0, extra.at % (text.length + 1));
    if (extra.kind === 'bom') text = `\ufeff${text}`;
    if (extra.kind === 'proto') {
      const braces = [...text.matchAll(/\{/g)].map((m) => m.index!);
      if (braces.length > 0) {
        const i = braces[extra.at % braces.length]! + 1;
        text = `${text.slice(0, i)}"__proto__":{"kind":"chain","depth":1e9},${text.slice(i)}`;
      }
    }
    return text;
  });

describe('loadModel property test (fast-check, seed 20261206)', () => {
  it('a mutated model file gives a model with finite predictions, or a CheckpointError with a JSON path', () => {
    const counts = { model: 0, CheckpointError: 0 };
    fc.assert(
      fc.property(mutation, (text) => {
        let model: ReturnType<typeof loadModel>;
        try {
          model = loadModel(text);
        } catch (err) {
          if (!(err instanceof CheckpointError)) throw err;
          expect(err.path).toMatch(/^\$/);
          expect(err.message).toMatch(/^loadModel: /);
          counts.CheckpointError++;
          return;
        }
        const inputs = model.kind === 'mlp' ? model.spec.sizes[0]! : 1;
        const rows = INPUTS.map((v) => Array.from({ length: inputs }, () => v));
        const y = predict(model, inputs === 1 ? INPUTS : rows);
        for (const v of y) expect(Number.isFinite(v)).toBe(true);
        counts.model++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    console.log(
      `checkpoint mutations: ${RUNS} cases (${counts.model} models, ${counts.CheckpointError} CheckpointErrors)`,
    );
    expect(counts.model).toBeGreaterThan(0);
    expect(counts.CheckpointError).toBeGreaterThan(0);
  });
});

describe('model loading gaps (item 13) and non-finite predictions (item 7)', () => {
  it('a UTF-8 byte-order mark is skipped', () => {
    const back = loadModel(`\ufeff${bases[0]}`);
    expect(Array.from(predict(back, [1]))).toEqual(Array.from(predict(chain, [1])));
  });
  it('std = 1e-320 is refused by path', () => {
    const bad = bases[0]!.replace('"std":[0.7]', '"std":[1e-320]');
    expect(() => loadModel(bad)).toThrow(/\$\.normalization\.x\.std\[0\] must be a number in/);
  });
  it('the training record is validated', () => {
    const bad = bases[0]!.replace('"epochs":3', '"epochs":"three"');
    expect(() => loadModel(bad)).toThrow(
      'loadModel: $.training.epochs must be an integer ≥ 0, got "three"',
    );
    const badKey = bases[0]!.replace('"key":[0,0]', '"key":[0]');
    expect(() => loadModel(badKey)).toThrow(
      /\$\.training\.key must be two 32-bit unsigned integers/,
    );
  });
  it('weights of 1e200 are refused at load, and predict never returns non-finite values', () => {
    const huge: ChainModel = {
      kind: 'chain',
      params: chainParams([1e200, 1e200, 1e200], [0, 0, 0]),
      activations: ['identity', 'identity', 'identity'],
    };
    expect(() => predict(huge, [0.5])).toThrow(
      /^predict: the output is not finite \(Infinity\) for input row 0/,
    );
    expect(() => loadModel(saveModel(huge))).toThrow(CheckpointError);
    expect(() => loadModel(saveModel(huge))).toThrow(/\$\.model\.params must give finite outputs/);
  });
  it('a text over the size limit is refused before parsing, naming the limit', () => {
    expect(() => loadModel(bases[0]!, { maxChars: 100 })).toThrow(
      /over the limit of 100 \(options\.maxChars\)/,
    );
  });
});
