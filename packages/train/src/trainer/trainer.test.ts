/**
 * The trainer's contract: any way of cutting a run into calls gives bit-identical parameters and
 * history (one call, one epoch per call, async with yields, snapshot → JSON → restore mid-epoch),
 * for the chain and the MLP, each batch mode, with a schedule and with early stopping; and its
 * bad-input errors.
 */
import { initChain, initMlp, key, mlpSpec, ValidationError } from '@annlab/core';
import { describe, expect, it } from 'vitest';
import { DivergenceError, SnapshotError, TrainerStateError } from '../errors.js';
import type { ChainModel, MlpModel, Model } from '../model.js';
import { adam, type GradientTransformation, sgd } from '../optimizers/index.js';
import { cosineDecay, stepDecay } from '../schedules.js';
import { fitAsync, fit as fitModel } from './fit.js';
import { snapshotFromJSON, snapshotToJSON } from './snapshot.js';
import { createTrainer, restoreTrainer } from './trainer.js';
import type { FitOptions, FitResult } from './types.js';

const x1 = Array.from({ length: 200 }, (_, i) => 0.5 + (2.5 * i) / 199);
const y1 = x1.map((v) => -3 * v + 2);
const chainNet = (): ChainModel => ({ kind: 'chain', params: initChain(key(0), 3) });
const spec = mlpSpec([1, 8, 8, 1], 'tanh');
const mlpNet = (): MlpModel => ({
  kind: 'mlp',
  spec,
  params: Float64Array.from(initMlp(spec, key(1))),
});
const xm = Array.from({ length: 40 }, (_, i) => -2 + (4 * i) / 39);
const ym = xm.map((v) => Math.sin(2 * v));

/** The bytes of a Float64Array: equal bytes are bit-identical values (NaN payloads and −0 too). */
const bits = (a: Float64Array) => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

function expectIdentical(a: FitResult, b: FitResult, label: string) {
  expect(bits(a.params), `${label}: params`).toEqual(bits(b.params));
  expect(bits(a.history.loss), `${label}: loss history`).toEqual(bits(b.history.loss));
  expect(bits(a.history.valLoss), `${label}: validation history`).toEqual(bits(b.history.valLoss));
  expect(bits(a.history.updates), `${label}: updates`).toEqual(bits(b.history.updates));
  expect(a.stopReason, label).toBe(b.stopReason);
  expect(a.bestEpoch, label).toBe(b.bestEpoch);
}

type Case = {
  name: string;
  model: () => Model;
  data: { x: number[]; y: number[] };
  options: () => FitOptions;
};

const batches = ['full', 'sgd', 16] as const;
const cases: Case[] = [];
for (const batch of batches) {
  cases.push(
    {
      name: `chain, batch ${batch}, plain sgd`,
      model: chainNet,
      data: { x: x1, y: y1 },
      options: () => ({ epochs: 500, batch, learningRate: 0.01 }),
    },
    {
      name: `chain, batch ${batch}, step-decay schedule`,
      model: chainNet,
      data: { x: x1, y: y1 },
      options: () => ({
        epochs: 500,
        batch,
        optimizer: sgd(stepDecay(0.02, { stepSize: 5000, gamma: 0.5 })),
      }),
    },
    {
      name: `chain, batch ${batch}, early stopping on a validation split`,
      model: chainNet,
      data: { x: x1, y: y1 },
      options: () => ({
        epochs: 500,
        batch,
        learningRate: 0.05,
        validation: { fraction: 0.25 },
        earlyStopping: { patience: 5, minDelta: 1e-4 },
        recordGradNorms: true,
      }),
    },
    {
      name: `mlp, batch ${batch}, adam with a cosine schedule`,
      model: mlpNet,
      data: { x: xm, y: ym },
      options: () => ({
        epochs: batch === 'sgd' ? 60 : 500,
        batch,
        optimizer: adam(cosineDecay(0.01, { decaySteps: 3000 })),
        normalize: true,
      }),
    },
    {
      name: `mlp, batch ${batch}, early stopping`,
      model: mlpNet,
      data: { x: xm, y: ym },
      options: () => ({
        epochs: batch === 'sgd' ? 60 : 500,
        batch,
        optimizer: adam(0.02),
        loss: 'sse',
        validation: { fraction: 0.2 },
        earlyStopping: { patience: 10 },
        recordGradNorms: true,
      }),
    },
  );
}

