/**
 * W7: classification. A 3-class spiral (TensorFlow Playground's construction: 3 arms × 300 points,
 * radius r = i/300, angle 4r + 2πk/3 + 0.2·noise, point (r sin t, r cos t)), 20 % held out by a keyed
 * permutation; MLP 2→32→32→3, ReLU hidden, logits out; mean softmax cross-entropy; Adam 0.01
 * (β 0.9 / 0.999, ε 1e-8); mini-batches of 32 in one keyed order per epoch; 100 epochs (720
 * training points: 23 batches, 2,300 updates).
 *
 * Every library starts from the same data, the same initial parameters (He-normal weights, zero
 * biases, from a fixed key) and the same orders. Timed: the training loop (one warm-up run, then
 * the median of the timed runs). Not timed: the final training loss and the test accuracy, computed
 * from each library's parameters by one float64 evaluator (core's `mlpPredict` and
 * `softmaxCrossEntropy`), so the figures are comparable.
 */
import * as core from '@annlab/core';
import * as train from '@annlab/train';
import { blockUntilReady, grad, jit, nn, numpy as np, tree } from '@jax-js/jax';
import * as tf from '@tensorflow/tfjs-core';
import { fromAnnlabMlpParams, toAnnlabMlpParams } from '../annlab.js';
import { f32, type MlpProblem, source } from '../data.js';
import { measure, type Trainer } from '../harness.js';
import { useJaxDevice } from '../peers/jax.js';
import { useTfBackend } from '../peers/tfjs.js';

/** The W7 problem: training and test parts, labels, initial parameters and orders. */
export interface W7Problem {
  /** The MLP in the bench's layout (sizes, init `[W (in×out), b, …]`, x, orders). */
  mlp: MlpProblem;
  /** Training labels (0, 1, 2), one per training row. */
  labels: Uint32Array;
  /** Test inputs (rows × 2) and labels. */
  testX: Float64Array;
  testLabels: Uint32Array;
}

const CLASSES = 3;
const PER_CLASS = 300;
const EPOCHS = 100;
const BATCH = 32;

/** The spiral, the split and the initial parameters, all from source(7). */
export function w7Problem(): W7Problem {
  const r = source(7);
  const n = CLASSES * PER_CLASS;
  const noise = r.normals(n);
  const x = new Float64Array(2 * n);
  const y = new Uint32Array(n);
  for (let k = 0; k < CLASSES; k++) {
    for (let i = 0; i < PER_CLASS; i++) {
      const j = k * PER_CLASS + i;
      const rad = i / PER_CLASS;
      const t = 4 * rad + (2 * Math.PI * k) / CLASSES + 0.2 * noise[j]!;
      x[2 * j] = rad * Math.sin(t);
      x[2 * j + 1] = rad * Math.cos(t);
      y[j] = k;
    }
  }
  const perm = r.permutation(n);
  const nTest = Math.round(0.2 * n);
  const nTrain = n - nTest;
  const take = (idx: ArrayLike<number>) => {
    const xs = new Float64Array(2 * idx.length);
    const ys = new Uint32Array(idx.length);
    for (let q = 0; q < idx.length; q++) {
      xs[2 * q] = x[2 * idx[q]!]!;
      xs[2 * q + 1] = x[2 * idx[q]! + 1]!;
      ys[q] = y[idx[q]!]!;
    }
    return { xs, ys };
  };
  const tr = take(perm.subarray(nTest));
  const te = take(perm.subarray(0, nTest));
  const sizes = [2, 32, 32, CLASSES];
  const init: Float64Array[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const s = Math.sqrt(2 / sizes[l]!);
    init.push(
      r.normals(sizes[l]! * sizes[l + 1]!).map((v) => s * v),
      new Float64Array(sizes[l + 1]!),
    );
  }
  const oneHot = new Float64Array(nTrain * CLASSES);
  tr.ys.forEach((c, i) => {
    oneHot[i * CLASSES + c] = 1;
  });
  const orders = Array.from({ length: EPOCHS }, () => r.permutation(nTrain));
  return {
    mlp: {
      sizes,
      hidden: 'relu',
      output: 'identity',
      loss: 'mse', // unused: W7's loss is softmax cross-entropy
      optimizer: { kind: 'adam', lr: 0.01, b1: 0.9, b2: 0.999, eps: 1e-8 },
      rows: nTrain,
      x: tr.xs,
      y: oneHot,
      init,
      batch: { size: BATCH, orders },
    },
    labels: tr.ys,
    testX: te.xs,
    testLabels: te.ys,
  };
}

