// Runs in the scratch project against the installed tarballs: core, train and plot from Node ESM.
import { initMlp, key, mlpSpec } from '@annlab/core';
import { lossChart } from '@annlab/plot';
import { adam, fit, fromSafetensors, predict, toOnnx, toSafetensors } from '@annlab/train';

const assert = (ok, what) => {
  if (!ok) throw new Error(`install-check esm: ${what}`);
};
const x = Float64Array.from({ length: 32 }, (_, i) => i / 31);
const y = x.map((v) => Math.sin(3 * v));
const spec = mlpSpec([1, 8, 1], 'tanh');
const net = { kind: 'mlp', spec, params: Float64Array.from(initMlp(spec, key(0))) };
const { model, history } = fit(
  net,
  { x, y },
  { epochs: 50, optimizer: adam(0.02), normalize: true },
);
assert(history.loss.at(-1) < history.loss[0], 'the loss went down');
const p = predict(model, x);
assert(p.length === 32 && p.every(Number.isFinite), 'predict gives 32 finite values');
const back = fromSafetensors(toSafetensors(model));
assert(
  predict(back, x).every((v, i) => v === p[i]),
  'safetensors round trip',
);
assert(toOnnx(model).length > 100, 'toOnnx gives bytes');
const svg = lossChart({ runs: [{ name: 'adam', loss: history.loss }] });
assert(svg.startsWith('<svg'), 'lossChart gives an SVG');
console.log('install-check esm: ok');
