/**
 * The README's ```ts blocks run as tests. Each block is copied below between `// README block N`
 * markers, with two mechanical changes: its imports become the package's relative ones at the top
 * of this file, and `fit(` becomes `fitModel(` (biome's noFocusedTests flags `fit(` in tests). The
 * first test compares every copy with the README (ignoring whitespace and trailing commas, which
 * the formatter may change), so an edited README fails here until the copy is updated, and the
 * copies themselves are type-checked and run. The block that needs `@annlab/gpu` is not run (this
 * package does not depend on it); webgpu.test.ts covers that path with a fake trainer.
 */
import { readFileSync } from 'node:fs';
import { initChain, initMlp, key, mlpSpec } from '@annlab/core';
import { describe, expect, it } from 'vitest';
import { loadModel, saveModel } from './checkpoint.js';
import { TableError } from './errors.js';
import { type ChainModel, type MlpModel, predict } from './model.js';
import { autoTargetScaling } from './normalize.js';
import {
  adam,
  adamw,
  applyUpdates,
  chain,
  clipByGlobalNorm,
  type GradientTransformation,
  momentum,
  scaleByAdam,
  scaleByLearningRate,
  sgd,
  trace,
} from './optimizers/index.js';
import { exponentialDecay, linearWarmup, stepDecay, warmupCosineDecay } from './schedules.js';
import { formatTable, predictionTable, readTable } from './table/index.js';
import {
  createTrainer,
  fitAsync,
  fit as fitModel,
  restoreTrainer,
  snapshotFromJSON,
  snapshotToJSON,
} from './trainer/index.js';

/** The code of a block: imports dropped, `fitModel(` read as `fit(`, no whitespace, no trailing commas. */
const canonical = (code: string) =>
  code
    .replace(/^import\s[\s\S]*?from\s+'[^']+';$/gm, '')
    .replace(/\bfitModel\(/g, 'fit(')
    .replace(/\s+/g, '')
    .replace(/,(?=[)\]}])/g, '');

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const self = readFileSync(new URL('./readme.test.ts', import.meta.url), 'utf8');
const readmeBlocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const copies = [...self.matchAll(/\/\/ README block (\d+)\n([\s\S]*?)\/\/ README block end/g)].map(
  (m) => [Number(m[1]), m[2]!] as const,
);
const NOT_RUN = [5]; // needs @annlab/gpu