describe('trainer: bit-identical however the run is cut', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const ref = fitModel(c.model(), c.data, c.options());
      const epochs = c.options().epochs;

      // One epoch per call.
      const t1 = createTrainer(c.model(), c.data, c.options());
      while (t1.stopReason === undefined) t1.runEpochs(1);
      expectIdentical(t1.result(), ref, 'runEpochs(1) × n');
      expect(t1.epoch).toBe(ref.epochs);

      // Asynchronously, yielding after every chunk of work.
      const t2 = createTrainer(c.model(), c.data, c.options());
      expectIdentical(await t2.run({ yieldEveryMs: 0 }), ref, 'run() with yields');

      // Part of the run, a few single updates (stopping mid-epoch), snapshot → JSON → restore.
      const t3 = createTrainer(c.model(), c.data, c.options());
      t3.runEpochs(Math.min(7, ref.epochs - 1));
      for (let i = 0; i < 3 && t3.stopReason === undefined; i++) t3.step();
      const json = snapshotToJSON(t3.snapshot());
      t3.dispose();
      const opt = c.options().optimizer;
      const t4 = restoreTrainer(snapshotFromJSON(json), c.data, opt ? { optimizer: opt } : {});
      t4.runEpochs(epochs);
      expectIdentical(t4.result(), ref, 'snapshot → JSON → restore');
    });
  }

  it('the early-stopping cases do stop early (so that state is exercised)', () => {
    const es = cases.filter((c) => c.name.includes('early stopping'));
    const stopped = es.filter(
      (c) => fitModel(c.model(), c.data, c.options()).stopReason === 'earlyStopping',
    );
    // measured: all 6 stop early
    expect(stopped.length).toBeGreaterThanOrEqual(4);
  });
});

describe('fitAsync and run: the event loop stays responsive', () => {
  it('AbortSignal.timeout(100) stops a long CPU run', async () => {
    const r = await fitAsync(
      chainNet(),
      { x: x1, y: y1 },
      { epochs: 10_000_000, batch: 'sgd', learningRate: 0.01, signal: AbortSignal.timeout(100) },
    );
    expect(r.stopReason).toBe('aborted');
    expect(r.epochs).toBeGreaterThan(0);
    expect(r.epochs).toBeLessThan(10_000_000);
    expect(r.params.every(Number.isFinite)).toBe(true);
  });

  it('run({ signal }) aborts from a timer and the trainer can go on afterwards', async () => {
    const t = createTrainer(chainNet(), { x: x1, y: y1 }, { epochs: 10_000_000, batch: 'sgd' });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 20);
    const r = await t.run({ signal: ac.signal });
    expect(r.stopReason).toBe('aborted');
    const e = t.epoch;
    t.runEpochs(2);
    expect(t.epoch).toBe(e + (t.result().history.loss.length > e ? 2 : 1));
  });
});

