/**
 * Chapter 9: the playground. Regression of a formula or a CSV file, classification of
 * TensorFlow Playground's four 2-D sets or a CSV file; every setting but the file is in the URL, so
 * a link reproduces a run. Training runs in a worker on the CPU or WebGPU.
 *
 * The chapter only assembles the parts: the form (form ↔ state), the controller (the run), the I/O
 * (address bar, files) and the views.
 */
import { createController, type PlaygroundController } from '../playground/controller.js';
import { createForm } from '../playground/form.js';
import { acceptDrops, copyLink } from '../playground/io.js';
import { playgroundStrings } from '../playground/strings.js';
import { createViews, type PlaygroundViews } from '../playground/views.js';
import { DEFAULT_STATE, parseState } from '../state/url.js';
import { button, h, prose, statusLine } from '../ui/controls.js';
import { detectGpu } from '../ui/gpuInfo.js';
import type { Chapter } from './types.js';

let controller: PlaygroundController | undefined;
let views: PlaygroundViews | undefined;

export const playgroundChapter: Chapter = {
  id: 'playground',
  get title() {
    return playgroundStrings().title;
  },
  mount(el, params) {
    const S = playgroundStrings();
    let parsed: ReturnType<typeof parseState>;
    try {
      parsed = parseState(params);
    } catch (err) {
      parsed = { state: DEFAULT_STATE, errors: [String(err)] };
    }
    el.append(prose(S.intro));
    const urlError = h('p', { id: 'pg-url-error', class: 'error', role: 'alert' });
    if (parsed.errors.length > 0) {
      urlError.textContent = S.urlRejected(parsed.errors.join('; '));
    }
    const form = createForm(parsed.state);
    views = createViews();
    const errorBox = h('div', { id: 'pg-error', class: 'error', role: 'alert' });
    const status = statusLine('pg-status');
    const feedback = {
      status,
      clearError() {
        errorBox.replaceChildren();
        delete errorBox.dataset.index;
        form.formula.input.removeAttribute('aria-invalid');
      },
      showError(message: string, index?: number) {
        errorBox.replaceChildren(h('span', { class: 'error-message' }, message));
        if (index !== undefined) {
          const text = form.formula.get();
          errorBox.append(
            h(
              'div',
              { class: 'formula-caret', 'aria-hidden': 'true' },
              `${text}\n${' '.repeat(index)}^`,
            ),
            h('span', {}, S.atCharacter(index + 1)),
          );
          form.formula.input.setAttribute('aria-invalid', 'true');
          form.formula.input.focus();
          form.formula.input.setSelectionRange(index, Math.min(text.length, index + 1));
        }
        errorBox.dataset.index = index === undefined ? '' : String(index);
      },
    };
    const c = createController(form, views, feedback);
    controller = c;

    const gpuLine = h('p', { id: 'pg-gpu', class: 'status' }, S.detecting);
    const webgpuOption = form.backend.input.querySelector(
      'option[value="webgpu"]',
    ) as HTMLOptionElement;
    void detectGpu().then((info) => {
      // the adapter's name is the browser's identifier, shown as code in either language
      const at = info.adapter ? info.description.indexOf(info.adapter) : -1;
      if (info.adapter && at >= 0) {
        gpuLine.replaceChildren(
          info.description.slice(0, at),
          h('code', {}, info.adapter),
          info.description.slice(at + info.adapter.length),
        );
      } else gpuLine.textContent = info.description;
      gpuLine.dataset.available = String(info.available);
      if (!info.available) {
        webgpuOption.disabled = true;
        if (form.backend.get() === 'webgpu') form.backend.set('cpu');
      }
    });

    const startBtn = button(S.start, () => c.begin(false), { id: 'pg-start' });
    startBtn.type = 'submit';
    const pauseBtn = button(S.pause, () => c.toggle(), { id: 'pg-pause', disabled: true });
    const stepBtn = button(S.step, () => c.step(), { id: 'pg-step' });
    const resetBtn = button(S.reset, () => c.reset(), { id: 'pg-reset' });
    c.onRunning((running, started) => {
      pauseBtn.textContent = running || !started ? S.pause : S.resume;
      pauseBtn.disabled = !started;
      stepBtn.disabled = running;
    });
    const exportBtn = button(S.exportModel, () => c.exportModel());
    const modelInput = h('input', {
      id: 'pg-import',
      type: 'file',
      accept: 'application/json,.json',
    });
    modelInput.addEventListener('change', () => {
      const file = modelInput.files?.[0];
      if (file) void c.importModel(file);
    });
    const copyBtn = button(S.copyLink, () => {
      const r = form.read();
      if ('state' in r) copyLink(r.state);
    });
    form.csv.file.addEventListener('change', () => {
      const file = form.csv.file.files?.[0];
      if (file) void c.loadCsv(file);
    });
    acceptDrops(form.csv.section, (file) => void c.loadCsv(file));
    form.onChange(() => c.preview());
    form.el.addEventListener('submit', (e) => {
      e.preventDefault();
      c.begin(false);
    });
    form.el.append(
      gpuLine,
      h('div', { class: 'buttons' }, startBtn, pauseBtn, stepBtn, resetBtn),
      h(
        'div',
        { class: 'buttons' },
        exportBtn,
        h('label', { for: 'pg-import', class: 'file-label' }, S.importModel),
        modelInput,
        copyBtn,
      ),
    );
    el.append(urlError, form.el, errorBox, status, views.el);
    c.preview();
    const csvSource = parsed.state.data === 'csv';
    if ([...params.keys()].length > 0 && parsed.errors.length === 0 && !csvSource) c.begin(false);
    if (csvSource) status.textContent = S.chooseCsv;
  },
  unmount() {
    controller?.stop();
    controller = undefined;
    views?.destroy();
    views = undefined;
  },
};