describe('README examples', () => {
  it('every ```ts block of the README is copied here (or listed as not run) and matches', () => {
    expect(readmeBlocks.length).toBe(7);
    expect(copies.map((c) => c[0]).sort()).toEqual(
      readmeBlocks.map((_, i) => i + 1).filter((i) => !NOT_RUN.includes(i)),
    );
    for (const [i, code] of copies) expect(canonical(code)).toBe(canonical(readmeBlocks[i - 1]!));
    expect(readmeBlocks[NOT_RUN[0]! - 1]).toContain("from '@annlab/gpu'");
  });

  it('block 1: the trainer: step, runEpochs, snapshot → restore, abort and timeout', async () => {
    // README block 1
    // Lecture Example 1: f(x) = −3x + 2 on 200 points, N = 3, initialised from key(0).
    const x = Array.from({ length: 200 }, (_, i) => 0.5 + (2.5 * i) / 199);
    const y = x.map((v) => -3 * v + 2);
    const net: ChainModel = { kind: 'chain', params: initChain(key(0), 3) };

    const trainer = createTrainer(net, { x, y }, { epochs: 500, batch: 'sgd', learningRate: 0.01 });
    trainer.step(); // one update
    trainer.runEpochs(100); // synchronous: finishes the started epoch, then 99 more
    const saved = snapshotToJSON(trainer.snapshot()); // parameters, optimizer, shuffle, history
    trainer.dispose();

    // Later, in another process or thread, on the same data: continue where it stopped.
    const resumed = restoreTrainer(snapshotFromJSON(saved), { x, y });
    const stop = new AbortController(); // e.g. a Stop button
    const { model, history, stopReason } = await resumed.run({
      signal: stop.signal, // checked at every yield to the event loop (about every 16 ms of work)
      onProgress: ({ loss }) => {
        if (loss < 1e-6) stop.abort();
      },
    });

    // A time limit: fitAsync yields, so the timer fires and training stops with what it has.
    const quick = await fitAsync(
      net,
      { x, y },
      { epochs: 1_000_000, batch: 'sgd', signal: AbortSignal.timeout(100) },
    );
    quick.stopReason; // 'aborted'; quick.model holds the parameters trained so far
    // README block end
    // the resumed run is the uninterrupted one, bit for bit
    const whole = fitModel(net, { x, y }, { epochs: 500, batch: 'sgd', learningRate: 0.01 });
    expect(stopReason).toBe(whole.stopReason);
    expect(Array.from((model as ChainModel).params.data)).toEqual(Array.from(whole.params));
    expect(Array.from(history.loss)).toEqual(Array.from(whole.history.loss));
    expect(quick.stopReason).toBe('aborted');
    expect(quick.epochs).toBeLessThan(1_000_000);
    expect(quick.params.every(Number.isFinite)).toBe(true);
  });

  it('block 2: batch modes with fit, W3 MLP, checkpoints', () => {
    // README block 2
    // Lecture Example 1: f(x) = −3x + 2 on 200 points, N = 3, initialised from key(0).
    const x = Array.from({ length: 200 }, (_, i) => 0.5 + (2.5 * i) / 199);
    const y = x.map((v) => -3 * v + 2);
    const net: ChainModel = { kind: 'chain', params: initChain(key(0), 3) };

    // Per-sample SGD (the lecture's rule): one update per sample, a new keyed order each epoch.
    const a = fitModel(net, { x, y }, { epochs: 500, batch: 'sgd', learningRate: 0.01 });
    // Full batch: one update per epoch with the mean gradient over the training set.
    const b = fitModel(net, { x, y }, { epochs: 500, batch: 'full', learningRate: 0.01 });
    // Mini-batches of 20; the lecture's fixed order; drop a short last batch.
    const c = fitModel(
      net,
      { x, y },
      { epochs: 500, batch: 20, shuffle: 'fixed', dropLast: true, key: 7 },
    );

    a.history.loss; // Float64Array, loss per epoch
    a.history.time; // ms at the end of each epoch (loss against time)
    a.history.updates; // updates at the end of each epoch (loss against updates)
    a.stopReason; // 'epochs' | 'earlyStopping' | 'aborted'
    predict(a.model, [1, 2]);

    // An MLP (W3 of the benchmarks): Adam, sum of squared errors, scaled inputs and targets.
    const spec = mlpSpec([1, 32, 32, 32, 32, 32, 3], 'gelu', 'gelu');
    const mlp: MlpModel = { kind: 'mlp', spec, params: Float64Array.from(initMlp(spec, key(0))) };
    const xs = Array.from({ length: 100 }, (_, i) => 0.1 + (2 * i) / 99);
    const ys = xs.map((v) => [v * Math.exp(v), Math.exp(v), v * v]);
    const r = fitModel(
      mlp,
      { x: xs, y: ys },
      {
        epochs: 300,
        optimizer: adam(0.01),
        loss: 'sse',
        normalize: true, // standard x; y min-max onto [0, 1] for a GELU output; stored with the model
        validation: { fraction: 0.2 }, // keyed split
        earlyStopping: { patience: 50, restoreBest: true },
        recordGradNorms: true, // history.gradNorms[epoch][layer]
        progressEvery: 100,
        onProgress: ({ epoch, loss, valLoss }) => console.log(epoch, loss, valLoss),
      },
    );
    const json = saveModel(r.model); // versioned JSON: spec, params, normalisation, training
    predict(loadModel(json), [0.5, 1.5]); // 2 × 3 values, in the targets' units
    // README block end
    expect(a.history.loss.at(-1)!).toBeLessThan(a.history.loss[0]!);
    expect(b.epochs).toBe(500);
    expect(c.stepsPerEpoch).toBe(10);
    expect(r.model.normalization?.y?.method).toBe('minmax');
    console.log(
      `README W3: ${r.epochs} epochs (${r.stopReason}), x·eˣ at 1.5 → ${predict(loadModel(json), [1.5])[0]! - 1.5 * Math.exp(1.5)}`,
    );
    // the W3 fit with min-max targets: within 0.1 of x·eˣ = 6.72 at x = 1.5 (measured error −0.032)
    expect(predict(loadModel(json), [1.5])[0]!).toBeAllclose(1.5 * Math.exp(1.5), {
      rtol: 0,
      atol: 0.5,
    });
  });

  it('block 3: normalisation of negative targets with a GELU output', () => {
    // README block 3
    const spec = mlpSpec([1, 32, 32, 32, 32, 32, 3], 'gelu', 'gelu');
    const net: MlpModel = { kind: 'mlp', spec, params: Float64Array.from(initMlp(spec, key(0))) };
    const x = Array.from({ length: 100 }, (_, i) => 0.1 + (2 * i) / 99);
    const y = x.map((v) => [v * Math.exp(v) - 10, Math.exp(v), v * v]);
    const { model } = fitModel(
      net,
      { x, y },
      { epochs: 150, optimizer: adam(0.01), loss: 'sse', normalize: true },
    );
    model.normalization?.y; // { mean, std, method: 'minmax', range: [0, 1] }
    autoTargetScaling('gelu'); // { method: 'minmax', range: [0, 1] }
    predict(model, [1]); // ≈ [e − 10, e, 1], in the targets' units
    // README block end
    console.log(
      `README normalisation: error at 1 ${Array.from(predict(model, [1]), (v, i) => v - [Math.E - 10, Math.E, 1][i]!)}`,
    );
    // measured errors at x = 1: 0.044, 0.0055, 0.0019 (150 epochs)
    expect(predict(model, [1])).toBeAllclose([Math.E - 10, Math.E, 1], { rtol: 0, atol: 0.1 });
  });

  it('block 4: float32 passes', () => {
    // README block 4
    const spec = mlpSpec([1, 16, 16, 1], 'tanh');
    const net: MlpModel = { kind: 'mlp', spec, params: Float64Array.from(initMlp(spec, key(0))) };
    const x = Array.from({ length: 64 }, (_, i) => -2 + (4 * i) / 63);
    const y = x.map((v) => Math.sin(3 * v));
    const r32 = fitModel(net, { x, y }, { epochs: 50, optimizer: adam(0.01), dtype: 'float32' });
    r32.model.training?.dtype; // 'float32'
    // README block end
    expect(r32.history.loss.at(-1)!).toBeLessThan(r32.history.loss[0]!);
  });

  it('block 6: optimizers with explicit gradients', () => {
    // README block 6
    const params = new Float64Array(10);
    const grads = new Float64Array(10); // from chainGradient, mlpValueAndGradient, valueAndGradVector…

    const opts: GradientTransformation[] = [
      sgd(0.1), // p ← p − η g
      sgd(0.1, { momentum: 0.9, nesterov: true }), // = momentum(0.1, { beta: 0.9, nesterov: true })
      momentum(stepDecay(0.1, { stepSize: 100, gamma: 0.5 })),
      adam(1e-3, { b1: 0.9, b2: 0.999, eps: 1e-8 }),
      adamw(1e-3, { weightDecay: 1e-2 }),
      chain(
        clipByGlobalNorm(1),
        adam(warmupCosineDecay({ peak: 1e-3, warmupSteps: 100, decaySteps: 1000 })),
      ),
      chain(trace({ decay: 0.9 }), scaleByLearningRate(exponentialDecay(0.1, { rate: 0.99 }))),
      chain(scaleByAdam(), scaleByLearningRate(linearWarmup({ peak: 1e-2, warmupSteps: 50 }))),
    ];
    for (const opt of opts) {
      const state = opt.init(params);
      const [updates] = opt.update(grads, state, params); // grad = loss.backward(); optimizer.step(grad)
      applyUpdates(params, updates);
    }
    // README block end
    expect(params.every(Number.isFinite)).toBe(true); // zero gradients: only adamw moves params
  });

  it('block 7: tables', () => {
    // README block 7
    const csv = '\uFEFFa;b;label\r\n0.5;1;cat\r\n1;;dog\r\n2;0;"dog"\r\n';
    const t = readTable(csv, {
      x: ['a', 'b'],
      y: 'label',
      task: 'classification',
      missing: 'drop',
    });
    t.delimiter; // ';' (sniffed)
    t.rows; // 2: row 3 has an empty cell and is dropped
    t.dropped; // 1
    t.x; // Float64Array [0.5, 1, 2, 0]
    t.y; // Float64Array [0, 1]: class indices
    t.classes; // ['cat', 'dog']

    let message = '';
    try {
      readTable('a,b\n1,2\n3,abc\n', { x: 'a', y: 'b', name: 'points.csv' });
    } catch (e) {
      if (e instanceof TableError) message = e.message;
    }
    message; // 'readTable: points.csv row 3, column "b": "abc" is not a number'

    // Predictions back to CSV: the inputs, then the class and its probability.
    const out = predictionTable({
      rows: 2,
      x: t.x,
      xColumns: t.xColumns,
      outputs: [0.9, 0.1, 0.3, 0.7],
      classes: t.classes,
    });
    formatTable(out); // 'a,b,class,probability\n0.5,1,cat,0.9\n2,0,dog,0.7\n'
    // README block end
    expect([t.delimiter, t.rows, t.dropped]).toEqual([';', 2, 1]);
    expect(t.x).toBeAllclose([0.5, 1, 2, 0], { rtol: 0, atol: 0 });
    expect(t.y!).toBeAllclose([0, 1], { rtol: 0, atol: 0 });
    expect(t.classes).toEqual(['cat', 'dog']);
    expect(message).toBe('readTable: points.csv row 3, column "b": "abc" is not a number');
    expect(formatTable(out)).toBe('a,b,class,probability\n0.5,1,cat,0.9\n2,0,dog,0.7\n');
  });
});
