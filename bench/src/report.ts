/** Renders a bench run as BENCHMARKS.md. */
import type { MachineInfo } from './machine.js';
import type { CoreRow } from './sections/core.js';
import type { MatmulResult } from './sections/matmul.js';
import type { PeakResult } from './sections/peak.js';
import { renderTable, type TableRow } from './sections/table.js';
import { W6_K, type W6Row } from './sections/w6.js';
import { renderW7, type W7Row } from './sections/w7.js';
import type { BundleSize } from './size.js';
import { formatLosses, type TrainingRow } from './training.js';
import type { TrainingWorkload } from './workloads/types.js';

/** Everything a run measured. */
export interface Report {
  date: string;
  machine: MachineInfo;
  adapter: string;
  /** Where the workloads' random numbers came from. */
  randomSource: string;
  quick: boolean;
  runs: number;
  only: string[] | null;
  training: { workload: TrainingWorkload; rows: TrainingRow[] }[];
  core: CoreRow[] | null;
  matmul: MatmulResult | null;
  peak: PeakResult | null;
  w6: W6Row[] | null;
  /** W7, classification (absent in reports written before it existed). */
  w7?: W7Row[] | null;
  /** Reading a CSV table (absent in reports written before it existed). */
  table?: TableRow[] | null;
  size: BundleSize | null;
  totalSeconds: number;
}

function ms(v: number | undefined): string {
  if (v === undefined) return '—';
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function duration(ns: number | undefined): string {
  if (ns === undefined) return '—';
  if (ns < 1e3) return `${ns.toPrecision(3)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toPrecision(3)} µs`;
  return `${(ns / 1e6).toPrecision(3)} ms`;
}

function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || b === 0) return '—';
  const r = a / b;
  return `${r >= 10 ? r.toFixed(0) : r.toFixed(2)}×`;
}

function trainingTable(w: TrainingWorkload, rows: TrainingRow[], quick: boolean): string[] {
  const annlab = rows.find((r) => r.impl === 'annlab')?.medianMs;
  const hand = rows.find((r) => r.impl === 'hand')?.medianMs;
  const epochs = w.epochs[quick ? 'quick' : 'full'];
  const lines = [
    `### ${w.id}: ${w.title}`,
    '',
    `${epochs} epochs, ${w.updatesPerEpoch * epochs} updates${quick ? ' (quick mode)' : ''}. ` +
      `Loss: ${w.lossLabel}, evaluated in float64 on each library's trained parameters. ` +
      `Check: |loss − f64 reference| ≤ ${w.tolerance.atol} + ${w.tolerance.rtol}·|reference|` +
      `${w.checkEpochs ? ` after ${w.checkEpochs[quick ? 'quick' : 'full']} epochs (or fewer when the run was shortened)` : ' after the epochs run'}.`,
    '',
    '| library | backend | median ms | runs | final loss | check (epochs: loss vs f64) | × annlab | × hand loop | notes |',
    '|---|---|--:|--:|---|---|--:|--:|---|',
  ];
  for (const r of rows) {
    if (r.skipped) {
      lines.push(`| ${r.library} | ${r.backend} | — | — | — | — | — | — | ${r.skipped} |`);
      continue;
    }
    const check = `${r.checkEpochs}: ${formatLosses(r.checkedLoss)} vs ${formatLosses(r.referenceLoss)} ${r.ok ? '✓' : '✗'}`;
    lines.push(
      `| ${r.library} | ${r.backend} | ${ms(r.medianMs)} | ${r.times?.length ?? 0} | ${formatLosses(r.finalLoss)}` +
        `${r.epochs !== r.fullEpochs ? ` (after ${r.epochs})` : ''} | ${check} | ${ratio(r.medianMs, annlab)} | ` +
        `${ratio(r.medianMs, hand)} | ${r.notes.join('; ')} |`,
    );
  }
  // The "fit defaults" ratio (issue #11: target ≤ 1.25×).
  const defaults = rows.find((r) => r.impl === 'annlabDefaults')?.medianMs;
  const shuffled = rows.find((r) => r.impl === 'handShuffled')?.medianMs;
  if (defaults !== undefined && shuffled !== undefined) {
    lines.push(
      '',
      `**${w.id}, fit defaults:** \`fit\` with no \`shuffle\` option (keyed, JAX-compatible orders) ` +
        `takes ${ratio(defaults, shuffled)} the time of the hand-written loop that reshuffles each ` +
        'epoch with its own Fisher–Yates (target ≤ 1.25×).',
    );
  }
  lines.push('');
  lines.push(...cpuRatios(rows));
  return lines;
}