/** Final training loss (mean softmax cross-entropy) and test accuracy, in float64. */
export function w7Evaluate(
  p: W7Problem,
  params: Float64Array[],
): { loss: number; accuracy: number } {
  const spec = core.mlpSpec(p.mlp.sizes, 'relu', 'identity');
  const flat = toAnnlabMlpParams({ ...p.mlp, init: params });
  const logits = core.mlpPredict(spec, flat, p.mlp.x);
  const loss = core.softmaxCrossEntropy(logits, p.labels, CLASSES);
  const test = core.mlpPredict(spec, flat, p.testX);
  let hits = 0;
  for (let i = 0; i < p.testLabels.length; i++) {
    let best = 0;
    for (let k = 1; k < CLASSES; k++)
      if (test[i * CLASSES + k]! > test[i * CLASSES + best]!) best = k;
    if (best === p.testLabels[i]) hits++;
  }
  return { loss, accuracy: hits / p.testLabels.length };
}

/** annlab: `fit` with `loss: 'softmaxCrossEntropy'`, integer labels, Adam, the shared orders. */
function annlabW7(p: W7Problem): Trainer {
  const spec = core.mlpSpec(p.mlp.sizes, 'relu', 'identity');
  const model: train.MlpModel = { kind: 'mlp', spec, params: toAnnlabMlpParams(p.mlp) };
  const data = { x: core.matrix(p.mlp.rows, 2, p.mlp.x.slice()), y: Float64Array.from(p.labels) };
  const orders = p.mlp.batch!.orders;
  let trained = model;
  return {
    reset() {
      trained = model;
    },
    train(epochs) {
      trained = train.fit(model, data, {
        epochs,
        optimizer: train.adam(0.01, { b1: 0.9, b2: 0.999, eps: 1e-8 }),
        batch: BATCH,
        shuffle: (e: number) => orders[e]!,
        loss: 'softmaxCrossEntropy',
      }).model;
    },
    params: () => fromAnnlabMlpParams(p.mlp, trained.params),
  };
}

/** TF.js: variables, `tf.train.adam`, `minimize` on −mean Σ y·logSoftmax(z) per mini-batch. */
function tfW7(p: W7Problem): Trainer {
  const m = p.mlp;
  const shapes = m.init.map((t, k) =>
    k % 2 === 0 ? [m.sizes[k >> 1]!, m.sizes[(k >> 1) + 1]!] : [t.length],
  );
  const vars = m.init.map((t, k) => tf.variable(tf.tensor(f32(t), shapes[k]!)));
  const X = tf.tensor2d(f32(m.x), [m.rows, 2]);
  const Y = tf.tensor2d(f32(m.y), [m.rows, CLASSES]);
  const batches = m.batch!.orders.map((order) => {
    const list: tf.Tensor1D[] = [];
    for (let s = 0; s < m.rows; s += BATCH) {
      list.push(tf.tensor1d(Int32Array.from(order.subarray(s, s + BATCH)), 'int32'));
    }
    return list;
  });
  const makeOpt = () => tf.train.adam(0.01, 0.9, 0.999, 1e-8);
  let opt = makeOpt();
  const lossOf = (x: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar => {
    let a: tf.Tensor2D = x;
    for (let l = 0; l < 3; l++) {
      const z = tf.add(tf.matMul(a, vars[2 * l] as tf.Tensor2D), vars[2 * l + 1]!) as tf.Tensor2D;
      a = l < 2 ? tf.relu(z) : z;
    }
    return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(a)), 1))) as tf.Scalar;
  };
  return {
    reset() {
      m.init.forEach((t, k) => {
        vars[k]!.assign(tf.tensor(f32(t), shapes[k]!));
      });
      opt.dispose();
      opt = makeOpt();
    },
    async train(epochs) {
      for (let e = 0; e < epochs; e++) {
        for (const idx of batches[e]!) {
          opt.minimize(() => lossOf(tf.gather(X, idx), tf.gather(Y, idx)), false, vars);
        }
      }
      await vars[vars.length - 1]!.data();
    },
    async params() {
      const out: Float64Array[] = [];
      for (const v of vars) out.push(Float64Array.from(await v.data()));
      return out;
    },
    dispose() {
      tf.dispose([...vars, X, Y, ...batches.flat()]);
      opt.dispose();
    },
  };
}

