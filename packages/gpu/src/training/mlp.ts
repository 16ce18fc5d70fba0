/**
 * GPU-resident MLP training: forward, backward and optimizer update of a dense network entirely on
 * the GPU. Parameters stay in GPU buffers during training; only the loss (on request) and the final
 * parameters are read back.
 *
 * One training step on a batch of b rows (X_b: b×in, Y_b: b×out), layers l = 1..L with
 * W_l (out×in, row-major, core's layout) and b_l:
 * 1. Mini-batch only: gather the batch rows of X and Y by the epoch order.
 * 2. Forward: Z_l = A_{l−1}·W_lᵀ (matmul, B transposed), Z_l += b_l, A_l = f_l(Z_l) (fused).
 * 3. Loss: G_L = ∂L/∂A_L and the per-element losses, summed into the loss buffer.
 * 4. Backward, l = L..1: dZ_l = G_l ⊙ f_l′(Z_l); ∂W_l = dZ_lᵀ·A_{l−1}; ∂b_l = Σ_rows dZ_l;
 *    G_{l−1} = dZ_l·W_l.
 * 5. Optimizer update of every W_l and b_l (Adam advances its step counter first).
 *
 * `step(k)` records k such steps (cycling through the epoch's batches) into one submission.
 */
import { type ActivationSpec, activation, invalidArgument, ShapeError } from '@annlab/core';
import { BufferScope, readF32, toF32 } from '../buffers.js';
import type { Gpu } from '../device.js';
import { type Dispatch, runDispatches } from '../dispatch.js';
import { prepareBiasActivation } from '../kernels/biasActivation/biasActivation.js';
import { assertCount, assertLength } from '../kernels/common.js';
import { prepareGather } from '../kernels/gather/gather.js';
import { assertLossName, prepareLoss } from '../kernels/loss/loss.js';
import type { GpuLossName } from '../kernels/loss/loss.wgsl.js';
import { prepareMatmul } from '../kernels/matmul/matmul.js';
import {
  createGpuOptimizer,
  type GpuOptimizer,
  type GpuOptimizerSpec,
} from '../kernels/optimizer/optimizer.js';
import { prepareSumRows } from '../kernels/reduce/reduce.js';

/** A dense network, as core's `MlpSpec`: `activations[l]` follows layer l + 1. */
export interface GpuMlpSpec {
  readonly sizes: readonly number[];
  readonly activations: readonly ActivationSpec[];
}

/** Options of {@link createGpuMlpTrainer}. */
export interface GpuMlpTrainerOptions {
  optimizer: GpuOptimizerSpec;
  loss: GpuLossName;
  /** Training data, row-major: x is n×sizes[0], y is n×sizes[L]. */
  data: { x: ArrayLike<number>; y: ArrayLike<number> };
  /** Rows per step; default all n (full batch). The last batch of an epoch may be smaller. */
  batchSize?: number;
  /**
   * The sample order of each epoch (a permutation of 0..n−1), asked for at the start of every epoch
   * when mini-batching; default the identity order.
   */
  order?: (epoch: number) => ArrayLike<number>;
}

/** A GPU-resident trainer; see {@link createGpuMlpTrainer}. */
export interface GpuMlpTrainer {
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
 *   optimizer: { name: 'sgd', lr: 0.05 }, loss: 'mse', data: { x, y },
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
  assertLossName(fn, 'options.loss', options.loss);
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
    const G: GPUBuffer[] = [];
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
      G.push(scope.storage(batch * fo, `G${l + 1}`, fn));
      dZ.push(scope.storage(batch * fo, `dZ${l + 1}`, fn));
    }
    const elementLoss = scope.storage(batch * nOut, 'elementLoss', fn);
    const lossBuf = scope.storage(Float32Array.of(Number.NaN), 'loss', fn);
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
        list.push(
          await prepareMatmul(
            gpu,
            scope,
            { a: input, b: W[l]!, c: Z[l]! },
            { m: rows, n: fo, k: fi, transB: true },
          ),
          await prepareBiasActivation(
            gpu,
            scope,
            spec.activations[l]!,
            'forward',
            { z: Z[l]!, bias: b[l]!, out: A[l]! },
            { rows, cols: fo },
          ),
        );
      }
      const count = rows * nOut;
      list.push(
        await prepareLoss(
          gpu,
          scope,
          options.loss,
          { prediction: A[L - 1]!, target: yb, grad: G[L - 1]!, elementLoss },
          { count },
        ),
        await prepareSumRows(
          gpu,
          scope,
          { x: elementLoss, out: lossBuf },
          { rows: count, cols: 1 },
        ),
      );
      for (let l = L - 1; l >= 0; l--) {
        const fi = sizes[l]!;
        const fo = sizes[l + 1]!;
        const input = l === 0 ? xb : A[l - 1]!;
        list.push(
          await prepareBiasActivation(
            gpu,
            scope,
            spec.activations[l]!,
            'backward',
            { z: Z[l]!, grad: G[l]!, out: dZ[l]! },
            { rows, cols: fo },
          ),
          await prepareMatmul(
            gpu,
            scope,
            { a: dZ[l]!, b: input, c: dW[l]! },
            { m: fo, n: fi, k: rows, transA: true },
          ),
          await prepareSumRows(gpu, scope, { x: dZ[l]!, out: db[l]! }, { rows, cols: fo }),
        );
        if (l > 0) {
          list.push(
            await prepareMatmul(
              gpu,
              scope,
              { a: dZ[l]!, b: W[l]!, c: G[l - 1]! },
              { m: rows, n: fi, k: fo },
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
