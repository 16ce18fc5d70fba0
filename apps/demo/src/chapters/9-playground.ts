/**
 * Chapter 9: the playground. The target is typed as a formula (parsed by the formula package:
 * mathjs's parser and an allow-listed evaluator, never eval), and every setting of the run is in
 * the URL, so a link reproduces it. Training runs in a worker on the CPU or WebGPU.
 */

import { key, normal } from '@annlab/core';
import { FormulaError, parseFormula, sampleFormula } from '@annlab/formula';
import { fitChartSpec, gradientBarsChartSpec, lossChartSpec } from '@annlab/plot';
import { loadModel, type Model, predict } from '@annlab/train';
import { common } from '../i18n/common.js';
import { pick } from '../i18n/lang.js';
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

/** The playground's visible strings in both languages (the logic is untouched). */
const strings = () =>
  pick({
    en: {
      title: '9. Playground',
      intro:
        'Fit your own function. Type the target in x (for example x^2, log(x), sin(3x) + 0.5x, exp(-x^2)), choose the network and the training, and press Start. The address bar keeps every setting, so the link reproduces the run.',
      urlRejected: (e: string) =>
        `The settings in the link were rejected, so the defaults are used: ${e}.`,
      target: 'Target f(x)',
      from: 'Domain from',
      to: 'to',
      points: 'Points',
      noise: 'Noise σ',
      hidden: 'Hidden layers',
      width: 'Width',
      act: 'Hidden activation',
      out: 'Output activation',
      loss: 'Loss',
      opt: 'Optimizer',
      lr: 'Learning rate',
      sched: 'Schedule',
      batch: 'Batch',
      batchHint: "'full', 'sgd' or a size",
      backend: 'Backend',
      norm: 'Normalise x and y',
      detecting: 'Detecting WebGPU…',
      fitPanel: 'Target and network',
      lossPanel: 'Loss',
      gradPanel: 'Gradient norm per layer',
      atChar: (i: number) => ` (at character ${i})`,
      pause: 'Pause',
      resume: 'Resume',
      cannotStart: (e: string) => `Cannot start: ${e}`,
      refused: (p: string) => `Refused: ${p}`,
      trainingLoss: 'training loss',
      gradName: 'mean gradient norm',
      gradAxis: 'mean ‖∂L/∂θ‖ per layer',
      progress: (e: number, n: number, l: string, b: string) =>
        `epoch ${e} of ${n}: loss ${l} (${b})`,
      done: (e: number, gpu: boolean, l: string) =>
        `done: ${e} epochs on ${gpu ? 'WebGPU' : 'the CPU'}, final loss ${l}`,
      stopped: (m: string) => `Training stopped: ${m}`,
      start: 'Start',
      step: 'Step',
      reset: 'Reset',
      export: 'Export model',
      exportFirst: 'Train to the end first: the model is exported when a run is done.',
      rejected: (m: string) => `The model file was rejected: ${m}`,
      copy: 'Copy link',
      settings: 'Playground settings',
      targetH: 'Target',
      networkH: 'Network and training',
      import: 'Import model ',
      formulaHint: 'functions: sin cos tan exp log sqrt abs tanh sigmoid …; constants pi, e',
    },
    'zh-CN': {
      title: '9. 试验场',
      intro:
        '拟合你自己的函数。用 x 写出目标函数（例如 x^2、log(x)、sin(3x) + 0.5x、exp(-x^2)），选择网络和训练方式，然后按“开始”。地址栏保存全部设置，因此链接可以复现这次训练。',
      urlRejected: (e: string) => `链接中的设置被拒绝，已改用默认值：${e}。`,
      target: '目标函数 f(x)',
      from: '定义域起点',
      to: '终点',
      points: '点数',
      noise: '噪声 σ',
      hidden: '隐藏层数',
      width: '宽度',
      act: '隐藏层激活函数',
      out: '输出层激活函数',
      loss: '损失函数',
      opt: '优化器',
      lr: '学习率',
      sched: '学习率调度',
      batch: '批量',
      batchHint: "'full'（批量）、'sgd'（随机）或小批量大小",
      backend: '计算后端',
      norm: '标准化 x 和 y',
      detecting: '正在检测 WebGPU…',
      fitPanel: '目标与网络',
      lossPanel: '损失',
      gradPanel: '各层的梯度范数',
      atChar: (i: number) => `（第 ${i} 个字符处）`,
      pause: '暂停',
      resume: '继续',
      cannotStart: (e: string) => `无法开始：${e}`,
      refused: (p: string) => `已拒绝：${p}`,
      trainingLoss: '训练损失',
      gradName: '平均梯度范数',
      gradAxis: '各层平均 ‖∂L/∂θ‖',
      progress: (e: number, n: number, l: string, b: string) =>
        `第 ${e} / ${n} 轮：损失 ${l}（${b}）`,
      done: (e: number, gpu: boolean, l: string) =>
        `完成：在 ${gpu ? 'WebGPU' : 'CPU'} 上训练 ${e} 轮，最终损失 ${l}`,
      stopped: (m: string) => `训练已停止：${m}`,
      start: '开始',
      step: '单步',
      reset: '重置',
      export: '导出模型',
      exportFirst: '请先训练完成：训练结束后才能导出模型。',
      rejected: (m: string) => `模型文件被拒绝：${m}`,
      copy: '复制链接',
      settings: '试验场设置',
      targetH: '目标函数',
      networkH: '网络与训练',
      import: '导入模型 ',
      formulaHint: '函数：sin cos tan exp log sqrt abs tanh sigmoid …；常数 pi、e',
    },
  });

