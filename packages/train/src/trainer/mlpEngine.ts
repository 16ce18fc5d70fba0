/** The MLP engine on the CPU: gathers each batch, then core's `mlpValueAndGradient`. */
import {
  createMlpWorkspace,
  type FloatArray,
  type LossName,
  loss as lossFunction,
  type MlpDtype,
  type MlpWorkspace,
  mlpForward,
  mlpLayout,
  mlpValueAndGradient,
  softmaxCrossEntropy,
} from '@annlab/core';
import type { BatchPlan } from '../batches.js';
import type { Table } from '../data.js';
import type { MlpModel } from '../model.js';
import type { GradientTransformation, OptimizerState } from '../optimizers/index.js';
import { createGradientPoolSync, type GradientPool } from '../parallel/pool.js';
import type { Regularization } from './config.js';
import { addLayerNorms, describeDivergence, type Engine } from './engine.js';

/** Internal (tests): the gradient pool of an engine that has one. */
export const enginePools = new WeakMap<Engine, GradientPool>();

/**
 * Adds the penalty's gradient l1·sign(w) + 2·l2·w to g over the weight ranges [start, end) (the
 * biases are left alone). sign(0) = 0: a weight at exactly 0 gets no L1 push.
 */
export function addPenaltyGradient(
  p: Float64Array,
  g: Float64Array,
  ranges: readonly (readonly [number, number])[],
  r: Regularization,
): void {
  const { l1, l2 } = r;
  const l2x2 = 2 * l2;
  for (const [start, end] of ranges) {
    for (let k = start; k < end; k++) {
      const w = p[k]!;
      g[k] = g[k]! + l1 * Math.sign(w) + l2x2 * w;
    }
  }
}

/**
 * An engine for a dense network. The gradient is the loss's own convention over the batch (a mean
 * for `'mse'` and `'bceWithLogits'`, a sum otherwise). With `dtype: 'float32'` the passes run on
 * float32 copies (data once, parameters before every step) and the float32 gradient is widened for
 * the float64 optimizer.
 */
