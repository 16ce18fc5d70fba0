import { key, split } from '@annlab/core';
import { requestGpu, trainChains } from './index.js';
import { chainEpochOrder, chainShuffleKey } from './training/chains.js';
import { gpuPermutations } from './kernels/permutation/permutation.js';

const gpu = await requestGpu();
const K = Number(process.argv[2] ?? 10000);
const epochs = Number(process.argv[3] ?? 4);
const keys = split(key(0), K);
const xs = Float64Array.from({ length: 200 }, (_, i) => 0.5 + (2.5 * i) / 199);
const ys = xs.map((x) => -3 * x + 2);
const base = { keys, depth: 3, xs, ys, lr: 0.01, epochs };
await trainChains(gpu, { ...base, epochs: 1, shuffle: 'perEpoch' }); // compile
await gpuPermutations(gpu, keys.slice(0, 2), 200);
for (const shuffle of ['none', 'perEpoch', 'fixed'] as const) {
  const t0 = performance.now();
  const r = await trainChains(gpu, { ...base, shuffle });
  console.log(`${shuffle}: K=${K} epochs=${epochs} gpu ${r.seconds.toFixed(2)} s total ${((performance.now() - t0) / 1000).toFixed(2)} s  (${(K * epochs * 200 / r.seconds / 1e6).toFixed(1)} M updates/s) loss0 ${r.losses[0]}`);
}
{
  const t0 = performance.now();
  await gpuPermutations(gpu, keys, 200, { epochs });
  console.log(`gpuPermutations K=${K} epochs=${epochs}: ${((performance.now() - t0) / 1000).toFixed(2)} s`);
}
{
  const sk = keys.map(chainShuffleKey);
  const buf = new Uint32Array(K * 200);
  const t0 = performance.now();
  const r = await trainChains(gpu, { ...base, order: (e) => { for (let k = 0; k < K; k++) buf.set(chainEpochOrder(sk[k]!, e, 200, 'perEpoch'), k * 200); return buf; } });
  console.log(`CPU orders: ${((performance.now() - t0) / 1000).toFixed(2)} s loss0 ${r.losses[0]}`);
}
process.exit(0);
