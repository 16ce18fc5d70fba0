/**
 * @annlab/core micro-benchmarks: per-sample cost of `chainGradient` for N = 3 by each method, and
 * of one forward+backward pass of W3's MLP over its 100 points.
 */
import * as core from '@annlab/core';
import { annlabSpec, toAnnlabMlpParams } from '../annlab.js';
import { w1Problem, w3Problem } from '../data.js';
import { handMlpValueAndGrad } from '../hand/mlp.js';
import { timeCall } from '../harness.js';

/** One measured operation. */
export interface CoreRow {
  what: string;
  /** Nanoseconds per call (per sample for the chain rows). */
  nsPerCall?: number;
  calls?: number;
  note: string;
}

/** Runs the core section. */
export async function runCore(opts: {
  quick: boolean;
  log: (line: string) => void;
}): Promise<CoreRow[]> {
  const rows: CoreRow[] = [];
  const p = w1Problem();
  const n = p.x.length;
  const runs = opts.quick ? 3 : 5;
  const record = async (what: string, calls: number, fn: () => unknown, note: string) => {
    const t = await timeCall(fn, runs);
    const row: CoreRow = { what, nsPerCall: (t.median * 1e6) / calls, calls, note };
    rows.push(row);
    opts.log(`  ${what}: ${row.nsPerCall!.toFixed(0)} ns per call`);
  };
  const params = core.chainParams(p.init[0], p.init[1]);
  let sink = 0;
  for (const method of ['backprop', 'autodiff', 'triangular'] as const) {
    const reps = method === 'backprop' ? 200 : 20;
    await record(
      `chainGradient N = 3, method '${method}'`,
      reps * n,
      () => {
        for (let r = 0; r < reps; r++) {
          for (let i = 0; i < n; i++)
            sink += core.chainGradient(params, p.x[i]!, p.y[i]!, { method }).loss;
        }
      },
      'public API with validation; allocates its result',
    );
  }
  const acts = core.defaultChainActivations(3).map((s) => core.activation(s));
  const ws = core.createChainWorkspace(3);
  const g = new Float64Array(6);
  await record(
    'chainBackpropInto N = 3',
    1000 * n,
    () => {
      for (let r = 0; r < 1000; r++) {
        for (let i = 0; i < n; i++)
          sink += core.chainBackpropInto(params.data, 3, p.x[i]!, p.y[i]!, acts, ws, g);
      }
    },
    'allocation-free inner step used by training loops',
  );
  const w3 = w3Problem();
  const spec = annlabSpec(w3);
  const flat = toAnnlabMlpParams(w3);
  const mws = core.createMlpWorkspace(spec, w3.rows);
  const grad = new Float64Array(flat.length);
  const reps = opts.quick ? 5 : 20;
  const hand = handMlpValueAndGrad(w3);
  const a = core.mlpValueAndGradient(spec, flat, w3.x, w3.y, w3.rows, 'sse', mws, grad);
  const b = hand();
  const agree = Math.abs(a - b) <= 1e-12 * Math.abs(b);
  opts.log(
    `  W3 loss at init: annlab ${a}, hand ${b} ${agree ? 'agree' : 'DISAGREE'} (rtol 1e-12)`,
  );
  await record(
    'mlpValueAndGradient, W3 network, 100 points (one call)',
    reps,
    () => {
      for (let r = 0; r < reps; r++) {
        sink += core.mlpValueAndGradient(spec, flat, w3.x, w3.y, w3.rows, 'sse', mws, grad);
      }
    },
    `forward + SSE + backward over the batch; loss ${agree ? 'agrees' : 'DISAGREES'} with the hand loop (rtol 1e-12)`,
  );
  await record(
    'hand-written f64 forward+backward, W3 network, 100 points (one call)',
    reps,
    () => {
      for (let r = 0; r < reps; r++) sink += hand();
    },
    'the bench reference loop, for comparison with the row above',
  );
  if (!Number.isFinite(sink)) opts.log('  (non-finite sink)');
  return rows;
}