type AdamState = { q: np.Array[]; m: np.Array[]; v: np.Array[] };

/** jax-js: a jit-compiled step (gather, grad of −mean Σ y·logSoftmax(z), Adam), per mini-batch. */
function jaxW7(p: W7Problem): Trainer {
  const m = p.mlp;
  const shapes = m.init.map((t, k) =>
    k % 2 === 0 ? [m.sizes[k >> 1]!, m.sizes[(k >> 1) + 1]!] : [t.length],
  );
  const loss = (q: np.Array[], x: np.Array, y: np.Array): np.Array => {
    let a = x;
    for (let l = 0; l < 3; l++) {
      const z = np.matmul(a, q[2 * l]!).add(q[2 * l + 1]!);
      a = l < 2 ? nn.relu(z) : z;
    }
    return y.mul(nn.logSoftmax(a, -1)).sum(-1).mean().neg();
  };
  const step = jit(
    (s: AdamState, X: np.Array, Y: np.Array, idx: np.Array, c1: np.Array, c2: np.Array) => {
      const g = grad(loss)(tree.ref(s.q), np.take(X, idx.ref, 0), np.take(Y, idx, 0));
      const mm = s.m.map((mk, k) => mk.mul(0.9).add(g[k]!.ref.mul(0.1)));
      const vv = s.v.map((vk, k) => vk.mul(0.999).add(np.square(g[k]!).mul(0.001)));
      const q = s.q.map((t, k) =>
        t.sub(
          mm[k]!.ref.mul(c1.ref)
            .mul(0.01)
            .div(np.sqrt(vv[k]!.ref.mul(c2.ref)).add(1e-8)),
        ),
      );
      c1.dispose();
      c2.dispose();
      return { q, m: mm, v: vv };
    },
  );
  const X = np.array(f32(m.x), { shape: [m.rows, 2] });
  const Y = np.array(f32(m.y), { shape: [m.rows, CLASSES] });
  const batches = m.batch!.orders.map((order) => {
    const list: np.Array[] = [];
    for (let s = 0; s < m.rows; s += BATCH) {
      list.push(np.array(Int32Array.from(order.subarray(s, s + BATCH)), { dtype: np.int32 }));
    }
    return list;
  });
  const fresh = (): AdamState => ({
    q: m.init.map((t, k) => np.array(f32(t), { shape: shapes[k]! })),
    m: m.init.map((_, k) => np.zeros(shapes[k]!)),
    v: m.init.map((_, k) => np.zeros(shapes[k]!)),
  });
  let s = fresh();
  let t = 0;
  return {
    reset() {
      tree.dispose(s);
      s = fresh();
      t = 0;
    },
    async train(epochs) {
      for (let e = 0; e < epochs; e++) {
        for (const idx of batches[e]!) {
          t++;
          const c1 = np.array(1 / (1 - 0.9 ** t));
          const c2 = np.array(1 / (1 - 0.999 ** t));
          s = step(s, X.ref, Y.ref, idx.ref, c1, c2);
          await blockUntilReady(s);
        }
      }
    },
    async params() {
      const out: Float64Array[] = [];
      for (const a of s.q) out.push(Float64Array.from((await a.ref.data()) as Float32Array));
      return out;
    },
    dispose() {
      tree.dispose([s, X, Y, batches]);
      step.dispose();
    },
  };
}

