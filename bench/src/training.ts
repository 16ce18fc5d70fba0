/**
 * Runs one training workload: every implementation timed by the harness, every loss checked against
 * the float64 hand-written reference after the same number of epochs.
 */
import { measure, type Trainer } from './harness.js';
import type { ImplName, TrainingWorkload } from './workloads/types.js';

/** Table order of the implementations. */
export const IMPL_ORDER: readonly ImplName[] = [
  'annlab',
  'annlabPolling',
  'annlabCpu',
  'annlabF32',
  'annlabThreads',
  'hand',
  'annlabDefaults',
  'handShuffled',
  'tfjsCpu',
  'tfjsWasm',
  'jaxWasm',
  'tfjsWebgpu',
  'jaxWebgpu',
];

/** One row of a workload's table. */
export interface TrainingRow {
  impl: ImplName;
  library: string;
  backend: string;
  /** Median ms of the timed runs, scaled to the workload's epochs when extrapolated. */
  medianMs?: number;
  /** Every timed run, ms, as measured (not scaled). */
  times?: number[];
  /** Epochs per timed run. */
  epochs?: number;
  /** Epochs of the workload in this mode. */
  fullEpochs: number;
  /** Loss after the timed epochs. */
  finalLoss?: number[];
  /** Epochs at which the loss was compared with the reference. */
  checkEpochs?: number;
  /** Loss compared with the reference. */
  checkedLoss?: number[];
  /** float64 reference loss at `checkEpochs`. */
  referenceLoss?: number[];
  /** Whether every checked loss is within tolerance. */
  ok?: boolean;
  /** Why the row has no figures (not available, failed). */
  skipped?: string;
  notes: string[];
}

/** Options of {@link runTraining}. */
export interface TrainingOptions {
  quick: boolean;
  runs: number;
  log: (line: string) => void;
}

function within(actual: number, expected: number, tol: { rtol: number; atol: number }): boolean {
  return (
    Number.isFinite(actual) &&
    Math.abs(actual - expected) <= tol.atol + tol.rtol * Math.abs(expected)
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Formats a loss list for logs and tables. */
export function formatLosses(losses: readonly number[] | undefined): string {
  return losses ? losses.map((v) => v.toPrecision(6)).join(' / ') : '—';
}

/** Runs every implementation of `w` (restricted to `only` when given). */
export async function runTraining(
  w: TrainingWorkload,
  opts: TrainingOptions,
): Promise<TrainingRow[]> {
  const mode = opts.quick ? 'quick' : 'full';
  const fullEpochs = w.epochs[mode];
  const referenceCache = new Map<number, number[]>();
  const reference = async (epochs: number, own?: () => Trainer): Promise<number[]> => {
    let r = own ? undefined : referenceCache.get(epochs);
    if (!r) {
      const t = (own ?? w.reference)();
      await t.reset();
      await t.train(epochs);
      r = w.losses(await t.params());
      if (!own) referenceCache.set(epochs, r);
    }
    return r;
  };
  const rows: TrainingRow[] = [];
  for (const name of IMPL_ORDER) {
    const impl = w.impls[name];
    if (!impl) continue;
    const row: TrainingRow = {
      impl: name,
      library: impl.library,
      backend: impl.backend,
      fullEpochs,
      notes: [],
    };
    rows.push(row);
    let trainer: Trainer | string;
    try {
      trainer = await impl.create();
    } catch (e) {
      trainer = `failed to start: ${(e as Error).message}`;
    }
    if (typeof trainer === 'string') {
      row.skipped = trainer;
      opts.log(`  ${w.id} ${impl.library} ${impl.backend}: ${trainer}`);
      continue;
    }
    try {
      const asked = Math.min(impl.epochs?.[mode] ?? fullEpochs, fullEpochs);
      const warmupEpochs = Math.min(impl.warmupEpochs ?? asked, asked);
      const runs = Math.min(opts.runs, impl.maxRuns ?? opts.runs);
      const budgetMs = impl.budgetMs?.[mode];
      const timing = await measure(trainer, {
        epochs: asked,
        runs,
        warmupEpochs,
        ...(budgetMs !== undefined ? { budgetMs } : {}),
      });
      const epochs = timing.epochs;
      if (epochs < asked)
        row.notes.push(`cut to ${plural(epochs, 'epoch')} by a ${budgetMs} ms budget per run`);
      if (timing.times.length < opts.runs) {
        row.notes.push(`${plural(timing.times.length, 'timed run')} only (slow)`);
      }
      row.epochs = epochs;
      row.times = timing.times;
      row.medianMs = (timing.median * fullEpochs) / epochs;
      row.finalLoss = w.losses(await trainer.params());
      if (epochs < fullEpochs) {
        row.notes.push(`extrapolated from ${epochs} of ${fullEpochs} epochs`);
      }
      if (warmupEpochs < epochs) row.notes.push(`warm-up ${plural(warmupEpochs, 'epoch')}`);
      const check = Math.min(w.checkEpochs?.[mode] ?? epochs, epochs);
      row.checkEpochs = check;
      if (check === epochs) {
        row.checkedLoss = row.finalLoss;
      } else {
        await trainer.reset();
        await trainer.train(check);
        row.checkedLoss = w.losses(await trainer.params());
      }
      row.referenceLoss = await reference(check, impl.reference);
      const ref = row.referenceLoss;
      row.ok = row.checkedLoss.every((v, k) => within(v, ref[k]!, w.tolerance));
      opts.log(
        `  ${w.id} ${impl.library} ${impl.backend}: median ${row.medianMs.toFixed(1)} ms` +
          ` (${timing.times.map((t) => t.toFixed(1)).join(', ')} ms for ${epochs} epochs),` +
          ` loss ${formatLosses(row.finalLoss)}; at ${check} epochs ${formatLosses(row.checkedLoss)}` +
          ` vs f64 ${formatLosses(ref)} ${row.ok ? 'ok' : 'MISMATCH'}`,
      );
    } catch (e) {
      row.skipped = `failed: ${(e as Error).message}`;
      opts.log(`  ${w.id} ${impl.library} ${impl.backend}: ${row.skipped}`);
    } finally {
      try {
        await trainer.dispose?.();
      } catch {
        // a failed trainer may not dispose cleanly; the process ends soon anyway
      }
    }
  }
  return rows;
}
