// Export to ONNX and run it in ONNX Runtime: same answers as annlab's predict, in float32.
//   node examples/export-onnx.mjs [model.onnx]
import { writeFileSync } from 'node:fs';
import { initMlp, key, mlpSpec } from '@annlab/core';
import { adam, fit, predict, toOnnx } from '@annlab/train';
import * as ort from 'onnxruntime-node';

const x = Float64Array.from({ length: 100 }, (_, i) => i / 10);
const y = x.map((v) => 20 + 5 * Math.sin(v));
const spec = mlpSpec([1, 16, 1], 'gelu');
const net = { kind: 'mlp', spec, params: Float64Array.from(initMlp(spec, key(2))) };
const { model } = fit(net, { x, y }, { epochs: 200, optimizer: adam(0.01), normalize: true });
const bytes = toOnnx(model);
if (process.argv[2]) writeFileSync(process.argv[2], bytes);
const session = await ort.InferenceSession.create(bytes);
const out = await session.run({
  x: new ort.Tensor('float32', Float32Array.from(x), [x.length, 1]),
});
const expected = predict(model, x);
let worst = 0;
out.y.data.forEach((v, i) => {
  worst = Math.max(worst, Math.abs(v - expected[i]) / Math.abs(expected[i]));
});
console.log(
  `onnx: ${bytes.length} bytes, largest relative difference to predict ${worst.toExponential(1)}`,
);