/** Multiply-adds per sample of an MLP with these layer sizes. */
function macsPerSample(sizes: readonly number[]): number {
  let s = 0;
  for (let l = 0; l + 1 < sizes.length; l++) s += sizes[l]! * sizes[l + 1]!;
  return s;
}

/**
 * Flops of one full-batch step of W5: forward 2·B·Σ macs, weight gradient 2·B·Σ macs, input
 * adjoint of every layer but the first 2·B·Σ_{l≥1} macs (activations, loss and update left out).
 */
export function w5StepFlops(sizes: readonly number[], batch: number): number {
  const all = macsPerSample(sizes);
  const first = sizes[0]! * sizes[1]!;
  return 2 * batch * (2 * all + (all - first));
}

/** CPU rows of W5 that run on every core (their GFLOP/s read against the all-core peak). */
const ALL_CORES = /threads/;

/** "Against the limit": the f32x4 peak, W5's CPU rows and matmul as GFLOP/s and fraction of it. */
function limitSection(r: Report): string[] {
  const p = r.peak;
  if (!p) return [];
  const out = [
    '## Against the limit (GFLOP/s and fraction of the measured f32x4 peak)',
    '',
    `Peak: pure f32x4 ${p.kernel === 'relaxed-simd' ? 'fused multiply-adds (relaxed SIMD)' : 'multiplies and adds (plain SIMD)'} in WebAssembly, no memory traffic (bench/src/sections/peak.ts): ` +
      `**${p.oneCore.toFixed(1)} GFLOP/s on one core, ${p.allCores.toFixed(1)} on all ${p.cores} cores**. ` +
      'Single-threaded rows read against the one-core figure, rows on every core (threads, ' +
      'SwiftShader) against the all-core figure.',
    '',
    '| what | GFLOP/s | fraction of peak |',
    '|---|--:|--:|',
  ];
  const w5 = r.training.find((t) => t.workload.id === 'W5');
  if (w5) {
    const sizes = [2, 256, 256, 256, 1];
    const flops = w5StepFlops(sizes, 4096) * w5.workload.epochs[r.quick ? 'quick' : 'full'];
    for (const row of w5.rows) {
      if (row.medianMs === undefined) continue;
      const g = flops / (row.medianMs / 1000) / 1e9;
      const gpu = /webgpu/.test(row.backend);
      const peak = gpu || ALL_CORES.test(row.backend) ? p.allCores : p.oneCore;
      out.push(
        `| W5 ${row.library} ${row.backend} | ${g.toFixed(1)} | ${((100 * g) / peak).toFixed(0)} % of ${gpu || ALL_CORES.test(row.backend) ? 'all cores' : 'one core'} |`,
      );
    }
  }
  if (r.matmul) {
    for (const row of r.matmul.rows) {
      const best = Math.max(...row.gflops.filter((g): g is number => g !== undefined));
      if (!Number.isFinite(best)) continue;
      out.push(
        `| matmul ${row.library} (best n, WebGPU on the adapter above) | ${best.toFixed(1)} | ${((100 * best) / p.allCores).toFixed(0)} % of all cores |`,
      );
    }
  }
  out.push('');
  return out;
}