export function mlpEngine(
  model: MlpModel,
  p: Float64Array,
  train: { readonly x: Table; readonly y: Table },
  plan: BatchPlan,
  opt: GradientTransformation,
  state: OptimizerState,
  lossName: LossName,
  slices: Array<readonly number[]> | undefined,
  dtype: MlpDtype,
  threads = 0,
  regularization?: Regularization,
): Engine {
  const spec = model.spec;
  const inS = train.x.cols;
  const outS = train.y.cols;
  const n = train.x.rows;
  const P = p.length;
  const bs = plan.batchSize;
  const direct = bs === n && plan.shuffle === 'none';
  const f32 = dtype === 'float32';
  const make = (k: number): FloatArray => (f32 ? new Float32Array(k) : new Float64Array(k));
  const ws = createMlpWorkspace(spec, bs, dtype);
  const lastSize = n - (plan.batchesPerEpoch - 1) * bs;
  const X: FloatArray = f32 ? Float32Array.from(train.x.data) : train.x.data;
  const Y: FloatArray = f32 ? Float32Array.from(train.y.data) : train.y.data;
  const Xb = direct ? X : make(bs * inS);
  const Yb = direct ? Y : make(bs * outS);
  const short = lastSize > 0 && lastSize < bs;
  const Xs = short ? make(lastSize * inS) : Xb;
  const Ys = short ? make(lastSize * outS) : Yb;
  const g = new Float64Array(P);
  const pc: FloatArray = f32 ? new Float32Array(P) : p;
  const gc: FloatArray = f32 ? new Float32Array(P) : g;
  const normSums = slices ? new Float64Array(slices.length) : undefined;
  const isMean =
    lossName === 'mse' || lossName === 'bceWithLogits' || lossName === 'softmaxCrossEntropy';
  const classes = spec.sizes[spec.sizes.length - 1]!;
  // softmaxCrossEntropy with one integer label per sample (a one-column y)
  const labels = lossName === 'softmaxCrossEntropy' && outS === 1;
  const weightRanges = mlpLayout(spec).layers.map(
    (l) => [l.wOffset, l.wOffset + l.inSize * l.outSize] as const,
  );
  const lossFn = lossFunction(lossName);
  let evalWs: MlpWorkspace | undefined;
  let evalX: Float64Array | undefined;
  let evalX32: FloatArray | undefined;
  // threads ≥ 1 (`threads` was given and config found the batch large enough): the batch's gradient
  // comes from a pool of threads − 1 workers and this thread over shared memory, summed in chunks in
  // a fixed order; the batch is gathered into the pool's float64 buffers
  // (integer labels are not what the pool's workers read: those batches run on this thread)
  const pool: GradientPool | null =
    threads >= 1 && !labels
      ? createGradientPoolSync({ spec, dtype, loss: lossName, maxBatch: bs, threads })
      : null;
  if (pool && direct) {
    pool.x.set(train.x.data);
    pool.y.set(train.y.data);
  }

  const engine: Engine = {
    params: p,
    normSums,
    steps: 0,
    divergence: '',
    epochLoss: (sum) => (isMean ? sum / plan.samplesPerEpoch : (sum * n) / plan.samplesPerEpoch),
    evaluate(x, y) {
      if (evalWs?.batchSize !== x.rows) evalWs = createMlpWorkspace(spec, x.rows, dtype);
      if (evalX !== x.data) {
        evalX = x.data;
        evalX32 = f32 ? Float32Array.from(x.data) : x.data;
      }
      if (f32) pc.set(p);
      const out = mlpForward(spec, pc, evalX32!, x.rows, evalWs);
      return labels
        ? softmaxCrossEntropy(out, y.data, classes)
        : lossFn.value(out, y.data, x.rows * outS, classes);
    },
    runBatches(order, from, to, acc) {
      let sum = acc;
      for (let j = from; j < to; j++) {
        const s = plan.start(j);
        const e = plan.end(j);
        const m = e - s;
        let loss: number;
        if (pool) {
          if (!direct) {
            const px = pool.x;
            const py = pool.y;
            const tx = train.x.data;
            const ty = train.y.data;
            for (let q = 0; q < m; q++) {
              const i = order[s + q]!;
              for (let c = 0; c < inS; c++) px[q * inS + c] = tx[i * inS + c]!;
              for (let c = 0; c < outS; c++) py[q * outS + c] = ty[i * outS + c]!;
            }
          }
          pool.params.set(p);
          // throws a TrainError naming a worker that stopped; p is untouched then
          loss = pool.stepSync(m, g);
        } else {
          const xb = m === bs ? Xb : Xs;
          const yb = m === bs ? Yb : Ys;
          if (!direct) {
            for (let q = 0; q < m; q++) {
              const i = order[s + q]!;
              for (let c = 0; c < inS; c++) xb[q * inS + c] = X[i * inS + c]!;
              for (let c = 0; c < outS; c++) yb[q * outS + c] = Y[i * outS + c]!;
            }
          }
          if (f32) pc.set(p);
          loss = mlpValueAndGradient(spec, pc, xb, yb, m, lossName, ws, gc);
          if (f32) g.set(gc);
        }
        let check = loss - loss;
        for (let k = 0; k < P; k++) check += g[k]! * 0;
        if (check !== 0) {
          engine.divergence = describeDivergence(loss, g);
          return Number.NaN;
        }
        if (regularization) addPenaltyGradient(p, g, weightRanges, regularization);
        if (normSums) addLayerNorms(g, slices!, normSums);
        const u = opt.update(g, state, p)[0];
        for (let k = 0; k < P; k++) p[k] = p[k]! + u[k]!;
        engine.steps++;
        sum += isMean ? loss * m : loss;
      }
      return sum;
    },
    close() {
      void pool?.close();
    },
  };
  if (pool) enginePools.set(engine, pool);
  return engine;
}
