/**
 * GPU-resident MLP training: forward, backward and optimizer update of a dense network entirely on
 * the GPU. Parameters stay in GPU buffers during training; only the loss (on request) and the final
 * parameters are read back.
 *
 * One training step on a batch of b rows (X_b: b×in, Y_b: b×out), layers l = 1..L with
 * W_l (out×in, row-major, core's layout) and b_l:
 * 1. Mini-batch only: gather the batch rows of X and Y by the epoch order.
 * 2. Forward, one dispatch per layer: Z_l = A_{l−1}·W_lᵀ + b_l and A_l = f_l(Z_l) (matmul with B
 *    transposed and a bias + activation epilogue).
 * 3. Loss: G_L = ∂L/∂A_L and the per-element losses, summed into the loss buffer; dZ_L = G_L ⊙ f_L′(Z_L)
 *    (with an identity output the loss writes dZ_L itself).
 * 4. Backward, l = L..1: ∂W_l = dZ_lᵀ·A_{l−1} (matmul, A transposed) and ∂b_l = Σ_rows dZ_l (the
 *    same dispatch, summing the dZ_l it reads);
 *    dZ_{l−1} = (dZ_l·W_l) ⊙ f_{l−1}′(Z_{l−1}) (matmul with an activation-derivative epilogue).
 * 5. Optimizer update of every W_l and b_l (Adam advances its step counter first).
 *
 * `step(k)` records k such steps (cycling through the epoch's batches) into one submission.
 */
import {
  activation,
  type DeviceMlpTrainer,
  type MlpSpec,
  type MlpTrainerOptions,
  ShapeError,
} from '@annlab/core';
import { invalidArgument } from '@annlab/core/internal';
import { BufferScope, readF32, toF32 } from '../buffers.js';
import type { Gpu } from '../device.js';
import { type Dispatch, runDispatches } from '../dispatch.js';
import { prepareBiasActivation } from '../kernels/biasActivation/biasActivation.js';
import { assertCount, assertLength } from '../kernels/common.js';
import { prepareGather } from '../kernels/gather/gather.js';
import { prepareGradNorm } from '../kernels/gradNorm/gradNorm.js';
import { assertLossName, prepareLoss } from '../kernels/loss/loss.js';
import type { GpuLossName } from '../kernels/loss/loss.wgsl.js';
import { prepareSoftmaxCrossEntropy } from '../kernels/softmaxCrossEntropy/softmaxCrossEntropy.js';
import {
  assertWeightPenalty,
  prepareWeightPenalty,
} from '../kernels/weightPenalty/weightPenalty.js';

/**
 * Losses of {@link createGpuMlpTrainer}: the elementwise ones and `softmaxCrossEntropy` (rows of
 * logits against one-hot or probability rows, the mean over rows), with core's conventions.
 */
export type GpuMlpLossName = GpuLossName | 'softmaxCrossEntropy';

import { prepareMatmul } from '../kernels/matmul/matmul.js';
import { createGpuOptimizer, type GpuOptimizer } from '../kernels/optimizer/optimizer.js';
import { prepareSumRows } from '../kernels/reduce/reduce.js';

/** A dense network: core's `MlpSpec` (`activations[l]` follows layer l + 1). */
export type GpuMlpSpec = MlpSpec;

/**
 * Options of {@link createGpuMlpTrainer}: core's `MlpTrainerOptions` (the one definition that
 * `@annlab/train` uses too). `loss` is one of {@link GpuMlpLossName}; for `softmaxCrossEntropy`, y
 * holds one-hot or probability rows, for `bceWithLogits` values in [0, 1]; `regularization` adds
 * l1·sign(w) + 2·l2·w to each weight gradient (not the biases).
 */
export type GpuMlpTrainerOptions = MlpTrainerOptions;

/** A GPU-resident trainer (core's `DeviceMlpTrainer` and more); see {@link createGpuMlpTrainer}. */
export interface GpuMlpTrainer extends DeviceMlpTrainer {
  /** Number of steps taken so far. */
  readonly steps: number;
  /** Batches per epoch. */
  readonly batchesPerEpoch: number;
  /** The optimizer (for `setLearningRate`). */
  readonly optimizer: GpuOptimizer;
  /** Runs k training steps in one submission and waits for the GPU. */
  step(k?: number): Promise<void>;
  /** The loss of the last step's batch (before that step's update); NaN before the first step. */
  readLoss(): Promise<number>;
  /** The parameters in core's flat layout (per layer W then b), as float32. */
  readParams(): Promise<Float32Array>;
  /** Changes the learning rate of later steps (a schedule step). */
  setLearningRate(learningRate: number): void;
  /** Releases every GPU buffer of the trainer. */
  dispose(): void;
}

