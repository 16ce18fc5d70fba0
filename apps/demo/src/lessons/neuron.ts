/**
 * Chapter 1's experiments as pure functions: the notes' OR-gate neuron (and a labelled modern
 * variant), and the AD blog's first training loop (one neuron, target Y = 1, 1000 steps).
 */
import { type ActivationSpec, backward, initMlp, key, mlpSpec, Value } from '@annlab/core';
import { fit, type MlpModel, sgd } from '@annlab/train';

/** The OR gate's four inputs (row-major pairs) and targets. */
export const OR_X: readonly number[] = [0, 0, 0, 1, 1, 0, 1, 1];
export const OR_Y: readonly number[] = [0, 1, 1, 1];

/** Which settings train the OR neuron. */
export type NeuronSettings = 'notes' | 'modern';

/** The settings' learning rate and epochs (the activation is the user's choice). */
export function neuronSettings(
  settings: NeuronSettings,
  act: ActivationSpec,
): { learningRate: number; epochs: number } {
  if (settings === 'notes') return { learningRate: 0.1, epochs: 1000 };
  return { learningRate: act === 'sigmoid' ? 2 : 0.2, epochs: 400 };
}

/**
 * The OR neuron y = f(w·x + b) at its start: the notes draw w ~ N(0, 1) from the key and set b = 0;
 * the modern variant uses PyTorch's U(±1/√2) for w and b.
 *
 * @example
 * ```ts
 * const model = orNeuron('notes', 'sigmoid', 0); // params [w₁, w₂, b = 0]
 * ```
 */
export function orNeuron(settings: NeuronSettings, act: ActivationSpec, seed: number): MlpModel {
  const spec = mlpSpec([2, 1], 'identity', act);
  const params = Float64Array.from(
    initMlp(spec, key(seed), { init: settings === 'notes' ? 'normal' : 'pytorch' }),
  );
  if (settings === 'notes') params[2] = 0;
  return { kind: 'mlp', spec, params };
}

/**
 * `epochs` more epochs of full-batch gradient descent on the OR gate's MSE. Plain SGD has no state,
 * so training in chunks gives the same numbers as one call.
 *
 * @example
 * ```ts
 * let m = orNeuron('notes', 'sigmoid', 0);
 * const r = trainOr(m, 0.1, 1000); // r.loss.at(-1) ≈ 0.037
 * ```
 */
export function trainOr(
  model: MlpModel,
  learningRate: number,
  epochs: number,
): { model: MlpModel; loss: number[] } {
  const r = fit(
    model,
    { x: Float64Array.from(OR_X), y: Float64Array.from(OR_Y) },
    { epochs, optimizer: sgd(learningRate), loss: 'mse', batch: 'full' },
  );
  return { model: r.model, loss: Array.from(r.history.loss) };
}

/**
 * The AD blog's first training loop: one sigmoid neuron ŷ = σ(w·x + b) at x = 0.5, w and b drawn
 * N(0, 1) from the key, loss (ŷ − Y)² with Y = 1, `steps` gradient steps of 0.1, every gradient by
 * reverse-mode autodiff (core's `Value`).
 *
 * @example
 * ```ts
 * const r = firstTrainingLoop(0); // r.after > r.before, r.loss.at(-1) < r.loss[0]
 * ```
 */
export function firstTrainingLoop(
  seed: number,
  steps = 1000,
  learningRate = 0.1,
): { before: number; after: number; loss: number[] } {
  const init = initMlp(mlpSpec([1, 1], 'sigmoid'), key(seed), { init: 'normal' });
  let w = init[0]!;
  let b = init[1]!;
  const x = 0.5;
  const Y = 1;
  const out = (wv: number, bv: number) => 1 / (1 + Math.exp(-(wv * x + bv)));
  const before = out(w, b);
  const loss: number[] = [];
  for (let s = 0; s < steps; s++) {
    const W = new Value(w);
    const B = new Value(b);
    const L = W.mul(x).add(B).activate('sigmoid').sub(Y).square();
    const g = backward(L);
    loss.push(L.data);
    w -= learningRate * g(W);
    b -= learningRate * g(B);
  }
  return { before, after: out(w, b), loss };
}
