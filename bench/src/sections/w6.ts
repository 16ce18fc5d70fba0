/**
 * W6: K = 10,000 independent W1 networks (each its own initial parameters, from its own key)
 * trained together on the GPU by @annlab/gpu's `trainChains`, against K sequential W1 runs on the
 * CPU (annlab's `fit` and the hand-written loop), in updates per second.
 *
 * All networks share W1's data and per-epoch sample order. The CPU side times a sample of the K
 * networks over the full 500 epochs; the GPU side trains all K for fewer epochs when slow (rates
 * are per update, so both extrapolate linearly). The first networks' GPU losses are checked
 * against the float64 hand loop after the same epochs.
 */
import * as gpuApi from '@annlab/gpu';
import { annlabChainImpl, getAnnlabGpu } from '../annlab.js';
import { type ChainProblem, source, w1Problem } from '../data.js';
import { chainLoss, handChainTrainer } from '../hand/chain.js';
import type { Trainer } from '../harness.js';

/** One W6 entry. */
export interface W6Row {
  what: string;
  /** Networks timed. */
  networks?: number;
  /** Epochs timed per network. */
  epochs?: number;
  updatesPerSecond?: number;
  /** Seconds for all K networks × 500 epochs (extrapolated where fewer were timed). */
  secondsForK?: number;
  note: string;
}

/** K of the workload. */
export const W6_K = 10_000;
const EPOCHS = 500;

/** Network k's problem: W1's data and orders, initial w, b ~ N(0, 1) from seed 6000 + k. */
function networkInit(k: number): [Float64Array, Float64Array] {
  const r = source(6000 + k);
  return [r.normals(3), r.normals(3)];
}

async function timeSequential(
  make: (p: ChainProblem) => Promise<Trainer | string>,
  base: ChainProblem,
  sample: number,
): Promise<{ seconds: number } | string> {
  const trainers: Trainer[] = [];
  for (let k = 0; k < sample; k++) {
    const t = await make({ ...base, init: networkInit(k) });
    if (typeof t === 'string') return t;
    trainers.push(t);
  }
  await trainers[0]!.reset();
  await trainers[0]!.train(EPOCHS); // warm-up
  for (const t of trainers) await t.reset();
  const t0 = performance.now();
  for (const t of trainers) await t.train(EPOCHS);
  return { seconds: (performance.now() - t0) / 1000 };
}

/** Runs the W6 section. */
export async function runW6(opts: {
  quick: boolean;
  log: (line: string) => void;
}): Promise<W6Row[]> {
  const rows: W6Row[] = [];
  const base = w1Problem();
  const sample = opts.quick ? 5 : 40;
  const cpu: [string, (p: ChainProblem) => Promise<Trainer | string>][] = [
    ['annlab CPU f64 (fit), networks one after another', (p) => annlabChainImpl([p]).create()],
    ['hand-written f64 loop, networks one after another', async (p) => handChainTrainer(p)],
  ];
  for (const [what, make] of cpu) {
    const r = await timeSequential(make, base, sample);
    if (typeof r === 'string') {
      rows.push({ what, note: r });
      continue;
    }
    const updates = sample * EPOCHS * base.x.length;
    rows.push({
      what,
      networks: sample,
      epochs: EPOCHS,
      updatesPerSecond: updates / r.seconds,
      secondsForK: (r.seconds * W6_K) / sample,
      note: `${sample} of ${W6_K} networks timed; time for K extrapolated`,
    });
    opts.log(`  ${what}: ${(updates / r.seconds / 1e6).toFixed(2)} M updates/s`);
  }
  const what = `annlab WebGPU f32 (trainChains), all ${W6_K} networks at once`;
  const gpu = await getAnnlabGpu();
  if (typeof gpu === 'string') {
    rows.push({ what, note: `skipped: ${gpu}` });
    return rows;
  }
  const maxEpochs = opts.quick ? 2 : 20;
  const budgetMs = opts.quick ? 5_000 : 30_000;
  const params = new Float64Array(W6_K * 6);
  for (let k = 0; k < W6_K; k++) {
    const [w, b] = networkInit(k);
    params.set(w, 6 * k);
    params.set(b, 6 * k + 3);
  }
  const run = (e: number) =>
    gpuApi.trainChains(gpu, {
      params,
      depth: 3,
      xs: base.x,
      ys: base.y,
      learningRate: base.lr,
      epochs: e,
      order: (epoch) => base.orders[epoch]!,
    });
  try {
    // warm-up (pipelines compiled), twice: @annlab/gpu sleeps through waits it has timed twice;
    // the second's time per epoch caps the epochs timed at the budget
    await run(1);
    const w0 = performance.now();
    await run(1);
    const epochs = Math.max(
      1,
      Math.min(maxEpochs, Math.floor(budgetMs / (performance.now() - w0))),
    );
    const t0 = performance.now();
    const result = await run(epochs);
    const seconds = (performance.now() - t0) / 1000;
    const updates = W6_K * epochs * base.x.length;
    // check the first networks against float64 (trainChains reports Σ ½(ŷ − y)², not the mean)
    const checked = 5;
    let worst = 0;
    for (let k = 0; k < checked; k++) {
      const t = handChainTrainer({ ...base, init: networkInit(k) });
      await t.reset();
      await t.train(epochs);
      const [w, b] = await t.params();
      const ref = chainLoss(base, w!, b!) * base.x.length;
      worst = Math.max(worst, Math.abs(result.losses[k]! - ref) / Math.max(Math.abs(ref), 1e-6));
    }
    const ok = worst <= 1e-3;
    rows.push({
      what,
      networks: W6_K,
      epochs,
      updatesPerSecond: updates / seconds,
      secondsForK: (seconds * EPOCHS) / epochs,
      note:
        `${epochs} of ${EPOCHS} epochs timed (one call, including upload and loss read-back), ` +
        `time for 500 extrapolated; losses of networks 0–${checked - 1} vs f64: worst relative ` +
        `difference ${worst.toExponential(1)} ${ok ? '✓' : '✗'} (tolerance 1e-3)`,
    });
    opts.log(
      `  ${what}: ${(updates / seconds / 1e6).toFixed(2)} M updates/s over ${epochs} epochs; ` +
        `f64 check worst ${worst.toExponential(1)} ${ok ? 'ok' : 'MISMATCH'}`,
    );
  } catch (e) {
    rows.push({ what, note: `failed: ${(e as Error).message}` });
    opts.log(`  ${what}: failed: ${(e as Error).message}`);
  }
  return rows;
}
