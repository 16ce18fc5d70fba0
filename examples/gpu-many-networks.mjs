// Train many networks at once on WebGPU: the lecture's width-one chain from 1,000 keys.
//   node examples/gpu-many-networks.mjs [networks]
// Needs a WebGPU adapter: a GPU, or on Linux SwiftShader (VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json).
import { key, split } from '@annlab/core';
import { GpuUnavailableError, requestGpu, trainChains } from '@annlab/gpu';

const count = Number(process.argv[2] ?? 1000);
let gpu;
try {
  gpu = await requestGpu();
} catch (e) {
  if (!(e instanceof GpuUnavailableError)) throw e;
  console.log(`no WebGPU adapter: ${e.message}`);
  process.exit(3);
}
const xs = Float64Array.from({ length: 50 }, (_, i) => 0.5 + (2.5 * i) / 49);
const ys = xs.map((x) => -3 * x + 2);
const { losses } = await trainChains(gpu, {
  keys: split(key(0), count),
  depth: 3,
  xs,
  ys,
  lr: 0.01,
  epochs: 20,
});
const sorted = Float64Array.from(losses).sort();
console.log(
  `${losses.length} networks on ${gpu.adapter.vendor} ${gpu.adapter.architecture}: median loss ${sorted[sorted.length >> 1].toExponential(2)}`,
);
gpu.dispose();