describe('trainer: bad input', () => {
  const data = { x: x1, y: y1 };

  it('unknown option names get a suggestion', () => {
    expect(() =>
      fitModel(chainNet(), data, { epochs: 1, lerningRate: 0.1 } as unknown as FitOptions),
    ).toThrow("fit: unknown option 'lerningRate'; did you mean 'learningRate'?");
    expect(() =>
      createTrainer(chainNet(), data, {
        epochs: 1,
        earlyStopping: { patience: 2, patiense: 3 },
      } as unknown as FitOptions),
    ).toThrow(
      "createTrainer: unknown option in options.earlyStopping 'patiense'; did you mean 'patience'?",
    );
  });

  it('restoreBest without validation is a named conflict', () => {
    let err: unknown;
    try {
      fitModel(chainNet(), data, { epochs: 5, earlyStopping: { patience: 2, restoreBest: true } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).arg).toBe('options.earlyStopping.restoreBest');
    expect((err as Error).message).toMatch(/restoreBest needs options.validation/);
  });

  it('step() after dispose() is a TrainerStateError', () => {
    const t = createTrainer(chainNet(), data, { epochs: 5 });
    t.step();
    t.dispose();
    expect(() => t.step()).toThrow(TrainerStateError);
    expect(() => t.step()).toThrow('step: the trainer was disposed');
    expect(() => t.runEpochs(1)).toThrow('runEpochs: the trainer was disposed');
  });

  it('step() after the last epoch is a TrainerStateError', () => {
    const t = createTrainer(chainNet(), data, { epochs: 2 });
    t.runEpochs(5);
    expect(t.epoch).toBe(2);
    expect(() => t.step()).toThrow('step: training has finished (epochs after 2 epochs)');
  });

  it('a snapshot of another model shape is refused with the JSON path', () => {
    const t = createTrainer(chainNet(), data, { epochs: 5, optimizer: adam(0.01) });
    t.runEpochs(1);
    const s = t.snapshot();
    const other = {
      ...s,
      model: { ...s.model, depth: 4, activations: ['sigmoid', 'sigmoid', 'sigmoid', 'identity'] },
    };
    expect(() => restoreTrainer(other as typeof s, data)).toThrow(SnapshotError);
    expect(() => restoreTrainer(other as typeof s, data)).toThrow(
      /^restoreTrainer: \$\.params must be a Float64Array\(8\), got/,
    );
    const badState = {
      ...s,
      optimizer: {
        ...s.optimizer,
        state: {
          ...s.optimizer.state,
          buffers: { ...s.optimizer.state.buffers, mu: new Float64Array(3) },
        },
      },
    };
    let err: unknown;
    try {
      restoreTrainer(badState, data);
    } catch (e) {
      err = e;
    }
    expect((err as SnapshotError).path).toBe('$.optimizer.state.buffers.mu');
    const m = createTrainer(mlpNet(), { x: xm, y: ym }, { epochs: 3 }).snapshot();
    const wider = { ...m, model: { ...m.model, spec: mlpSpec([1, 9, 8, 1], 'tanh') } };
    expect(() => restoreTrainer(wider as typeof m, { x: xm, y: ym })).toThrow(
      /\$\.params must be a Float64Array\(107\)/,
    );
  });

  it('restoring with another schedule, or without the schedule, is refused', () => {
    const opt = () => sgd(stepDecay(0.02, { stepSize: 100, gamma: 0.5 }));
    const t = createTrainer(chainNet(), data, { epochs: 5, batch: 'sgd', optimizer: opt() });
    t.runEpochs(1);
    const s = t.snapshot();
    let err: unknown;
    try {
      restoreTrainer(s, data, { optimizer: sgd(stepDecay(0.02, { stepSize: 100, gamma: 0.9 })) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SnapshotError);
    expect((err as SnapshotError).path).toBe('$.optimizer.config.schedule');
    expect(() => restoreTrainer(s, data)).toThrow(
      /restoreTrainer: the snapshot's optimizer \(sgd with stepDecay\(0\.02, \{"stepSize":100,"gamma":0\.5\}\)\) cannot be rebuilt/,
    );
    expect(() => restoreTrainer(s, data, { optimizer: opt() })).not.toThrow();
    expect(() =>
      restoreTrainer(s, data, { optimizer: opt(), batch: 5 } as unknown as {
        optimizer: GradientTransformation;
      }),
    ).toThrow(/restoreTrainer: options.batch is fixed by the snapshot/);
  });

  it('restoring on other data is refused', () => {
    const t = createTrainer(chainNet(), data, { epochs: 5, batch: 'sgd' });
    const s = t.snapshot();
    expect(() => restoreTrainer(s, { x: x1.slice(1), y: y1.slice(1) })).toThrow(
      /\$\.options\.samples must be the number of samples in data \(199\)/,
    );
  });

  it('divergence keeps the last good parameters in the trainer and refuses to go on', () => {
    const t = createTrainer({ kind: 'chain', params: initChain(key(0), 1) }, data, {
      epochs: 50,
      batch: 'sgd',
      learningRate: 1,
    });
    expect(() => t.runEpochs(50)).toThrow(DivergenceError);
    expect(t.params.every(Number.isFinite)).toBe(true);
    expect(() => t.step()).toThrow(TrainerStateError);
    expect(t.result().params.every(Number.isFinite)).toBe(true);
  });
});
