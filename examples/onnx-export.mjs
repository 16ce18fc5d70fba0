// Export to ONNX and run it in ONNX Runtime: train a 1-8-8-1 network on x², write model.onnx and
// compare onnxruntime-node's float32 outputs with annlab's own predict.
// Run: pnpm build && node examples/onnx-export.mjs [out-dir]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initMlp, key, mlpSpec } from '@annlab/core';
import { adam, fit, predict, toOnnx } from '@annlab/train';
import { writeFileAtomic } from '@annlab/train/node';
import * as ort from 'onnxruntime-node';

export async function run({ outDir = mkdtempSync(join(tmpdir(), 'annlab-onnx-')) } = {}) {
  const x = Array.from({ length: 50 }, (_, i) => -1 + (2 * i) / 49);
  const y = x.map((v) => v * v);
  const spec = mlpSpec([1, 8, 8, 1], 'gelu', 'identity'); // exact GELU goes to ONNX as Erf
  const model = { kind: 'mlp', spec, params: Float64Array.from(initMlp(spec, key(2))) };
  const { model: trained } = fit(
    model,
    { x, y },
    { epochs: 100, optimizer: adam(0.01), normalize: true },
  );

  const bytes = toOnnx(trained); // opset 17, float32; the normalisation is part of the graph
  const file = join(outDir, 'model.onnx');
  await writeFileAtomic(file, bytes); // temporary file, then rename: never a half-written model

  const probe = Float32Array.from({ length: 1000 }, (_, i) => -1 + (2 * i) / 999);
  const session = await ort.InferenceSession.create(file);
  const { y: out } = await session.run({ x: new ort.Tensor('float32', probe, [probe.length, 1]) });
  return {
    file,
    bytes: bytes.length,
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    onnx: Float64Array.from(out.data),
    annlab: predict(trained, Array.from(probe)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await run(process.argv[2] ? { outDir: process.argv[2] } : {});
  let worst = 0;
  r.onnx.forEach((v, i) => {
    worst = Math.max(worst, Math.abs(v - r.annlab[i]));
  });
  console.log(`${r.file}: ${r.bytes} bytes, inputs ${r.inputNames}, outputs ${r.outputNames}`);
  console.log(`largest |onnxruntime − predict| over 1,000 inputs: ${worst.toExponential(2)}`);
}
