/**
 * `pnpm bench`: runs the workloads side by side and writes BENCHMARKS.md at the repository root.
 *
 * Options:
 * - `--only W1,W3,core,matmul,peak,W6,W7,table,size`: run only these sections (partial runs write
 *   bench/BENCHMARKS.partial.md unless `--out` is given, so the full results are not clobbered);
 * - `--quick`: fewer epochs and runs, shorter peers (a smoke test of the whole pipeline);
 * - `--runs n`: timed runs per entry (default 3, quick 1);
 * - `--out path`: where to write the markdown.
 *
 * The load average is read at the start; while the last minute's load is above half the core count
 * the run waits (up to 2 minutes, 20 s in --quick) for it to settle, and the report records the load
 * at the start and when the run began. The f32x4 peak (`peak`) runs with W5 and matmul, whose
 * GFLOP/s read against it.
 *
 * Exits 1 when a loss disagrees with the float64 reference or the bundle is over budget.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '@annlab/train/node';
import { source } from './data.js';
import { machineInfo, waitForQuiet } from './machine.js';
import { quietTf } from './peers/tfjs.js';
import { type Report, renderReport } from './report.js';
import { runCore } from './sections/core.js';
import { runMatmul } from './sections/matmul.js';
import { runPeak } from './sections/peak.js';
import { runTable } from './sections/table.js';
import { runW6 } from './sections/w6.js';
import { runW7 } from './sections/w7.js';
import { BUDGET_BYTES, measureBundle } from './size.js';
import { runTraining } from './training.js';
import { describeAdapter, setupWebGpu } from './webgpu.js';
import { w1 } from './workloads/w1.js';
import { w2 } from './workloads/w2.js';
import { w3 } from './workloads/w3.js';
import { w4 } from './workloads/w4.js';
import { w5 } from './workloads/w5.js';

const SECTIONS = [
  'core',
  'W1',
  'W2',
  'W3',
  'W4',
  'matmul',
  'peak',
  'W5',
  'W6',
  'W7',
  'table',
  'size',
] as const;
type Section = (typeof SECTIONS)[number];

interface Args {
  only: Set<Section> | null;
  quick: boolean;
  runs: number;
  out: string | null;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { only: null, quick: false, runs: 0, out: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const [, inline] = a.split('=', 2);
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined) throw new Error(`bench: ${a} needs a value`);
      return next;
    };
    if (a === '--quick') args.quick = true;
    else if (a.startsWith('--only')) {
      const list = value()
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s);
      const bad = list.filter((s) => !SECTIONS.some((k) => k.toLowerCase() === s.toLowerCase()));
      if (bad.length > 0) {
        throw new Error(`bench: --only must list ${SECTIONS.join(', ')}; got ${bad.join(', ')}`);
      }
      args.only = new Set(
        list.map((s) => SECTIONS.find((k) => k.toLowerCase() === s.toLowerCase())!),
      );
    } else if (a.startsWith('--runs')) {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) throw new Error(`bench: --runs must be ≥ 1, got ${n}`);
      args.runs = n;
    } else if (a.startsWith('--out')) args.out = value();
    else if (a === '--') continue;
    else throw new Error(`bench: unknown option ${a} (use --only, --quick, --runs, --out)`);
  }
  if (args.runs === 0) args.runs = args.quick ? 1 : 3;
  return args;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const want = (s: Section): boolean => !args.only || args.only.has(s);
  const log = (line: string): void => {
    console.log(line);
  };
  quietTf();
  const started = new Date();
  const t0 = performance.now();
  const machine = await machineInfo();
  machine.loadAtRun = await waitForQuiet(args.quick ? 20 : 120, log);
  const gpu = await setupWebGpu();
  const report: Report = {
    date: started.toISOString(),
    machine,
    adapter: describeAdapter(gpu.info, gpu.reason),
    randomSource: source(0).name,
    quick: args.quick,
    runs: args.runs,
    only: args.only ? [...args.only] : null,
    training: [],
    core: null,
    matmul: null,
    peak: null,
    w6: null,
    w7: null,
    table: null,
    size: null,
    totalSeconds: 0,
  };
  log(`annlab bench ${args.quick ? '(quick) ' : ''}on ${machine.cpu} × ${machine.cores}`);
  log(`adapter: ${report.adapter}`);
  if (want('core')) {
    log('core: chainGradient and MLP forward+backward');
    report.core = await runCore({ quick: args.quick, log });
  }
  for (const w of [w1, w2, w3, w4]) {
    if (!want(w.id as Section)) continue;
    log(`${w.id}: ${w.title}`);
    report.training.push({ workload: w, rows: await runTraining(w, { ...args, log }) });
  }
  if (want('peak') || want('matmul') || want('W5')) {
    log('peak f32x4 multiply-adds (WebAssembly SIMD), one core and all cores');
    report.peak = await runPeak({ quick: args.quick, log });
  }
  if (want('matmul')) {
    log('matmul GFLOP/s on WebGPU');
    report.matmul = await runMatmul({ quick: args.quick, log });
  }
  if (want('W5')) {
    log(`${w5.id}: ${w5.title}`);
    report.training.push({ workload: w5, rows: await runTraining(w5, { ...args, log }) });
  }
  if (want('W6')) {
    log('W6: many W1 networks at once');
    report.w6 = await runW6({ quick: args.quick, log });
  }
  if (want('W7')) {
    log('W7: 3-class spiral, softmax cross-entropy');
    report.w7 = await runW7({ quick: args.quick, runs: args.runs, log });
  }
  if (want('table')) {
    log('table: reading a CSV of 10⁶ rows × 10 columns');
    report.table = await runTable({ quick: args.quick, runs: args.runs, log });
  }
  if (want('size')) {
    log('bundle size');
    report.size = await measureBundle();
    log(`  ${report.size.gzipBytes} B gzipped (budget ${BUDGET_BYTES} B)`);
  }
  report.totalSeconds = (performance.now() - t0) / 1000;
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const partial = args.quick || args.only !== null;
  const out =
    args.out ??
    (partial ? path.join(root, 'bench/BENCHMARKS.partial.md') : path.join(root, 'BENCHMARKS.md'));
  // atomic: an interrupted bench never leaves a cut-off BENCHMARKS.md
  await writeFileAtomic(out, renderReport(report));
  log(`wrote ${path.relative(process.cwd(), out) || out} in ${report.totalSeconds.toFixed(0)} s`);
  const mismatches = report.training.flatMap((t) =>
    t.rows.filter((r) => r.ok === false).map((r) => `${t.workload.id} ${r.library} ${r.backend}`),
  );
  if (mismatches.length > 0) log(`loss mismatches: ${mismatches.join('; ')}`);
  const overBudget = report.size !== null && !report.size.ok;
  return mismatches.length > 0 || overBudget ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(2);
  },
);
