// Fit a formula in Node: y = sin(2x) + x/2 on [-2, 2] with a 1-16-16-1 tanh network and Adam.
// Run: pnpm build && node examples/fit-formula.mjs
import { initMlp, key, mlpSpec } from '@annlab/core';
import { adam, fit, predict, saveModel } from '@annlab/train';

export const target = (x) => Math.sin(2 * x) + x / 2;

export function run({ epochs = 400 } = {}) {
  const x = Array.from({ length: 64 }, (_, i) => -2 + (4 * i) / 63);
  const y = x.map(target);
  const spec = mlpSpec([1, 16, 16, 1], 'tanh', 'identity');
  const model = { kind: 'mlp', spec, params: Float64Array.from(initMlp(spec, key(0))) };
  const result = fit(
    model,
    { x, y },
    { epochs, optimizer: adam(0.01), batch: 16, normalize: true },
  );
  const probe = [-1.5, -0.25, 0.75, 1.9]; // inside the training range, not on the grid
  return {
    finalLoss: result.history.loss.at(-1),
    probe,
    predicted: Array.from(predict(result.model, probe)),
    json: saveModel(result.model), // versioned JSON: spec, parameters, normalisation
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { finalLoss, probe, predicted } = run();
  console.log(`final training loss ${finalLoss.toExponential(2)}`);
  for (const [i, x] of probe.entries()) {
    console.log(`f(${x}) = ${target(x).toFixed(4)}, network ${predicted[i].toFixed(4)}`);
  }
}