/** One W7 entry. */
export interface W7Row {
  library: string;
  backend: string;
  /** Median ms of the timed runs (the epochs below). */
  medianMs?: number;
  epochs?: number;
  runs?: number;
  loss?: number;
  accuracy?: number;
  skipped?: string;
}

/** Runs W7 on annlab (CPU f64), TF.js (cpu, wasm) and jax-js (wasm). */
export async function runW7(opts: {
  quick: boolean;
  runs: number;
  log: (line: string) => void;
}): Promise<W7Row[]> {
  const p = w7Problem();
  const epochs = opts.quick ? 20 : EPOCHS;
  const entries: { library: string; backend: string; make: () => Promise<Trainer | string> }[] = [
    { library: 'annlab', backend: 'CPU f64 (fit)', make: async () => annlabW7(p) },
    {
      library: 'TF.js 4.22',
      backend: 'cpu f32',
      make: async () => (await useTfBackend('cpu')) ?? tfW7(p),
    },
    {
      library: 'TF.js 4.22',
      backend: 'wasm f32',
      make: async () => (await useTfBackend('wasm')) ?? tfW7(p),
    },
    {
      library: 'jax-js 0.1.25',
      backend: 'wasm f32',
      make: async () => (await useJaxDevice('wasm')) ?? jaxW7(p),
    },
  ];
  const rows: W7Row[] = [];
  for (const e of entries) {
    const row: W7Row = { library: e.library, backend: e.backend };
    rows.push(row);
    let trainer: Trainer | string;
    try {
      trainer = await e.make();
    } catch (err) {
      trainer = `failed to start: ${(err as Error).message}`;
    }
    if (typeof trainer === 'string') {
      row.skipped = trainer;
      opts.log(`  W7 ${e.library} ${e.backend}: ${trainer}`);
      continue;
    }
    try {
      const timing = await measure(trainer, {
        epochs,
        runs: opts.runs,
        warmupEpochs: Math.min(epochs, 10),
      });
      const r = w7Evaluate(p, await trainer.params());
      Object.assign(row, { medianMs: timing.median, epochs, runs: timing.times.length, ...r });
      opts.log(
        `  W7 ${e.library} ${e.backend}: ${timing.median.toFixed(0)} ms, loss ${r.loss.toPrecision(6)}, test accuracy ${(100 * r.accuracy).toFixed(1)} %`,
      );
    } catch (err) {
      row.skipped = `failed: ${(err as Error).message}`;
      opts.log(`  W7 ${e.library} ${e.backend}: ${row.skipped}`);
    } finally {
      await trainer.dispose?.();
    }
  }
  return rows;
}

/** The section's markdown. */
export function renderW7(rows: readonly W7Row[]): string[] {
  const out = [
    '## W7: 3-class spiral, softmax cross-entropy',
    '',
    "MLP 2→32→32→3 ReLU, logits out; mean softmax cross-entropy; Adam 0.01; mini-batches of 32 in shared keyed orders; 720 training and 180 test points (3 arms × 300, angle noise 0.2). Same data, initial parameters and orders for every library. Loss (training set, after the timed epochs) and test accuracy are computed from each library's parameters by one float64 evaluator.",
    '',
    '| library | backend | epochs | time (median) | µs/update | final training loss | test accuracy |',
    '|---|---|--:|--:|--:|--:|--:|',
  ];
  const updatesPerEpoch = Math.ceil(
    (CLASSES * PER_CLASS - Math.round(0.2 * CLASSES * PER_CLASS)) / BATCH,
  );
  for (const r of rows) {
    if (r.skipped) {
      out.push(`| ${r.library} | ${r.backend} | — | — | — | — | ${r.skipped} |`);
      continue;
    }
    out.push(
      `| ${r.library} | ${r.backend} | ${r.epochs} | ${r.medianMs!.toFixed(0)} ms | ${((1000 * r.medianMs!) / (r.epochs! * updatesPerEpoch)).toFixed(1)} | ${r.loss!.toPrecision(6)} | ${(100 * r.accuracy!).toFixed(1)} % |`,
    );
  }
  out.push('');
  return out;
}
