// Fit a formula in Node: parse a target, sample it, train an MLP, report the error.
//   node examples/fit-formula.mjs "x * exp(x)"
import { initMlp, key, mlpSpec } from '@annlab/core';
import { parseFormula, sampleFormula } from '@annlab/formula';
import { adam, fit, predict } from '@annlab/train';

const text = process.argv[2] ?? 'sin(3x)';
const { x, y } = sampleFormula(parseFormula(text), -1, 1, 200);
const spec = mlpSpec([1, 32, 32, 1], 'tanh');
const net = { kind: 'mlp', spec, params: Float64Array.from(initMlp(spec, key(0))) };
const { model } = fit(
  net,
  { x, y },
  { epochs: 300, optimizer: adam(0.01), batch: 32, normalize: true },
);
const p = predict(model, x);
const rmse = Math.sqrt(p.reduce((s, v, i) => s + (v - y[i]) ** 2, 0) / p.length);
console.log(`fit ${text} on [-1, 1]: rmse ${rmse.toExponential(2)}`);
