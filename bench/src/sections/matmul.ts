/**
 * Matmul GFLOP/s on WebGPU at n = 256, 512, 1024, 2048 (float32, C = A·B, n×n): annlab's kernel
 * beside TF.js webgpu and jax-js webgpu on the same adapter. 2n³ flops per multiply; each timed
 * multiply waits for the GPU (peers read back one element of C, annlab awaits
 * `onSubmittedWorkDone`).
 */
import * as gpuApi from '@annlab/gpu';
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
const LIMIT_S = 5;

function tooSlow(n: number, lastGflops: number): boolean {
  return lastGflops > 0 && (2 * n ** 3) / (lastGflops * 1e9) > LIMIT_S;
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
  const runs = opts.quick ? 2 : 3;
  const result: MatmulResult = { sizes, rows: [] };
  const { info, reason } = await setupWebGpu();
  if (!info) {
    result.rows.push({ library: 'all', gflops: [], note: `skipped: ${reason}` });
    return result;
  }
  const gflops = (n: number, ms: number): number => (2 * n ** 3) / (ms * 1e-3) / 1e9;
  // annlab
  {
    const row = {
      library: 'annlab (@annlab/gpu matmul)',
      gflops: [] as (number | undefined)[],
      note: '',
    };
    try {
      const gpu = await getAnnlabGpu();
      if (typeof gpu === 'string') throw new Error(gpu);
      let last = 0;
      for (const n of sizes) {
        if (tooSlow(n, last)) {
          row.note = `n ≥ ${n} skipped: predicted over ${LIMIT_S} s per multiply`;
          break;
        }
        const t = await gpuApi.timeMatmul(gpu, { m: n, n, k: n }, { runs });
        row.gflops.push(t.gflops);
        last = t.gflops;
        opts.log(`  annlab n=${n}: ${t.gflops.toPrecision(3)} GFLOP/s`);
      }
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
      for (const n of sizes) {
        if (tooSlow(n, last)) {
          row.note = `n ≥ ${n} skipped: predicted over ${LIMIT_S} s per multiply`;
          break;
        }
        const mm = peer.make(n, randomSquare(n, 1), randomSquare(n, 2));
        const t = await timeCall(() => mm.run(), runs);
        mm.dispose();
        last = gflops(n, t.median);
        row.gflops.push(last);
        opts.log(`  ${peer.library} n=${n}: ${last.toPrecision(3)} GFLOP/s`);
      }
    } catch (e) {
      row.note = `failed: ${(e as Error).message}`;
      opts.log(`  ${peer.library}: ${row.note}`);
    }
  }
  return result;
}
