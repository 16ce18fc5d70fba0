/**
 * Matmul GFLOP/s on WebGPU at n = 256, 512, 1024, 2048 (float32, C = A·B, n×n): annlab's kernel
 * beside TF.js webgpu and jax-js webgpu on the same adapter. 2n³ flops per multiply; each timed
 * multiply waits for the GPU (peers read back one element of C, annlab awaits
 * `onSubmittedWorkDone`). annlab runs twice: as shipped (sleeping through most of the wait, see
 * @annlab/gpu's `sleepWhileWaiting`) and polling all the time like the peers.
 */
import * as gpuApi from '@annlab/gpu';
import { matmulTile } from '@annlab/gpu/kernels';
import { getAnnlabGpu } from '../annlab.js';
import { source } from '../data.js';
import { timeCall } from '../harness.js';
import { jaxMatmul, useJaxDevice } from '../peers/jax.js';
import { tfMatmul, useTfBackend } from '../peers/tfjs.js';
import { setupWebGpu } from '../webgpu.js';

/** GFLOP/s per library and size (undefined: not measured) and why a library was skipped. */
export interface MatmulResult {
  sizes: number[];
  rows: { library: string; gflops: (number | undefined)[]; note: string }[];
}

/** A size is skipped when the rate of the size below predicts more than this per multiply. */
const LIMIT_S = 60;
/** Beyond this predicted time per multiply a size gets one timed run (after its warm-up). */
const FEW_RUNS_S = 5;

/** Seconds per n×n multiply predicted from the rate measured at the size below (0: unknown). */
function predicted(n: number, lastGflops: number): number {
  return lastGflops > 0 ? (2 * n ** 3) / (lastGflops * 1e9) : 0;
}

/** Timed runs for size n, or 0 to skip it; notes what was cut. */
function plan(n: number, lastGflops: number, runs: number, notes: string[]): number {
  const t = predicted(n, lastGflops);
  if (t > LIMIT_S) {
    notes.push(`n ≥ ${n} skipped: predicted over ${LIMIT_S} s per multiply`);
    return 0;
  }
  if (t > FEW_RUNS_S && runs > 1) {
    notes.push(`n = ${n}: 1 timed run (predicted ${t.toFixed(0)} s per multiply)`);
    return 1;
  }
  return runs;
}

function randomSquare(n: number, seed: number): Float32Array<ArrayBuffer> {
  return Float32Array.from(source(seed).uniforms(n * n, -1, 1));
}

/** Runs the matmul section. */
export async function runMatmul(opts: {
  quick: boolean;
  log: (line: string) => void;
}): Promise<MatmulResult> {
  const sizes = opts.quick ? [256, 512] : [256, 512, 1024, 2048];
  const runs = opts.quick ? 2 : 5;
  const result: MatmulResult = { sizes, rows: [] };
  const { info, reason } = await setupWebGpu();
  if (!info) {
    result.rows.push({ library: 'all', gflops: [], note: `skipped: ${reason}` });
    return result;
  }
  const gflops = (n: number, ms: number): number => (2 * n ** 3) / (ms * 1e-3) / 1e9;
  // annlab, then annlab polling while it waits (as the peers' reads do) for a like-for-like view.
  for (const polling of [false, true]) {
    const row = {
      library: polling
        ? 'annlab, polling while waiting (sleepWhileWaiting: false)'
        : 'annlab (@annlab/gpu matmul)',
      gflops: [] as (number | undefined)[],
      note: '',
    };
    try {
      const gpu = await getAnnlabGpu(polling);
      if (typeof gpu === 'string') throw new Error(gpu);
      let last = 0;
      const notes: string[] = [];
      for (const n of sizes) {
        const r = plan(n, last, runs, notes);
        if (r === 0) break;
        const t = await gpuApi.timeMatmul(gpu, { m: n, n, k: n }, { runs: r });
        row.gflops.push(t.gflops);
        last = t.gflops;
        opts.log(`  ${row.library} n=${n}: ${t.gflops.toPrecision(3)} GFLOP/s`);
      }
      const tile = matmulTile(gpu.adapter, { m: sizes[0]!, n: sizes[0]!, k: sizes[0]! });
      notes.unshift(`register tile ${tile.rows}×${4 * tile.colGroups} per invocation`);
      row.note = notes.join('; ');
    } catch (e) {
      row.note = `failed: ${(e as Error).message}`;
      opts.log(`  annlab: ${row.note}`);
    }
    result.rows.push(row);
  }
  const peers = [
    {
      library: 'TF.js webgpu',
      setup: () => useTfBackend('webgpu'),
      make: tfMatmul,
    },
    {
      library: 'jax-js webgpu',
      setup: () => useJaxDevice('webgpu'),
      make: jaxMatmul,
    },
  ];
  for (const peer of peers) {
    const row = { library: peer.library, gflops: [] as (number | undefined)[], note: '' };
    result.rows.push(row);
    const why = await peer.setup();
    if (why) {
      row.note = `skipped: ${why}`;
      continue;
    }
    try {
      let last = 0;
      const notes: string[] = [];
      for (const n of sizes) {
        const r = plan(n, last, runs, notes);
        if (r === 0) break;
        const mm = peer.make(n, randomSquare(n, 1), randomSquare(n, 2));
        const t = await timeCall(() => mm.run(), r);
        mm.dispose();
        last = gflops(n, t.median);
        row.gflops.push(last);
        opts.log(`  ${peer.library} n=${n}: ${last.toPrecision(3)} GFLOP/s`);
      }
      row.note = notes.join('; ');
    } catch (e) {
      row.note = `failed: ${(e as Error).message}`;
      opts.log(`  ${peer.library}: ${row.note}`);
    }
  }
  return result;
}
