import { predict } from '@annlab/train';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, type PlaygroundState } from '../state/url.js';
import { trainerOf } from '../worker/adapter.js';
import { accuracy } from '../worker/neurons.js';
import { checkJob } from '../worker/protocol.js';
import { classTargets, playgroundJob, prepareData, type TableInput } from './setup.js';

const spiral: PlaygroundState = {
  ...DEFAULT_STATE,
  mode: 'classification',
  data: 'spiral',
  n: 300,
  ratio: 50,
};

describe('prepareData', () => {
  it('formula: one input, the formula sampled, split by the ratio', () => {
    const d = prepareData({ ...DEFAULT_STATE, f: '2x', n: 10, ratio: 30 });
    if ('error' in d) throw new Error(d.error);
    expect(d.inputs).toBe(1);
    expect(d.y).toBeAllclose(
      d.x.map((v) => 2 * v),
      { rtol: 0, atol: 1e-15 },
    );
    expect(d.split.train.length).toBe(3);
    expect(d.split.test.length).toBe(7);
    expect(d.view).toEqual({ kind: 'curve', a: -2, b: 2 });
  });

  it('a 2-D set: two inputs, 0/1 targets, one output, the plane [−6, 6]²', () => {
    const d = prepareData(spiral);
    if ('error' in d) throw new Error(d.error);
    expect(d.inputs).toBe(2);
    expect(d.outputs).toBe(1);
    expect(d.classes).toBe(2);
    expect(d.x.length).toBe(600);
    expect(new Set(d.y)).toEqual(new Set([0, 1]));
    expect(d.view).toEqual({ kind: 'plane', x: [-6, 6], y: [-6, 6] });
  });

  it('a table: classes one-hot beyond two, the view from the data range; problems as messages', () => {
    const table: TableInput = {
      x: [0, 0, 1, 1, 2, 2],
      xColumns: ['a', 'b'],
      y: [0, 1, 2],
      yColumns: ['label'],
      classes: ['cat', 'dog', 'eel'],
      rows: 3,
    };
    const s = { ...DEFAULT_STATE, mode: 'classification' as const, data: 'csv' as const };
    const d = prepareData(s, table);
    if ('error' in d) throw new Error(d.error);
    expect(d.outputs).toBe(3);
    expect(d.y).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(d.view).toEqual({ kind: 'plane', x: [-0.1, 2.1], y: [-0.1, 2.1] });
    expect(playgroundJob(s, d).loss).toBe('softmaxCrossEntropy');
    expect(prepareData(s)).toEqual({
      error: 'choose a CSV file first (it stays on this page, not in the link)',
    });
    expect(prepareData({ ...s, mode: 'regression' }, table)).toEqual({
      error: 'the target column holds classes: choose classification',
    });
    expect(prepareData({ ...DEFAULT_STATE, f: 'sin(x' })).toMatchObject({ index: 5 });
  });

  it('classTargets: 0/1 for two classes, one-hot for more', () => {
    expect(classTargets([1, 0], 2)).toEqual([1, 0]);
    expect(classTargets([2, 0], 3)).toEqual([0, 0, 1, 1, 0, 0]);
  });
});

describe('playgroundJob', () => {
  it('classification: bceWithLogits on logits, the test rows, classes, neurons on a plane', () => {
    const d = prepareData({ ...spiral, reg: 'l2', rate: 0.01 });
    if ('error' in d) throw new Error(d.error);
    const job = playgroundJob({ ...spiral, reg: 'l2', rate: 0.01 }, d);
    expect(checkJob(job)).toBeUndefined();
    expect(job.loss).toBe('bceWithLogits');
    expect(job.model).toEqual({
      kind: 'mlp',
      sizes: [2, 16, 16, 1],
      hidden: 'tanh',
      output: 'identity',
    });
    expect(job.x.length).toBe(300);
    expect(job.test?.x.length).toBe(300);
    expect(job.classes).toBe(2);
    expect(job.regularization).toEqual({ kind: 'l2', rate: 0.01 });
    expect(job.grid?.length).toBe(2 * 40 * 40);
    expect(job.neuronGrid?.length).toBe(2 * 16 * 16);
  });

  it('trains the spiral past 95 % test accuracy on the CPU engine (the e2e run, in Node)', async () => {
    // 600 points, 300 for training: 99.3 % of the 300 test points (at 400 points it is 95.0 %)
    const s: PlaygroundState = {
      ...spiral,
      n: 600,
      lr: 0.03,
      batch: 'full',
      epochs: 400,
      norm: true,
    };
    const d = prepareData(s);
    if ('error' in d) throw new Error(d.error);
    const job = playgroundJob(s, d);
    const r = await trainerOf(job).run();
    const test = accuracy(predict(r.model, Float64Array.from(job.test!.x)), job.test!.y, 1);
    const testLoss = r.history.valLoss;
    expect(testLoss.length).toBe(job.epochs);
    expect(testLoss.at(-1)!).toBeLessThan(testLoss[0]!);
    expect(test).toBeGreaterThanOrEqual(0.95);
    expect(testLoss.at(-1)!).toBeLessThan(0.1);
  });
});