export const playgroundChapter: Chapter = {
  id: 'playground',
  get title() {
    return strings().title;
  },
  mount(el, params) {
    const S = strings();
    const C = common();
    let parsed: ReturnType<typeof parseState>;
    try {
      parsed = parseState(params);
    } catch (err) {
      parsed = { state: DEFAULT_STATE, errors: [String(err)] };
    }
    const s0 = parsed.state;
    el.append(prose(S.intro));
    const urlError = h('p', { id: 'pg-url-error', class: 'error', role: 'alert' });
    if (parsed.errors.length > 0) {
      urlError.textContent = S.urlRejected(parsed.errors.join('; '));
    }
    const f = textField({
      id: 'pg-formula',
      label: S.target,
      value: s0.f,
      hint: S.formulaHint,
    });
    const a = numberField({ id: 'pg-a', label: S.from, value: s0.a });
    const b = numberField({ id: 'pg-b', label: S.to, value: s0.b });
    const n = numberField({ id: 'pg-n', label: S.points, value: s0.n, min: 2, max: 5000, step: 1 });
    const noise = numberField({ id: 'pg-noise', label: S.noise, value: s0.noise, min: 0 });
    const depth = numberField({
      id: 'pg-depth',
      label: S.hidden,
      value: s0.depth,
      min: 0,
      max: 12,
      step: 1,
    });
    const width = numberField({
      id: 'pg-width',
      label: S.width,
      value: s0.width,
      min: 1,
      max: 128,
      step: 1,
    });
    const acts = ACTIVATIONS.map((v) => [v, v] as const);
    const act = selectField({
      id: 'pg-act',
      label: S.act,
      value: s0.act,
      options: acts,
    });
    const out = selectField({
      id: 'pg-out',
      label: S.out,
      value: s0.out,
      options: acts,
    });
    const lossSel = selectField({
      id: 'pg-loss',
      label: S.loss,
      value: s0.loss,
      options: LOSSES.map((v) => [v, v] as const),
    });
    const opt = selectField({
      id: 'pg-opt',
      label: S.opt,
      value: s0.opt,
      options: OPTIMIZERS.map((v) => [v, v] as const),
    });
    const lr = numberField({ id: 'pg-lr', label: S.lr, value: s0.lr, min: 0 });
    const sched = selectField({
      id: 'pg-sched',
      label: S.sched,
      value: s0.sched,
      options: SCHEDULES.map((v) => [v, v] as const),
    });
    const batch = textField({
      id: 'pg-batch',
      label: S.batch,
      value: String(s0.batch),
      hint: S.batchHint,
    });
    const epochs = numberField({
      id: 'pg-epochs',
      label: C.epochs,
      value: s0.epochs,
      min: 1,
      max: 20000,
      step: 1,
    });
    const seed = numberField({
      id: 'pg-seed',
      label: C.key,
      value: s0.seed,
      min: 0,
      step: 1,
    });
    const backend = selectField({
      id: 'pg-backend',
      label: S.backend,
      value: s0.backend,
      options: [
        ['cpu', 'CPU (float64)'],
        ['webgpu', 'WebGPU (float32)'],
      ],
    });
    const norm = checkField({ id: 'pg-norm', label: S.norm, value: s0.norm });
    const gpuLine = h('p', { id: 'pg-gpu', class: 'status' }, S.detecting);
    const webgpuOption = backend.input.querySelector('option[value="webgpu"]') as HTMLOptionElement;
    void detectGpu().then((info) => {
      gpuLine.replaceChildren(h('code', {}, info.description));
      gpuLine.dataset.available = String(info.available);
      if (!info.available) {
        webgpuOption.disabled = true;
        if (backend.get() === 'webgpu') backend.set('cpu');
      }
    });

    const errorBox = h('div', { id: 'pg-error', class: 'error', role: 'alert' });
    const status = statusLine('pg-status');
    const fitPanel = chartPanel('playground-fit', S.fitPanel);
    const lossPanel = chartPanel('playground-loss', S.lossPanel);
    const gradPanel = chartPanel('playground-gradients', S.gradPanel);
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
          h('span', {}, S.atChar(index + 1)),
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
          approximationLabel: C.network,
        }),
      );
    };

    const setRunning = (r: boolean) => {
      running = r;
      pauseBtn.textContent = r ? S.pause : S.resume;
      pauseBtn.disabled = !started;
      stepBtn.disabled = r || !started;
    };

    const begin = (paused: boolean): boolean => {
      errorBox.replaceChildren();
      f.input.removeAttribute('aria-invalid');
      const r = readState();
      if ('errors' in r) {
        showError(S.cannotStart(r.errors.join('; ')));
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
        showError(S.refused(problem));
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
            lossChartSpec({
              runs: { name: S.trainingLoss, x: hist.at, loss: hist.loss },
              xAxis: { label: C.epoch },
              yAxis: { label: C.loss },
            }),
          );
          if (m.gradNorms) {
            gradPanel.draw(
              gradientBarsChartSpec({
                series: {
                  name: S.gradName,
                  values: m.gradNorms.map((v) => Math.max(v, 1e-300)),
                },
                layers: gridNames,
                xAxis: { label: C.layer },
                yAxis: { label: S.gradAxis },
              }),
            );
          }
          status.textContent = S.progress(m.epoch, m.epochs, fmt(hist.loss.at(-1)!), job.backend);
          status.dataset.epoch = String(m.epoch);
        },
        onState: setRunning,
        onDone(hist, model) {
          lastModel = model;
          status.textContent = S.done(
            hist.at.at(-1)!,
            job.backend === 'webgpu',
            fmt(hist.loss.at(-1)!),
          );
          status.dataset.state = 'done';
          status.dataset.loss = String(hist.loss.at(-1));
        },
        onError(msg) {
          showError(S.stopped(msg));
          status.dataset.state = 'error';
        },
      });
      if (paused) run.trainer.pause();
      return true;
    };

    const startBtn = button(
      S.start,
      () => {
        begin(false);
      },
      { id: 'pg-start' },
    );
    const pauseBtn = button(
      S.pause,
      () => {
        if (!run) return;
        if (running) run.trainer.pause();
        else run.trainer.resume();
      },
      { disabled: true },
    );
    const stepBtn = button(S.step, () => {
      if (!started) {
        if (begin(true)) setTimeout(() => run?.trainer.step(), 0);
        return;
      }
      run?.trainer.step();
    });
    const resetBtn = button(S.reset, () => {
      run?.stop();
      run = undefined;
      started = false;
      setRunning(false);
      pauseBtn.textContent = S.pause;
      status.textContent = 'reset';
      status.dataset.state = 'reset';
      lossPanel.destroy();
      gradPanel.destroy();
      const r = readState();
      if ('state' in r) drawTarget(r.state, undefined);
    });
    const exportBtn = button(S.export, () => {
      if (!lastModel) {
        showError(S.exportFirst);
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
        showError(S.rejected((e as Error).message));
      }
    };
    const copyBtn = button(S.copy, () => {
      const r = readState();
      if ('state' in r) {
        history.replaceState(null, '', `#/playground?${serializeState(r.state)}`);
        void navigator.clipboard?.writeText(location.href).catch(() => undefined);
      }
    });

    const form = h('form', { class: 'playground', 'aria-label': S.settings });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      begin(false);
    });
    form.append(
      h('h2', {}, S.targetH),
      h('div', { class: 'controls' }, f.el, a.el, b.el, n.el, noise.el),
      h('h2', {}, S.networkH),
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
        h('label', { for: 'pg-import', class: 'file-label' }, S.import),
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
