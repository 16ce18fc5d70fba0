import { key, split } from '@annlab/core';
import { requestGpu, trainChains } from './index.js';

const gpu = await requestGpu();
const K = Number(process.argv[2] ?? 10000);
const epochs = Number(process.argv[3] ?? 4);
const keys = split(key(0), K);
const xs = Float64Array.from({ length: 200 }, (_, i) => 0.5 + (2.5 * i) / 199);
const ys = xs.map((x) => -3 * x + 2);
const base = { keys, depth: 3, xs, ys, lr: 0.01, epochs };
await trainChains(gpu, { ...base, epochs: 1, shuffle: 'perEpoch', shuffleOn: 'gpu' }); // compile
for (const [shuffle, shuffleOn] of [
  ['none', 'gpu'],
  ['perEpoch', 'gpu'],
  ['perEpoch', 'cpu'],
  ['none', 'gpu'],
] as const) {
  const t0 = performance.now();
  const r = await trainChains(gpu, { ...base, shuffle, shuffleOn });
  const total = (performance.now() - t0) / 1000;
  console.log(
    `${shuffle}/${shuffleOn}: K=${K} epochs=${epochs} training ${r.seconds.toFixed(2)} s, call ${total.toFixed(2)} s (${((K * epochs * 200) / r.seconds / 1e6).toFixed(2)} M updates/s) loss[0] ${r.losses[0]}`,
  );
}
process.exit(0);
