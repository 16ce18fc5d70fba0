/**
 * What each neuron computes: the outputs of every hidden and output neuron of a dense network on a
 * set of inputs (TensorFlow Playground's small heat maps), and the classification accuracy.
 */
import { mlpLayout } from '@annlab/core';
import { type Model, predict } from '@annlab/train';

/**
 * Per layer (hidden layers, then the output layer), per neuron, its output (after its activation)
 * at each input row of `x` (row-major, the model's input width). Inputs are standardised as the
 * model does; the output layer is reported before the targets' scaling is undone. Only dense
 * networks have neurons to show: a chain gives [].
 *
 * Layer l is evaluated as the network cut after layer l (its parameters are a prefix of the flat
 * vector), so this reuses the trained forward pass.
 *
 * @example
 * ```ts
 * const maps = neuronOutputs(model, [0, 0, 1, 1]); // maps[0][j]: neuron j of layer 1 at 2 points
 * ```
 */
export function neuronOutputs(model: Model, x: readonly number[]): number[][][] {
  if (model.kind !== 'mlp') return [];
  const { sizes, activations } = model.spec;
  const rows = x.length / sizes[0]!;
  if (!Number.isInteger(rows) || rows === 0) return [];
  const layout = mlpLayout(model.spec);
  const input = Float64Array.from(x);
  const out: number[][][] = [];
  for (let l = 1; l < sizes.length; l++) {
    const last = layout.layers[l - 1]!;
    const cut: Model = {
      kind: 'mlp',
      spec: { sizes: sizes.slice(0, l + 1), activations: activations.slice(0, l) },
      params: model.params.subarray(0, last.bOffset + last.outSize),
      ...(model.normalization?.x ? { normalization: { x: model.normalization.x } } : {}),
    };
    const values = predict(cut, input);
    const width = sizes[l]!;
    const layer: number[][] = [];
    for (let j = 0; j < width; j++) {
      const v = new Array<number>(rows);
      for (let r = 0; r < rows; r++) v[r] = values[r * width + j]!;
      layer.push(v);
    }
    out.push(layer);
  }
  return out;
}

/**
 * The class of each row of a classifier's raw outputs: one output is a logit (class 1 where it is
 * > 0); several are per-class scores (the largest wins, the first on ties).
 *
 * @example
 * ```ts
 * classesOf([-1, 2], 1); // [0, 1]
 * classesOf([0.1, 0.7, 0.2], 3); // [1]
 * ```
 */
export function classesOf(outputs: ArrayLike<number>, width: number): number[] {
  const rows = outputs.length / width;
  const out = new Array<number>(rows);
  for (let r = 0; r < rows; r++) {
    if (width === 1) {
      out[r] = outputs[r]! > 0 ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let k = 1; k < width; k++) {
      if (outputs[r * width + k]! > outputs[r * width + best]!) best = k;
    }
    out[r] = best;
  }
  return out;
}

/**
 * The fraction of rows whose predicted class matches the target (0/1 for one output, one-hot for
 * several).
 *
 * @example
 * ```ts
 * accuracy([-1, 2, 3], [0, 1, 0], 1); // 2 / 3
 * ```
 */
export function accuracy(
  outputs: ArrayLike<number>,
  targets: ArrayLike<number>,
  width: number,
): number {
  const predicted = classesOf(outputs, width);
  const truth =
    width === 1 ? Array.from(targets, (t) => (t > 0.5 ? 1 : 0)) : classesOf(targets, width);
  if (predicted.length === 0) return Number.NaN;
  let right = 0;
  for (let r = 0; r < predicted.length; r++) if (predicted[r] === truth[r]) right++;
  return right / predicted.length;
}
