/**
 * The one interface behind the trainer: an engine owns the model-specific part of a training step
 * (chain on the CPU, MLP on the CPU); the epoch loop (`loop.ts`) owns everything else. The MLP on
 * WebGPU (`webgpuTrainer.ts`) runs its batches on the device, asynchronously, and uses an engine of
 * this shape for the epoch's end only (`endEpoch`: loss, validation, gradient norms, progress,
 * early stopping), so that its records are those of the CPU.
 */
import { formatValue } from '@annlab/core/internal';
import type { Table } from '../data.js';

/** The per-model part of training. */
export interface Engine {
  /** The live parameters (updated in place). */
  readonly params: Float64Array;
  /**
   * Runs batches [from, to) of the epoch whose sample order is `order`, adding each batch's loss to
   * `acc` in turn, and returns the new sum, or NaN as soon as a loss or gradient is not finite
   * (`divergence` then says which). Splitting an epoch into several calls gives bit-identical
   * parameters and sums.
   */
  runBatches(order: Int32Array, from: number, to: number, acc: number): number;
  /** The epoch loss from the epoch's sum. */
  epochLoss(sum: number): number;
  /** Loss of the live parameters on a (normalised) dataset. */
  evaluate(x: Table, y: Table): number;
  /** Per-layer gradient-norm sums of the current epoch when recording (the loop resets them). */
  readonly normSums: Float64Array | undefined;
  /** Updates applied so far. */
  steps: number;
  /** Description of the last divergence. */
  divergence: string;
  /** Releases what the engine holds beyond memory (worker threads); called on dispose. */
  close?(): void;
}

/** normSums[l] += ‖g restricted to layer l's parameter ranges‖₂. */
export function addLayerNorms(
  g: Float64Array,
  slices: Array<readonly number[]>,
  normSums: Float64Array,
): void {
  for (let l = 0; l < slices.length; l++) {
    const r = slices[l]!;
    let s = 0;
    for (let q = 0; q < r.length; q += 2) {
      for (let k = r[q]!; k < r[q + 1]!; k++) s += g[k]! * g[k]!;
    }
    normSums[l]! += Math.sqrt(s);
  }
}

/** Names the first non-finite value: the loss, or a gradient element. */
export function describeDivergence(loss: number, g: Float64Array): string {
  if (!Number.isFinite(loss)) return `the loss is ${formatValue(loss)}`;
  for (let k = 0; k < g.length; k++) {
    if (!Number.isFinite(g[k]!)) return `gradient element ${k} is ${formatValue(g[k])}`;
  }
  return 'non-finite value';
}
