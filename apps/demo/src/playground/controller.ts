/**
 * The playground's controller: from the form's state to a run in the worker and back to the views.
 * It owns the run's lifecycle (start, pause, step, reset), the uploaded table and an imported model;
 * the form reads and writes settings, io talks to the browser, the views draw.
 */
import type { Model } from '@annlab/train';
import type { PlaygroundState } from '../state/url.js';
import { fmt } from '../ui/controls.js';
import { type Run, startRun } from '../ui/run.js';
import { checkJob } from '../worker/protocol.js';
import type { PlaygroundForm } from './form.js';
import { type CsvFile, csvTable, download, readCsvFile, readModelFile, writeUrl } from './io.js';
import {
  formulaData,
  type PreparedData,
  playgroundJob,
  prepareData,
  type TableInput,
} from './setup.js';
import { playgroundStrings } from './strings.js';
import type { PlaygroundViews } from './views.js';

/** Where the controller reports: an error box (with the formula's caret) and a status line. */
export interface Feedback {
  showError(message: string, index?: number): void;
  clearError(): void;
  readonly status: HTMLElement;
}

/** What the buttons call. */
export interface PlaygroundController {
  begin(paused: boolean): boolean;
  toggle(): void;
  step(): void;
  reset(): void;
  exportModel(): void;
  importModel(file: File): Promise<void>;
  loadCsv(file: File): Promise<void>;
  /** Redraws the data (no run) after a change of the settings. */
  preview(): void;
  /** Calls `listener` with whether a run is going (for the buttons). */
  onRunning(listener: (running: boolean, started: boolean) => void): void;
  stop(): void;
}

/**
 * Creates the controller of a form, its views and feedback.
 *
 * @example
 * ```ts
 * const c = createController(form, views, feedback);
 * c.begin(false);
 * ```
 */
