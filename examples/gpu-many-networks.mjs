// Train many networks on WebGPU: XOR with a 2-2-1 network from 512 keys at once, one GPU thread
// per network, then count how many initialisations solve it. In Node this uses the `webgpu`
// package (Dawn); on Linux without a GPU, point VK_ICD_FILENAMES at SwiftShader:
//   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json node examples/gpu-many-networks.mjs
import { key, mlpLayout, mlpSpec, split } from '@annlab/core';
import { requestGpu, trainSmallMlps } from '@annlab/gpu';

export const xor = { x: [0, 0, 0, 1, 1, 0, 1, 1], y: [0, 1, 1, 0] };

export async function run({ networks = 512, epochs = 300 } = {}) {
  const gpu = await requestGpu(); // navigator.gpu in a browser, else the 'webgpu' package
  try {
    const spec = mlpSpec([2, 2, 1], 'tanh', 'sigmoid');
    const { losses, params, seconds } = await trainSmallMlps(gpu, {
      spec,
      keys: split(key(0), networks), // network k starts from initMlp(spec, keys[k]) in float32
      ...xor,
      loss: 'mse',
      optimizer: { name: 'adam', learningRate: 0.05 },
      epochs,
      returnParams: true, // K × P parameters, core's flat layout
    });
    const size = mlpLayout(spec).size;
    // Network k's parameters, usable as they are with core's float64 mlpPredict.
    const network = (k) => params.subarray(k * size, (k + 1) * size);
    const solved = Array.from(losses).filter((l) => l < 0.05).length;
    return { spec, losses, network, solved, seconds, adapter: gpu.adapter };
  } finally {
    gpu.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await run();
  console.log(
    `${r.adapter.vendor} ${r.adapter.architecture}: ${r.losses.length} networks in ${r.seconds.toFixed(2)} s`,
  );
  console.log(`${r.solved} of ${r.losses.length} initialisations solve XOR (loss < 0.05)`);
}
