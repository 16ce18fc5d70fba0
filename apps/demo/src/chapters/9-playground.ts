/**
 * Chapter 9: the playground. The target is typed as a formula (parsed by the formula package:
 * mathjs's parser and an allow-listed evaluator, never eval), and every setting of the run is in
 * the URL, so a link reproduces it. Training runs in a worker on the CPU or WebGPU.
 */
import { key, normal } from '@annlab/core';
import { FormulaError, parseFormula, sampleFormula } from '@annlab/formula';
import { fitChartSpec, gradientBarsChartSpec, lossChartSpec } from '@annlab/plot';
import { loadModel, type Model, predict } from '@annlab/train';
import {
  ACTIVATIONS,
  DEFAULT_STATE,
  LOSSES,
  OPTIMIZERS,
  type PlaygroundState,
  parseState,
  SCHEDULES,
  serializeState,
} from '../state/url.js';
import { type ChartPanel, chartPanel } from '../ui/charts.js';
import {
  button,
  checkField,
  fmt,
  h,
  numberField,
  prose,
  selectField,
  statusLine,
  textField,
} from '../ui/controls.js';
import { detectGpu } from '../ui/gpuInfo.js';
import { linspace, type Run, startRun } from '../ui/run.js';
import { checkJob, type JobSpec } from '../worker/protocol.js';
import type { Chapter } from './types.js';

let run: Run | undefined;
let panels: ChartPanel[] = [];

/** The target data of a state, or a message (with the formula position when known). */
export function targetData(
  s: PlaygroundState,
): { x: number[]; y: number[] } | { error: string; index?: number } {
  try {
    const f = parseFormula(s.f);
    const { x, y } = sampleFormula(f, s.a, s.b, s.n);
    const out = Array.from(y);
    if (s.noise > 0) {
      const z = normal(key(s.seed + 1), [s.n]);
      for (let i = 0; i < out.length; i++) out[i]! += s.noise * z[i]!;
    }
    return { x: Array.from(x), y: out };
  } catch (e) {
    if (e instanceof FormulaError) {
      return { error: e.message, ...(e.index !== undefined ? { index: e.index } : {}) };
    }
    return { error: (e as Error).message };
  }
}

/** The job of a state on its data. */
export function playgroundJob(s: PlaygroundState, x: number[], y: number[]): JobSpec {
  const sizes = [1, ...new Array<number>(s.depth).fill(s.width), 1];
  return {
    model: { kind: 'mlp', sizes, hidden: s.act, output: s.out },
    x,
    y,
    seed: s.seed,
    optimizer: s.opt,
    learningRate: s.lr,
    schedule: s.sched,
    batch: typeof s.batch === 'number' ? Math.min(s.batch, s.n) : s.batch,
    epochs: s.epochs,
    loss: s.loss,
    normalize: s.norm,
    backend: s.backend,
    chunk: Math.max(1, Math.floor(s.epochs / 100)),
    grid: linspace(s.a, s.b, 200),
    gradNorms: s.backend === 'cpu',
  };
}

