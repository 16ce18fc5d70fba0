/**
 * A model as a list of dense layers (W: out × in, row-major as PyTorch's `nn.Linear.weight`, b: out),
 * the common view of the exporters. The width-one chain becomes `depth` layers of 1 × 1.
 */
import { type ActivationSpec, mlpLayout } from '@annlab/core';
import { chainActivations, checkModel, type Model, modelWidths } from '../model.js';
import type { Normalization } from '../normalize.js';

/** One dense layer of an exported model. */
export interface DenseLayer {
  readonly inSize: number;
  readonly outSize: number;
  /** out × in, row-major (a copy). */
  readonly weight: Float64Array;
  /** out (a copy). */
  readonly bias: Float64Array;
  /** The activation after the affine map, as a normalised spec. */
  readonly activation: ActivationSpec;
}

/** The validated dense view of a model. */
export interface DenseView {
  readonly kind: Model['kind'];
  readonly inputs: number;
  readonly outputs: number;
  readonly layers: readonly DenseLayer[];
  readonly normalization: Normalization | undefined;
  /** The training loss recorded with the model, if any (decides a classifier's extra outputs). */
  readonly loss: string | undefined;
}

/** Validates `model` (as `predict` does) and returns its layers. */
export function denseView(fn: string, model: Model): DenseView {
  const m = checkModel(fn, model);
  const { inputs, outputs } = modelWidths(m);
  const layers: DenseLayer[] = [];
  if (m.kind === 'chain') {
    const acts = chainActivations(fn, m);
    const depth = m.params.depth;
    const d = m.params.data;
    for (let i = 0; i < depth; i++) {
      layers.push({
        inSize: 1,
        outSize: 1,
        weight: Float64Array.of(d[i]!),
        bias: Float64Array.of(d[depth + i]!),
        activation: acts[i]!.spec,
      });
    }
  } else {
    const layout = mlpLayout(m.spec);
    layout.layers.forEach((l, i) => {
      layers.push({
        inSize: l.inSize,
        outSize: l.outSize,
        weight: m.params.slice(l.wOffset, l.wOffset + l.inSize * l.outSize),
        bias: m.params.slice(l.bOffset, l.bOffset + l.outSize),
        activation: m.spec.activations[i]!,
      });
    });
  }
  return {
    kind: m.kind,
    inputs,
    outputs,
    layers,
    normalization: m.normalization,
    loss: m.training?.loss,
  };
}