/** Speed-ups of annlab's CPU rows over the wasm peers (time of the peer ÷ time of annlab). */
function cpuRatios(rows: TrainingRow[]): string[] {
  const mine = rows.filter((r) => r.impl.startsWith('annlab') && !/webgpu/.test(r.backend));
  const peers = rows.filter((r) => r.impl === 'jaxWasm' || r.impl === 'tfjsWasm');
  const f64 = rows.find(
    (r) => r.impl === 'annlabCpu' || (r.impl === 'annlab' && /f64/.test(r.backend)),
  );
  const lines: string[] = [];
  for (const a of mine) {
    if (a.medianMs === undefined) continue;
    const cells = peers
      .filter((b) => b.medianMs !== undefined)
      .map((b) => `${ratio(b.medianMs, a.medianMs)} faster than ${b.library} ${b.backend}`);
    if (a !== f64 && f64?.medianMs !== undefined)
      cells.push(`${ratio(f64.medianMs, a.medianMs)} faster than annlab ${f64.backend}`);
    if (cells.length > 0) lines.push(`- annlab ${a.backend}: ${cells.join('; ')}`);
  }
  return lines.length > 0 ? ['Speed-ups on the CPU (within this run):', '', ...lines, ''] : [];
}

/** The markdown document. */
export function renderReport(r: Report): string {
  const m = r.machine;
  const out: string[] = [
    '# annlab benchmarks',
    '',
    'Written by `pnpm bench` (bench/src/run.ts); do not edit by hand. Figures are comparable only ' +
      'inside one run on one machine. Each entry: one warm-up, then the median of the timed runs ' +
      'of the training loop only (device synchronised before the clock stops). Every library ' +
      'starts from the same data, initial parameters and shuffle order (bench/src/data.ts).',
    '',
    `- Date: ${r.date}${r.quick ? ' — **quick mode** (shortened; a smoke test, not a result)' : ''}`,
    `- CPU: ${m.cpu}, ${m.cores} cores; memory ${m.memoryGiB} GiB; load average at start ${m.loadAverage}${m.loadAtRun ? `; when measuring began ${m.loadAtRun}` : ''}`,
    `- OS: ${m.os}; Node ${m.node}`,
    `- WebGPU adapter (Dawn, npm webgpu 0.6.2): ${r.adapter}`,
    `- Data, initial parameters and shuffles: ${r.randomSource} (bench/src/data.ts)`,
    `- Timed runs per entry: ${r.runs}${r.only ? `; sections: ${r.only.join(', ')}` : ''}; whole run ${r.totalSeconds.toFixed(0)} s`,
    '',
    'Libraries: annlab (this repo), a hand-written Float64Array loop (the practical limit of plain ' +
      'JavaScript, and the float64 reference every loss is checked against), TensorFlow.js 4.22 ' +
      '(cpu, wasm, webgpu backends; float32) and jax-js 0.1.25 (wasm and webgpu devices; float32, ' +
      '`jit`-compiled steps with `blockUntilReady` after each). Peers that take minutes run fewer ' +
      'epochs and their time is scaled to the full workload ("extrapolated"). WebGPU figures here ' +
      'come from the adapter above; on SwiftShader that is a GPU emulated on the CPU, so compare ' +
      'them only with other WebGPU figures of the same run. In Node, Dawn polls on the main thread ' +
      'while any GPU promise is pending, taking a CPU core from SwiftShader; @annlab/gpu sleeps ' +
      'through most of the expected time of recurring work instead (`sleepWhileWaiting`, on by ' +
      'default in Node), and the rows marked "polling while waiting" show annlab waiting as the ' +
      'peers do, which isolates what its kernels alone are worth.',
    '',
  ];
  if (r.core) {
    out.push(
      '## @annlab/core',
      '',
      '| operation | time per call (median) | calls per timed run | notes |',
      '|---|--:|--:|---|',
    );
    for (const c of r.core) {
      out.push(`| ${c.what} | ${duration(c.nsPerCall)} | ${c.calls ?? '—'} | ${c.note} |`);
    }
    out.push('');
  }
  const cpu = r.training.filter((t) => t.workload.id !== 'W5');
  if (cpu.length > 0) {
    out.push('## Training on the CPU (W1–W4)', '');
    for (const t of cpu) out.push(...trainingTable(t.workload, t.rows, r.quick));
  }
  if (r.matmul) {
    out.push(
      '## Matmul on WebGPU (GFLOP/s, float32, n×n·n×n)',
      '',
      `| library | ${r.matmul.sizes.map((n) => `n = ${n}`).join(' | ')} | notes |`,
      `|---|${r.matmul.sizes.map(() => '--:').join('|')}|---|`,
    );
    for (const row of r.matmul.rows) {
      const cells = r.matmul.sizes.map((_, i) => {
        const g = row.gflops[i];
        return g === undefined ? '—' : g.toPrecision(3);
      });
      out.push(`| ${row.library} | ${cells.join(' | ')} | ${row.note} |`);
    }
    // annlab's rate over each peer's, size by size (the issue's "ahead by 2× or more").
    const ours = r.matmul.rows.filter((row) => row.library.startsWith('annlab'));
    const peers = r.matmul.rows.filter((row) => !row.library.startsWith('annlab'));
    for (const mine of ours) {
      for (const peer of peers) {
        const cells = r.matmul.sizes.map((_, i) => {
          const a = mine.gflops[i];
          const p = peer.gflops[i];
          return a === undefined || p === undefined || p <= 0 ? '—' : `${(a / p).toFixed(2)}×`;
        });
        if (cells.every((c) => c === '—')) continue;
        out.push(`| ${mine.library} ÷ ${peer.library} | ${cells.join(' | ')} | ratio of GFLOP/s |`);
      }
    }
    out.push('');
  }
  const gpu = r.training.filter((t) => t.workload.id === 'W5');
  if (gpu.length > 0) {
    out.push('## Training a wide network on WebGPU and on the CPU (W5)', '');
    for (const t of gpu) out.push(...trainingTable(t.workload, t.rows, r.quick));
  }
  out.push(...limitSection(r));
  if (r.w6) {
    out.push(
      `## W6: K = ${W6_K.toLocaleString('en-US')} W1 networks`,
      '',
      '| implementation | networks timed | epochs timed | updates/s | s for K × 500 epochs | notes |',
      '|---|--:|--:|--:|--:|---|',
    );
    for (const row of r.w6) {
      out.push(
        `| ${row.what} | ${row.networks ?? '—'} | ${row.epochs ?? '—'} | ${row.updatesPerSecond === undefined ? '—' : `${(row.updatesPerSecond / 1e6).toFixed(2)} M`} | ${row.secondsForK === undefined ? '—' : row.secondsForK.toFixed(0)} | ${row.note} |`,
      );
    }
    out.push('');
  }
  if (r.w7) out.push(...renderW7(r.w7));
  if (r.table) out.push(...renderTable(r.table));
  if (r.size) {
    const s = r.size;
    const kb = (b: number): string => `${(b / 1024).toFixed(2)} KB`;
    out.push(
      '## Bundle size (issue #6)',
      '',
      'esbuild, ESM, minified, tree-shaken, platform browser; gzip level 9. Entry:',
      '',
      '```ts',
      s.entry,
      '```',
      '',
      s.error
        ? `Could not be built: ${s.error}`
        : `${kb(s.minifiedBytes)} minified, **${kb(s.gzipBytes)} gzipped**, budget ${kb(s.budgetBytes)}: ${s.ok ? 'within budget' : '**over budget**'}. Check: \`pnpm --filter @annlab/bench exec tsx --conditions=@annlab/source src/size.ts\`.`,
      '',
    );
  }
  return `${out.join('\n')}\n`;
}