function checkSpec(fn: string, spec: GpuMlpSpec): void {
  if (spec === null || typeof spec !== 'object' || !Array.isArray(spec.sizes)) {
    throw invalidArgument(fn, 'spec', spec, 'an MlpSpec { sizes, activations }');
  }
  if (spec.sizes.length < 2) {
    throw invalidArgument(fn, 'spec.sizes', spec.sizes, 'an array of at least two layer sizes');
  }
  spec.sizes.forEach((s, i) => {
    assertCount(fn, `spec.sizes[${i}]`, s);
  });
  if (!Array.isArray(spec.activations) || spec.activations.length !== spec.sizes.length - 1) {
    throw new ShapeError(
      `${fn}: spec.activations must have sizes.length − 1 = ${spec.sizes.length - 1} entries, got ${
        Array.isArray(spec.activations) ? spec.activations.length : String(spec.activations)
      }`,
      fn,
      'spec.activations',
    );
  }
  for (const a of spec.activations) activation(a);
}

/** The number of parameters of `spec` in core's flat layout. */
export function gpuMlpParamCount(spec: GpuMlpSpec): number {
  let n = 0;
  for (let l = 1; l < spec.sizes.length; l++) n += spec.sizes[l]! * (spec.sizes[l - 1]! + 1);
  return n;
}

/**
 * Uploads `params` and the data once and returns a trainer that steps entirely on the GPU.
 *
 * @example
 * ```ts
 * const spec = { sizes: [2, 256, 256, 256, 1], activations: ['relu', 'relu', 'relu', 'identity'] };
 * const trainer = await createGpuMlpTrainer(gpu, spec, params, {
 *   optimizer: { name: 'sgd', learningRate: 0.05 }, loss: 'mse', data: { x, y },
 * });
 * for (let i = 0; i < 10; i++) {
 *   await trainer.step(10);
 *   console.log(await trainer.readLoss());
 * }
 * const trained = await trainer.readParams();
 * trainer.dispose();
 * ```
 */
