/** The engine of the lecture's width-one chain on the CPU. */
import {
  type Activation,
  type ChainGradientMethod,
  chainBackpropInto,
  chainGradient,
  createChainWorkspace,
} from '@annlab/core';
import type { BatchPlan } from '../batches.js';
import { activationCodes, isSigmoidChain, sgdChainEpoch, sgdChainRun } from '../chainKernel.js';
import type { Table } from '../data.js';
import { type ChainModel, chainActivations, chainOutput } from '../model.js';
import type { GradientTransformation, OptimizerState } from '../optimizers/index.js';
import { addLayerNorms, describeDivergence, type Engine } from './engine.js';

/** The constant learning rate of a plain `sgd(η)` (no momentum, no schedule), else 0. */
function plainSgdRate(opt: GradientTransformation): number {
  const c = opt.config;
  return c?.name === 'sgd' && typeof c.learningRate === 'number' && c.momentum === 0
    ? c.learningRate
    : 0;
}

/**
 * An engine for the chain, trained on ½(ŷ − y)² averaged over each batch. Per-sample SGD with a
 * constant rate, backprop and no gradient norms runs the fused kernel (`sgdChainEpoch`: the update
 * inside the backward pass); everything else computes the batch gradient with core's
 * `chainBackpropInto` (or `chainGradient` for the other methods) and calls the optimizer.
 */
export function chainEngine(
  fn: string,
  model: ChainModel,
  p: Float64Array,
  train: { readonly x: Table; readonly y: Table },
  plan: BatchPlan,
  opt: GradientTransformation,
  state: OptimizerState,
  method: ChainGradientMethod,
  slices: Array<readonly number[]> | undefined,
): Engine {
  const depth = model.params.depth;
  const P = 2 * depth;
  const acts: Activation[] = chainActivations(fn, model);
  const ws = createChainWorkspace(depth);
  const X = train.x.data;
  const Y = train.y.data;
  const g = new Float64Array(P);
  const gt = new Float64Array(P);
  const normSums = slices ? new Float64Array(slices.length) : undefined;
  const lr = plainSgdRate(opt);
  const paramsView = { depth, data: p, w: p.subarray(0, depth), b: p.subarray(depth) };
  const fused = plan.batchSize === 1 && method === 'backprop' && lr > 0 && !normSums;
  const codes = activationCodes(acts);
  const xs = new Float64Array(depth);
  const deltas = new Float64Array(depth);
  const failed = new Int32Array(1);
  const sigmoidChain = isSigmoidChain(codes);
  const start = new Float64Array(P);

  /** Gradient of one sample into `out`; returns ½(ŷ − y)². */
  const sampleGrad =
    method === 'backprop'
      ? (i: number, out: Float64Array) => chainBackpropInto(p, depth, X[i]!, Y[i]!, acts, ws, out)
      : (i: number, out: Float64Array) => {
          const r = chainGradient(paramsView, X[i]!, Y[i]!, { method, activations: acts });
          out.set(r.grad);
          return r.loss;
        };

  const engine: Engine = {
    params: p,
    normSums,
    steps: 0,
    divergence: '',
    epochLoss: (sum) => sum / plan.samplesPerEpoch,
    evaluate(x, y) {
      let s = 0;
      for (let i = 0; i < x.rows; i++) {
        const r = chainOutput(p, depth, x.data[i]!, acts) - y.data[i]!;
        s += 0.5 * r * r;
      }
      return s / x.rows;
    },
    runBatches(order, from, to, acc) {
      if (fused) {
        // Unchecked per sample: a non-finite loss or gradient leaves the sum or a parameter
        // non-finite for good, so one check per call finds it; the call is then replayed with
        // the checking kernel from its starting parameters (the same run bit for bit) to name
        // the update. A negative sum (−1: a residual too small for the fast exact sum) is
        // replayed the same way.
        start.set(p);
        let sum = sgdChainRun(
          p,
          depth,
          codes,
          sigmoidChain,
          acts,
          X,
          Y,
          xs,
          deltas,
          order,
          from,
          to,
          lr,
          acc,
        );
        let check = sum - sum;
        for (let k = 0; k < P; k++) check += p[k]! * 0;
        if (check === 0 && sum >= 0) {
          engine.steps += to - from;
          return sum;
        }
        p.set(start);
        sum = sgdChainEpoch(
          p,
          depth,
          codes,
          acts,
          X,
          Y,
          xs,
          deltas,
          order,
          from,
          to,
          lr,
          acc,
          failed,
        );
        if (Number.isNaN(sum)) {
          engine.steps += failed[0]! - from;
          engine.divergence = 'the loss or a gradient is not finite';
        } else engine.steps += to - from;
        return sum;
      }
      let sum = acc;
      for (let j = from; j < to; j++) {
        const s = plan.start(j);
        const e = plan.end(j);
        let loss: number;
        if (e - s === 1) {
          loss = sampleGrad(order[s]!, g);
        } else {
          g.fill(0);
          loss = 0;
          for (let q = s; q < e; q++) {
            loss += sampleGrad(order[q]!, gt);
            for (let k = 0; k < P; k++) g[k]! += gt[k]!;
          }
          const inv = 1 / (e - s);
          for (let k = 0; k < P; k++) g[k] = g[k]! * inv;
        }
        let check = 0;
        for (let k = 0; k < P; k++) check += g[k]! * 0;
        if (!(loss - loss === 0) || check !== 0) {
          engine.divergence = describeDivergence(loss, g);
          return Number.NaN;
        }
        if (normSums) addLayerNorms(g, slices!, normSums);
        const u = opt.update(g, state, p)[0];
        for (let k = 0; k < P; k++) p[k] = p[k]! + u[k]!;
        engine.steps++;
        sum += loss;
      }
      return sum;
    },
  };
  return engine;
}