export function createController(
  form: PlaygroundForm,
  views: PlaygroundViews,
  feedback: Feedback,
): PlaygroundController {
  const { status } = feedback;
  const S = playgroundStrings();
  let run: Run | undefined;
  let started = false;
  let running = false;
  let imported: { json: string; model: Model } | undefined;
  let lastModel: string | undefined;
  let csv: CsvFile | undefined;
  let table: { key: string; value: TableInput } | undefined;
  let runningListener: (running: boolean, started: boolean) => void = () => undefined;

  const setRunning = (r: boolean) => {
    running = r;
    runningListener(running, started);
  };

  /** The uploaded table with the picked columns (cached per choice), or undefined. */
  const currentTable = (s: PlaygroundState): TableInput | undefined => {
    if (s.data !== 'csv' || !csv) return undefined;
    const picked = form.csv.picked();
    if (!picked) return undefined;
    const key = JSON.stringify([csv.name, csv.text.length, picked, s.mode]);
    if (table?.key !== key) {
      table = { key, value: csvTable(csv, picked, s.mode === 'classification') };
      const t = table.value;
      form.csv.info.textContent = S.csvRead(
        csv.name,
        t.rows,
        t.xColumns.join(', '),
        t.yColumns.join(', '),
        t.classes?.join(', '),
      );
    }
    return table.value;
  };

  /** The state and its data, or undefined after showing why not. */
  const prepare = (quiet = false): { s: PlaygroundState; d: PreparedData } | undefined => {
    const r = form.read();
    if ('errors' in r) {
      if (!quiet) feedback.showError(S.cannotStart(r.errors.join('; ')));
      return undefined;
    }
    const s = r.state;
    let t: TableInput | undefined;
    try {
      t = currentTable(s);
    } catch (e) {
      feedback.showError(S.csvRefused((e as Error).message));
      return undefined;
    }
    const d = prepareData(s, t);
    if ('error' in d) {
      if (!quiet) feedback.showError(d.error, d.index);
      return undefined;
    }
    return { s, d };
  };

  /** The formula's noise-free curve for the fit chart. */
  const curveOf = (s: PlaygroundState) => {
    if (s.data !== 'formula') return undefined;
    const t = formulaData({ ...s, n: 200, noise: 0 });
    return 'error' in t ? undefined : { target: t.y, label: `f(x) = ${s.f}` };
  };

  const preview = () => {
    if (running) return;
    const p = prepare(true);
    if (!p) return;
    views.drawFit(p.d, undefined, curveOf(p.s));
    if (p.d.view.kind !== 'plane') views.network.clear(S.neuronsTwoInputs);
  };

  const begin = (paused: boolean): boolean => {
    feedback.clearError();
    const p = prepare();
    if (!p) {
      status.dataset.state = 'error';
      return false;
    }
    const { s, d } = p;
    const job0 = playgroundJob(s, d);
    let job = job0;
    if (imported) {
      const sizes = imported.model.kind === 'mlp' ? imported.model.spec.sizes : [];
      if (sizes[0] !== d.inputs || sizes.at(-1) !== d.outputs) {
        feedback.showError(S.importedShape(sizes[0]!, sizes.at(-1)!, d.inputs, d.outputs));
        return false;
      }
      job = { ...job0, checkpoint: imported.json, normalize: false };
    }
    const problem = checkJob(job);
    if (problem) {
      feedback.showError(S.refused(problem));
      return false;
    }
    writeUrl(s);
    const curve = curveOf(s);
    views.drawFit(d, undefined, curve);
    views.clearRun();
    if (!job.neuronGrid) {
      views.network.clear(d.view.kind === 'plane' ? S.neuronsTooMany : S.neuronsTwoInputs);
    }
    const layerNames =
      job.model.kind === 'mlp' ? job.model.sizes.slice(1).map((_, i) => `${i + 1}`) : [];
    const testAt: number[] = [];
    const testLoss: number[] = [];
    run?.stop();
    started = true;
    status.textContent = paused ? S.ready : S.training;
    status.dataset.state = 'running';
    for (const k of ['testAccuracy', 'accuracy', 'testLoss', 'loss']) delete status.dataset[k];
    run = startRun(job, {
      onReady(bk, adapter) {
        status.dataset.backend = bk;
        if (adapter) status.dataset.adapter = adapter;
      },
      onProgress(hist, m) {
        if (m.prediction) views.drawFit(d, m.prediction, curve);
        if (m.testLoss) {
          testAt.push(...m.at);
          testLoss.push(...m.testLoss);
        }
        views.drawLoss({ at: hist.at, loss: hist.loss, testAt, testLoss });
        if (m.gradNorms) views.drawGradients(m.gradNorms, layerNames);
        if (m.neurons) views.network.draw(m.neurons, m.params);
        const last = hist.loss.at(-1)!;
        let text = S.progress(m.epoch, m.epochs, fmt(last));
        if (testLoss.length > 0) text += S.testLoss(fmt(testLoss.at(-1)!));
        if (m.accuracy) {
          text += S.accuracy(fmt(100 * m.accuracy.train, 3));
          status.dataset.accuracy = String(m.accuracy.train);
          if (m.accuracy.test !== undefined) {
            text += S.testAccuracy(fmt(100 * m.accuracy.test, 3));
            status.dataset.testAccuracy = String(m.accuracy.test);
          }
        }
        status.textContent = `${text} (${job.backend})`;
        status.dataset.epoch = String(m.epoch);
        if (testLoss.length > 0) status.dataset.testLoss = String(testLoss.at(-1));
      },
      onState: setRunning,
      onDone(hist, model) {
        lastModel = model;
        status.textContent = S.done(
          hist.at.at(-1)!,
          job.backend === 'webgpu' ? S.onGpu : S.onCpu,
          status.textContent ?? '',
        );
        status.dataset.state = 'done';
        status.dataset.loss = String(hist.loss.at(-1));
      },
      onError(msg) {
        feedback.showError(S.stopped(msg));
        status.dataset.state = 'error';
      },
    });
    if (paused) run.trainer.pause();
    runningListener(running, started);
    return true;
  };

  return {
    begin,
    preview,
    toggle() {
      if (!run) return;
      if (running) run.trainer.pause();
      else run.trainer.resume();
    },
    step() {
      if (!started) {
        if (begin(true)) setTimeout(() => run?.trainer.step(), 0);
        return;
      }
      run?.trainer.step();
    },
    reset() {
      run?.stop();
      run = undefined;
      started = false;
      setRunning(false);
      status.textContent = S.resetDone;
      status.dataset.state = 'reset';
      views.clearRun();
      preview();
    },
    exportModel() {
      if (!lastModel) {
        feedback.showError(S.trainFirst);
        return;
      }
      download('annlab-model.json', new Blob([lastModel], { type: 'application/json' }));
    },
    async importModel(file) {
      feedback.clearError();
      try {
        imported = await readModelFile(file);
        const sizes = imported.model.kind === 'mlp' ? imported.model.spec.sizes : [1, 1];
        form.setShape(sizes.length - 2, sizes.length > 2 ? sizes[1]! : 1);
        status.textContent = S.imported;
        status.dataset.state = 'imported';
      } catch (e) {
        imported = undefined;
        feedback.showError(S.modelRejected((e as Error).message));
      }
    },
    async loadCsv(file) {
      feedback.clearError();
      try {
        csv = await readCsvFile(file);
        table = undefined;
        form.csv.setColumns(csv.columns);
        form.csv.info.textContent = S.csvColumns(csv.name, csv.columns.join(', '));
        form.csv.info.dataset.state = 'loaded';
        preview();
      } catch (e) {
        csv = undefined;
        form.csv.info.dataset.state = 'error';
        feedback.showError(S.csvRefused((e as Error).message));
      }
    },
    onRunning(listener) {
      runningListener = listener;
    },
    stop() {
      run?.stop();
      run = undefined;
    },
  };
}