export async function createGpuMlpTrainer(
  gpu: Gpu,
  spec: GpuMlpSpec,
  params: ArrayLike<number>,
  options: GpuMlpTrainerOptions,
): Promise<GpuMlpTrainer> {
  const fn = 'createGpuMlpTrainer';
  checkSpec(fn, spec);
  if (options === null || typeof options !== 'object') {
    throw invalidArgument(fn, 'options', options, 'an object { optimizer, loss, data }');
  }
  const sce = options.loss === 'softmaxCrossEntropy';
  if (!sce) assertLossName(fn, 'options.loss', options.loss);
  const sizes = spec.sizes;
  const L = sizes.length - 1;
  const nIn = sizes[0]!;
  const nOut = sizes[L]!;
  assertLength(fn, 'params', params, gpuMlpParamCount(spec), 'the layout size');
  const data = options.data;
  if (data === null || typeof data !== 'object') {
    throw invalidArgument(fn, 'options.data', data, 'an object { x, y }');
  }
  const n = (data.x?.length ?? 0) / nIn;
  if (!(Number.isInteger(n) && n >= 1)) {
    throw new ShapeError(
      `${fn}: options.data.x must hold a whole number ≥ 1 of rows of ${nIn}, got length ${data.x?.length}`,
      fn,
      'options.data.x',
    );
  }
  assertLength(fn, 'options.data.y', data.y, n * nOut, `rows·${nOut}`);
  if (sce && nOut < 2) {
    throw invalidArgument(
      fn,
      'spec.sizes',
      sizes,
      'a network with ≥ 2 outputs for softmaxCrossEntropy',
    );
  }
  if (sce || options.loss === 'bceWithLogits') {
    // probabilities: a target outside [0, 1] has no meaning (and drives the loss negative)
    for (let i = 0; i < data.y.length; i++) {
      const t = data.y[i]!;
      if (!(t >= 0 && t <= 1)) {
        throw invalidArgument(
          fn,
          `options.data.y[${i}]`,
          t,
          `a probability in [0, 1] for ${options.loss}`,
        );
      }
    }
  }
  const penalty = options.regularization;
  if (penalty !== undefined) assertWeightPenalty(fn, 'options.regularization', penalty);
  const B = options.batchSize ?? n;
  assertCount(fn, 'options.batchSize', B);
  const batch = Math.min(B, n);
  const mini = batch < n;
  const nb = Math.ceil(n / batch);

  const scope = new BufferScope(gpu, fn);
  try {
    const x = scope.storage(toF32(data.x), 'x', fn);
    const y = scope.storage(toF32(data.y), 'y', fn);
    const order = scope.storage(
      Uint32Array.from({ length: n }, (_, i) => i),
      'order',
      fn,
    );
    const xb = mini ? scope.storage(batch * nIn, 'xBatch', fn) : x;
    const yb = mini ? scope.storage(batch * nOut, 'yBatch', fn) : y;
    const W: GPUBuffer[] = [];
    const b: GPUBuffer[] = [];
    const dW: GPUBuffer[] = [];
    const db: GPUBuffer[] = [];
    const Z: GPUBuffer[] = [];
    const A: GPUBuffer[] = [];
    const dZ: GPUBuffer[] = [];
    let off = 0;
    for (let l = 0; l < L; l++) {
      const fi = sizes[l]!;
      const fo = sizes[l + 1]!;
      const w = new Float32Array(fo * fi);
      for (let i = 0; i < w.length; i++) w[i] = params[off + i]!;
      off += w.length;
      const bias = new Float32Array(fo);
      for (let i = 0; i < fo; i++) bias[i] = params[off + i]!;
      off += fo;
      W.push(scope.storage(w, `W${l + 1}`, fn));
      b.push(scope.storage(bias, `b${l + 1}`, fn));
      dW.push(scope.storage(fo * fi, `dW${l + 1}`, fn));
      db.push(scope.storage(fo, `db${l + 1}`, fn));
      Z.push(scope.storage(batch * fo, `Z${l + 1}`, fn));
      A.push(scope.storage(batch * fo, `A${l + 1}`, fn));
      dZ.push(scope.storage(batch * fo, `dZ${l + 1}`, fn));
    }
    // ∂L/∂A_L, needed only when the output activation is not the identity.
    const G = scope.storage(batch * nOut, 'G', fn);
    const elementLoss = scope.storage(batch * nOut, 'elementLoss', fn);
    const lossBuf = scope.storage(Float32Array.of(Number.NaN), 'loss', fn);
    // per layer, the sum of the steps' gradient norms (options.gradNorms)
    const normSums = options.gradNorms === true ? scope.storage(L, 'gradNormSums', fn) : undefined;
    const optimizer = await createGpuOptimizer(
      gpu,
      scope,
      options.optimizer,
      W.flatMap((w, l) => [
        { params: w, grad: dW[l]!, count: sizes[l + 1]! * sizes[l]! },
        { params: b[l]!, grad: db[l]!, count: sizes[l + 1]! },
      ]),
    );

    const batchDispatches = async (j: number): Promise<Dispatch[]> => {
      const rows = Math.min(batch, n - j * batch);
      const list: Dispatch[] = [];
      if (mini) {
        const offset = j * batch;
        list.push(
          await prepareGather(gpu, scope, { order, src: x, out: xb }, { rows, cols: nIn, offset }),
          await prepareGather(gpu, scope, { order, src: y, out: yb }, { rows, cols: nOut, offset }),
        );
      }
      for (let l = 0; l < L; l++) {
        const fi = sizes[l]!;
        const fo = sizes[l + 1]!;
        const input = l === 0 ? xb : A[l - 1]!;
        // Z = A_{l−1}·Wᵀ + b and A = f(Z) in one dispatch.
        list.push(
          await prepareMatmul(
            gpu,
            scope,
            { a: input, b: W[l]!, c: Z[l]!, bias: b[l]!, out: A[l]! },
            { m: rows, n: fo, k: fi, transB: true },
            { epilogue: { kind: 'biasActivation', activation: spec.activations[l]! } },
          ),
        );
      }
      const count = rows * nOut;
      const lastIdentity = activation(spec.activations[L - 1]!).name === 'identity';
      // With an identity output, ∂L/∂Z_L = ∂L/∂A_L: the loss writes dZ_L directly.
      const gradOut = lastIdentity ? dZ[L - 1]! : G;
      list.push(
        sce
          ? await prepareSoftmaxCrossEntropy(
              gpu,
              scope,
              { logits: A[L - 1]!, target: yb, grad: gradOut, rowLoss: elementLoss },
              { rows, classes: nOut },
            )
          : await prepareLoss(
              gpu,
              scope,
              options.loss as GpuLossName,
              { prediction: A[L - 1]!, target: yb, grad: gradOut, elementLoss },
              { count },
            ),
        // softmaxCrossEntropy writes one loss per row, the others one per element
        await prepareSumRows(
          gpu,
          scope,
          { x: elementLoss, out: lossBuf },
          { rows: sce ? rows : count, cols: 1 },
        ),
      );
      if (!lastIdentity) {
        list.push(
          await prepareBiasActivation(
            gpu,
            scope,
            spec.activations[L - 1]!,
            'backward',
            { z: Z[L - 1]!, grad: G, out: dZ[L - 1]! },
            { rows, cols: nOut },
          ),
        );
      }
      for (let l = L - 1; l >= 0; l--) {
        const fi = sizes[l]!;
        const fo = sizes[l + 1]!;
        const input = l === 0 ? xb : A[l - 1]!;
        list.push(
          // ∂W_l = dZ_lᵀ·A_{l−1}, and ∂b_l = Σ_rows dZ_l from the same pass over dZ_l.
          await prepareMatmul(
            gpu,
            scope,
            { a: dZ[l]!, b: input, c: dW[l]!, rowSums: db[l]! },
            { m: fo, n: fi, k: rows, transA: true },
          ),
        );
        if (l > 0) {
          // dZ_{l−1} = (dZ_l·W_l) ⊙ f′(Z_{l−1}) in one dispatch.
          list.push(
            await prepareMatmul(
              gpu,
              scope,
              { a: dZ[l]!, b: W[l]!, c: dZ[l - 1]!, z: Z[l - 1]! },
              { m: rows, n: fi, k: fo },
              { epilogue: { kind: 'activationDerivative', activation: spec.activations[l - 1]! } },
            ),
          );
        }
      }
      if (penalty !== undefined && (penalty.l1 > 0 || penalty.l2 > 0)) {
        for (let l = 0; l < L; l++) {
          list.push(
            await prepareWeightPenalty(
              gpu,
              scope,
              { weights: W[l]!, grad: dW[l]! },
              { count: sizes[l]! * sizes[l + 1]! },
              penalty,
            ),
          );
        }
      }
      if (normSums) {
        for (let l = 0; l < L; l++) {
          list.push(
            await prepareGradNorm(
              gpu,
              scope,
              { dW: dW[l]!, db: db[l]!, sums: normSums },
              { wCount: sizes[l]! * sizes[l + 1]!, bCount: sizes[l + 1]!, slot: l },
            ),
          );
        }
      }
      list.push(...optimizer.dispatches);
      return list;
    };
    const perBatch: Dispatch[][] = [];
    for (let j = 0; j < nb; j++) perBatch.push(await batchDispatches(j));

    let steps = 0;
    let disposed = false;
    const check = (name: string) => {
      if (disposed) throw invalidArgument(name, 'this', 'a disposed trainer', 'a live trainer');
    };
    const setOrder = (epoch: number) => {
      if (!options.order) return;
      const o = options.order(epoch);
      assertLength('GpuMlpTrainer.step', 'order(epoch)', o, n, 'n');
      const u = new Uint32Array(n);
      const seen = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const v = o[i]!;
        if (!(Number.isInteger(v) && v >= 0 && v < n) || seen[v]) {
          throw invalidArgument(
            'GpuMlpTrainer.step',
            `order(${epoch})`,
            o,
            `a permutation of 0..${n - 1}`,
          );
        }
        seen[v] = 1;
        u[i] = v;
      }
      gpu.device.queue.writeBuffer(order, 0, u);
    };
    return {
      get steps() {
        return steps;
      },
      batchesPerEpoch: nb,
      optimizer,
      setLearningRate(learningRate: number) {
        optimizer.setLearningRate(learningRate);
      },
      async step(k = 1) {
        check('GpuMlpTrainer.step');
        assertCount('GpuMlpTrainer.step', 'k', k);
        if (!mini) {
          await runDispatches(gpu, perBatch[0]!, k, 'GpuMlpTrainer.step');
          steps += k;
          return;
        }
        // Split at epoch boundaries so each epoch's order is uploaded before its first batch.
        let left = k;
        while (left > 0) {
          const j = steps % nb;
          if (j === 0) setOrder(steps / nb);
          const run = Math.min(left, nb - j);
          await runDispatches(gpu, perBatch.slice(j, j + run).flat(), 1, 'GpuMlpTrainer.step');
          steps += run;
          left -= run;
        }
      },
      async readLoss() {
        check('GpuMlpTrainer.readLoss');
        return (await readF32(gpu, lossBuf, 1))[0]!;
      },
      async readGradNormSums() {
        check('GpuMlpTrainer.readGradNormSums');
        if (!normSums) {
          throw invalidArgument(
            'GpuMlpTrainer.readGradNormSums',
            'options.gradNorms',
            options.gradNorms,
            'true when the trainer was created',
          );
        }
        const sums = await readF32(gpu, normSums, L);
        gpu.device.queue.writeBuffer(normSums, 0, new Float32Array(L));
        return sums;
      },
      async readParams() {
        check('GpuMlpTrainer.readParams');
        const out = new Float32Array(gpuMlpParamCount(spec));
        let o = 0;
        for (let l = 0; l < L; l++) {
          const w = await readF32(gpu, W[l]!, sizes[l + 1]! * sizes[l]!);
          out.set(w, o);
          o += w.length;
          const bv = await readF32(gpu, b[l]!, sizes[l + 1]!);
          out.set(bv, o);
          o += bv.length;
        }
        return out;
      },
      dispose() {
        disposed = true;
        scope.dispose();
      },
    };
  } catch (e) {
    scope.dispose();
    throw e;
  }
}