export const playgroundChapter: Chapter = {
  id: 'playground',
  title: '9. Playground',
  mount(el, params) {
    let parsed: ReturnType<typeof parseState>;
    try {
      parsed = parseState(params);
    } catch (err) {
      parsed = { state: DEFAULT_STATE, errors: [String(err)] };
    }
    const s0 = parsed.state;
    el.append(
      prose(
        'Fit your own function. Type the target in x (for example x^2, log(x), sin(3x) + 0.5x, exp(-x^2)), choose the network and the training, and press Start. The address bar keeps every setting, so the link reproduces the run.',
      ),
    );
    const urlError = h('p', { id: 'pg-url-error', class: 'error', role: 'alert' });
    if (parsed.errors.length > 0) {
      urlError.textContent = `The settings in the link were rejected, so the defaults are used: ${parsed.errors.join('; ')}.`;
    }
    const f = textField({
      id: 'pg-formula',
      label: 'Target f(x)',
      value: s0.f,
      hint: 'functions: sin cos tan exp log sqrt abs tanh sigmoid …; constants pi, e',
    });
    const a = numberField({ id: 'pg-a', label: 'Domain from', value: s0.a });
    const b = numberField({ id: 'pg-b', label: 'to', value: s0.b });
    const n = numberField({ id: 'pg-n', label: 'Points', value: s0.n, min: 2, max: 5000, step: 1 });
    const noise = numberField({ id: 'pg-noise', label: 'Noise σ', value: s0.noise, min: 0 });
    const depth = numberField({
      id: 'pg-depth',
      label: 'Hidden layers',
      value: s0.depth,
      min: 0,
      max: 12,
      step: 1,
    });
    const width = numberField({
      id: 'pg-width',
      label: 'Width',
      value: s0.width,
      min: 1,
      max: 128,
      step: 1,
    });
    const acts = ACTIVATIONS.map((v) => [v, v] as const);
    const act = selectField({
      id: 'pg-act',
      label: 'Hidden activation',
      value: s0.act,
      options: acts,
    });
    const out = selectField({
      id: 'pg-out',
      label: 'Output activation',
      value: s0.out,
      options: acts,
    });
    const lossSel = selectField({
      id: 'pg-loss',
      label: 'Loss',
      value: s0.loss,
      options: LOSSES.map((v) => [v, v] as const),
    });
    const opt = selectField({
      id: 'pg-opt',
      label: 'Optimizer',
      value: s0.opt,
      options: OPTIMIZERS.map((v) => [v, v] as const),
    });
    const lr = numberField({ id: 'pg-lr', label: 'Learning rate', value: s0.lr, min: 0 });
    const sched = selectField({
      id: 'pg-sched',
      label: 'Schedule',
      value: s0.sched,
      options: SCHEDULES.map((v) => [v, v] as const),
    });
    const batch = textField({
      id: 'pg-batch',
      label: 'Batch',
      value: String(s0.batch),
      hint: "'full', 'sgd' or a size",
    });
    const epochs = numberField({
      id: 'pg-epochs',
      label: 'Epochs',
      value: s0.epochs,
      min: 1,
      max: 20000,
      step: 1,
    });
    const seed = numberField({
      id: 'pg-seed',
      label: 'Key (seed)',
      value: s0.seed,
      min: 0,
      step: 1,
    });
    const backend = selectField({
      id: 'pg-backend',
      label: 'Backend',
      value: s0.backend,
      options: [
        ['cpu', 'CPU (float64)'],
        ['webgpu', 'WebGPU (float32)'],
      ],
    });
    const norm = checkField({ id: 'pg-norm', label: 'Normalise x and y', value: s0.norm });
    const gpuLine = h('p', { id: 'pg-gpu', class: 'status' }, 'Detecting WebGPU…');
    const webgpuOption = backend.input.querySelector('option[value="webgpu"]') as HTMLOptionElement;
    void detectGpu().then((info) => {
      gpuLine.textContent = info.description;
      gpuLine.dataset.available = String(info.available);
      if (!info.available) {
        webgpuOption.disabled = true;
        if (backend.get() === 'webgpu') backend.set('cpu');
      }
    });

    const errorBox = h('div', { id: 'pg-error', class: 'error', role: 'alert' });
    const status = statusLine('pg-status');
    const fitPanel = chartPanel('playground-fit', 'Target and network');
    const lossPanel = chartPanel('playground-loss', 'Loss');
    const gradPanel = chartPanel('playground-gradients', 'Gradient norm per layer');
    panels = [fitPanel, lossPanel, gradPanel];
    let imported: { json: string; model: Model } | undefined;
    let lastModel: string | undefined;
    let started = false;
    let running = false;

    /** The state in the controls, validated like a URL. */
    const readState = (): { state: PlaygroundState } | { errors: readonly string[] } => {
      const p = new URLSearchParams();
      const raw: Record<string, string> = {
        f: f.get(),
        a: a.input.value,
        b: b.input.value,
        n: n.input.value,
        noise: noise.input.value,
        depth: depth.input.value,
        width: width.input.value,
        act: act.get(),
        out: out.get(),
        loss: lossSel.get(),
        opt: opt.get(),
        lr: lr.input.value,
        sched: sched.get(),
        batch: batch.get().trim(),
        epochs: epochs.input.value,
        seed: seed.input.value,
        backend: backend.get(),
        norm: norm.get() ? '1' : '0',
      };
      for (const [k, v] of Object.entries(raw)) p.set(k, v);
      const r = parseState(p);
      return r.errors.length > 0 ? { errors: r.errors } : { state: r.state };
    };

    const showError = (message: string, index?: number) => {
      errorBox.replaceChildren(h('span', { class: 'error-message' }, message));
      if (index !== undefined) {
        const text = f.get();
        errorBox.append(
          h(
            'div',
            { class: 'formula-caret', 'aria-hidden': 'true' },
            `${text}\n${' '.repeat(index)}^`,
          ),
          h('span', {}, ` (at character ${index + 1})`),
        );
        f.input.setAttribute('aria-invalid', 'true');
        f.input.focus();
        f.input.setSelectionRange(index, Math.min(text.length, index + 1));
      }
      errorBox.dataset.index = index === undefined ? '' : String(index);
    };

    const drawTarget = (s: PlaygroundState, approx: number[] | undefined) => {
      const grid = linspace(s.a, s.b, 200);
      const t = targetData({ ...s, n: 200, noise: 0, a: s.a, b: s.b });
      if ('error' in t) return;
      fitPanel.draw(
        fitChartSpec({
          x: grid,
          target: t.y,
          approximation: approx ?? grid.map(() => Number.NaN),
          targetLabel: `f(x) = ${s.f}`,
        }),
      );
    };

    const setRunning = (r: boolean) => {
      running = r;
      pauseBtn.textContent = r ? 'Pause' : 'Resume';
      pauseBtn.disabled = !started;
      stepBtn.disabled = r || !started;
    };

    const begin = (paused: boolean): boolean => {
      errorBox.replaceChildren();
      f.input.removeAttribute('aria-invalid');
      const r = readState();
      if ('errors' in r) {
        showError(`Cannot start: ${r.errors.join('; ')}`);
        return false;
      }
      const s = r.state;
      const data = targetData(s);
      if ('error' in data) {
        showError(data.error, data.index);
        status.dataset.state = 'error';
        return false;
      }
      const job0 = playgroundJob(s, data.x, data.y);
      const job = imported ? { ...job0, checkpoint: imported.json, normalize: false } : job0;
      const problem = checkJob(job);
      if (problem) {
        showError(`Refused: ${problem}`);
        return false;
      }
      history.replaceState(null, '', `#/playground?${serializeState(s)}`);
      drawTarget(s, undefined);
      const gridNames =
        job.model.kind === 'mlp' ? job.model.sizes.slice(1).map((_, i) => `${i + 1}`) : [];
      run?.stop();
      started = true;
      status.textContent = paused ? 'ready: press Step or Resume' : 'training…';
      status.dataset.state = 'running';
      run = startRun(job, {
        onReady(bk, adapter) {
          status.dataset.backend = bk;
          if (adapter) status.dataset.adapter = adapter;
        },
        onProgress(hist, m) {
          if (m.prediction) drawTarget(s, m.prediction);
          lossPanel.draw(
            lossChartSpec({ runs: { name: 'training loss', x: hist.at, loss: hist.loss } }),
          );
          if (m.gradNorms) {
            gradPanel.draw(
              gradientBarsChartSpec({
                series: {
                  name: 'mean gradient norm',
                  values: m.gradNorms.map((v) => Math.max(v, 1e-300)),
                },
                layers: gridNames,
                yAxis: { label: 'mean ‖∂L/∂θ‖ per layer' },
              }),
            );
          }
          status.textContent = `epoch ${m.epoch} of ${m.epochs}: loss ${fmt(hist.loss.at(-1)!)} (${job.backend})`;
          status.dataset.epoch = String(m.epoch);
        },
        onState: setRunning,
        onDone(hist, model) {
          lastModel = model;
          status.textContent = `done: ${hist.at.at(-1)} epochs on ${job.backend === 'webgpu' ? 'WebGPU' : 'the CPU'}, final loss ${fmt(hist.loss.at(-1)!)}`;
          status.dataset.state = 'done';
          status.dataset.loss = String(hist.loss.at(-1));
        },
        onError(msg) {
          showError(`Training stopped: ${msg}`);
          status.dataset.state = 'error';
        },
      });
      if (paused) run.trainer.pause();
      return true;
    };

    const startBtn = button(
      'Start',
      () => {
        begin(false);
      },
      { id: 'pg-start' },
    );
    const pauseBtn = button(
      'Pause',
      () => {
        if (!run) return;
        if (running) run.trainer.pause();
        else run.trainer.resume();
      },
      { disabled: true },
    );
    const stepBtn = button('Step', () => {
      if (!started) {
        if (begin(true)) setTimeout(() => run?.trainer.step(), 0);
        return;
      }
      run?.trainer.step();
    });
    const resetBtn = button('Reset', () => {
      run?.stop();
      run = undefined;
      started = false;
      setRunning(false);
      pauseBtn.textContent = 'Pause';
      status.textContent = 'reset';
      status.dataset.state = 'reset';
      lossPanel.destroy();
      gradPanel.destroy();
      const r = readState();
      if ('state' in r) drawTarget(r.state, undefined);
    });
    const exportBtn = button('Export model', () => {
      if (!lastModel) {
        showError('Train to the end first: the model is exported when a run is done.');
        return;
      }
      const blob = new Blob([lastModel], { type: 'application/json' });
      const link = h('a', { href: URL.createObjectURL(blob), download: 'annlab-model.json' });
      document.body.append(link);
      link.click();
      link.remove();
    });
    const fileInput = h('input', {
      id: 'pg-import',
      type: 'file',
      accept: 'application/json,.json',
    });
    fileInput.addEventListener('change', () => {
      const file = fileInput.files?.[0];
      if (!file) return;
      void file.text().then(importModel);
    });
    const importModel = (json: string) => {
      errorBox.replaceChildren();
      try {
        const model = loadModel(json);
        const ok =
          model.kind === 'mlp' ? model.spec.sizes[0] === 1 && model.spec.sizes.at(-1) === 1 : true;
        if (!ok) throw new Error('the model must map one input to one output');
        if (model.kind !== 'mlp')
          throw new Error('the playground trains dense networks (kind "mlp")');
        imported = { json, model };
        const sizes = model.spec.sizes;
        depth.set(sizes.length - 2);
        width.set(sizes.length > 2 ? sizes[1]! : DEFAULT_STATE.width);
        const r = readState();
        if ('state' in r) {
          const grid = linspace(r.state.a, r.state.b, 200);
          drawTarget(r.state, Array.from(predict(model, grid)));
        }
        status.textContent = 'model imported: Start continues training from it';
        status.dataset.state = 'imported';
      } catch (e) {
        imported = undefined;
        showError(`The model file was rejected: ${(e as Error).message}`);
      }
    };
    const copyBtn = button('Copy link', () => {
      const r = readState();
      if ('state' in r) {
        history.replaceState(null, '', `#/playground?${serializeState(r.state)}`);
        void navigator.clipboard?.writeText(location.href).catch(() => undefined);
      }
    });

    const form = h('form', { class: 'playground', 'aria-label': 'Playground settings' });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      begin(false);
    });
    form.append(
      h('h2', {}, 'Target'),
      h('div', { class: 'controls' }, f.el, a.el, b.el, n.el, noise.el),
      h('h2', {}, 'Network and training'),
      h(
        'div',
        { class: 'controls' },
        depth.el,
        width.el,
        act.el,
        out.el,
        lossSel.el,
        opt.el,
        lr.el,
        sched.el,
        batch.el,
        epochs.el,
        seed.el,
        backend.el,
        norm.el,
      ),
      gpuLine,
      h('div', { class: 'buttons' }, startBtn, pauseBtn, stepBtn, resetBtn),
      h(
        'div',
        { class: 'buttons' },
        exportBtn,
        h('label', { for: 'pg-import', class: 'file-label' }, 'Import model '),
        fileInput,
        copyBtn,
      ),
    );
    // Enter in any field starts; keep the button a real submit for keyboard users.
    startBtn.type = 'submit';
    el.append(
      urlError,
      form,
      errorBox,
      status,
      h('div', { class: 'charts' }, fitPanel.el, lossPanel.el, gradPanel.el),
    );
    drawTarget(s0, undefined);
    if ([...params.keys()].length > 0 && parsed.errors.length === 0) begin(false);
  },
  unmount() {
    run?.stop();
    run = undefined;
    for (const p of panels) p.destroy();
    panels = [];
  },
};
