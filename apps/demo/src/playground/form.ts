/**
 * The playground's form ↔ state: the controls built from a state, read back into a validated state
 * (through the URL parser, so the form and a link accept exactly the same settings), and the
 * visibility of the fields that depend on the mode and the data source. No training, no I/O.
 */
import {
  ACTIVATIONS,
  DATA_SOURCES,
  type DataSource,
  LOSSES,
  MODES,
  type Mode,
  OPTIMIZERS,
  type PlaygroundState,
  parseState,
  REGULARIZERS,
  SCHEDULES,
} from '../state/url.js';
import {
  type Control,
  checkField,
  h,
  type InputControl,
  numberField,
  selectField,
  textField,
} from '../ui/controls.js';
import { playgroundStrings } from './strings.js';

/** The CSV part of the form: the file input and the column pickers (filled once a file is read). */
export interface CsvControls {
  readonly section: HTMLElement;
  readonly file: HTMLInputElement;
  /** Input columns (several). */
  readonly xColumns: HTMLSelectElement;
  /** Target column. */
  readonly yColumn: HTMLSelectElement;
  /** A line about the file read (its name, rows and columns) or why it was refused. */
  readonly info: HTMLElement;
  /** Replaces the column choices: inputs default to all but the last column, the target to it. */
  setColumns(columns: readonly string[]): void;
  /** The picked columns (input names, target name), or undefined before a file. */
  picked(): { x: string[]; y: string } | undefined;
}

/** The form's controls and what it can do with a state. */
export interface PlaygroundForm {
  readonly el: HTMLFormElement;
  readonly formula: InputControl<string>;
  readonly backend: Control<'cpu' | 'webgpu'>;
  readonly csv: CsvControls;
  /** The settings as a validated state, or the messages naming the bad fields. */
  read(): { state: PlaygroundState } | { errors: readonly string[] };
  /** Writes a state into the controls. */
  write(state: PlaygroundState): void;
  /** Sets the network's shape (an imported model's). */
  setShape(depth: number, width: number): void;
  /** Calls `listener` when any setting changes. */
  onChange(listener: () => void): void;
}

function csvControls(): CsvControls {
  const S = playgroundStrings();
  const file = h('input', {
    id: 'pg-csv',
    type: 'file',
    accept: '.csv,.tsv,.txt,text/csv,text/tab-separated-values',
    'aria-describedby': 'pg-csv-note',
  });
  const xColumns = h('select', { id: 'pg-csv-x', multiple: true, size: 4 });
  const yColumn = h('select', { id: 'pg-csv-y' });
  const info = h('p', { id: 'pg-csv-info', class: 'status' });
  const section = h(
    'fieldset',
    { class: 'csv', id: 'pg-csv-section' },
    h('legend', {}, S.csvLegend),
    h(
      'div',
      { class: 'controls' },
      h('div', { class: 'field' }, h('label', { for: 'pg-csv' }, S.csvFile), file),
      h('div', { class: 'field' }, h('label', { for: 'pg-csv-x' }, S.csvX), xColumns),
      h('div', { class: 'field' }, h('label', { for: 'pg-csv-y' }, S.csvY), yColumn),
    ),
    h('p', { id: 'pg-csv-note', class: 'note' }, S.csvNote),
    info,
  );
  return {
    section,
    file,
    xColumns,
    yColumn,
    info,
    setColumns(columns) {
      xColumns.replaceChildren();
      yColumn.replaceChildren();
      columns.forEach((c, i) => {
        xColumns.append(h('option', { value: c, selected: i < columns.length - 1 }, c));
        yColumn.append(h('option', { value: c, selected: i === columns.length - 1 }, c));
      });
    },
    picked() {
      if (yColumn.options.length === 0) return undefined;
      const x = [...xColumns.selectedOptions].map((o) => o.value);
      return { x, y: yColumn.value };
    },
  };
}

/**
 * Builds the form for a starting state.
 *
 * @example
 * ```ts
 * const form = createForm(DEFAULT_STATE);
 * el.append(form.el);
 * const r = form.read(); // { state } or { errors }
 * ```
 */
export function createForm(s0: PlaygroundState): PlaygroundForm {
  const S = playgroundStrings();
  const opts = <T extends string>(values: readonly T[]) => values.map((v) => [v, v] as const);
  const mode = selectField<Mode>({
    id: 'pg-mode',
    label: S.mode,
    value: s0.mode,
    options: MODES.map((m) => [m, m === 'regression' ? S.regression : S.classification] as const),
  });
  const data = selectField<DataSource>({
    id: 'pg-data',
    label: S.data,
    value: s0.data,
    options: DATA_SOURCES.map((d) => [d, S.sources[d]] as const),
  });
  const f = textField({
    id: 'pg-formula',
    label: S.formula,
    value: s0.f,
    hint: S.formulaHint,
  });
  const a = numberField({ id: 'pg-a', label: S.from, value: s0.a });
  const b = numberField({ id: 'pg-b', label: S.to, value: s0.b });
  const n = numberField({ id: 'pg-n', label: S.points, value: s0.n, min: 2, max: 5000, step: 1 });
  const noise = numberField({ id: 'pg-noise', label: S.noise, value: s0.noise, min: 0 });
  const ratio = numberField({
    id: 'pg-ratio',
    label: S.ratio,
    value: s0.ratio,
    min: 10,
    max: 90,
    step: 1,
  });
  const depth = numberField({
    id: 'pg-depth',
    label: S.depth,
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
  const act = selectField({
    id: 'pg-act',
    label: S.act,
    value: s0.act,
    options: opts(ACTIVATIONS),
  });
  const out = selectField({
    id: 'pg-out',
    label: S.out,
    value: s0.out,
    options: opts(ACTIVATIONS),
  });
  const loss = selectField({ id: 'pg-loss', label: S.loss, value: s0.loss, options: opts(LOSSES) });
  const opt = selectField({
    id: 'pg-opt',
    label: S.opt,
    value: s0.opt,
    options: opts(OPTIMIZERS),
  });
  const lr = numberField({ id: 'pg-lr', label: S.lr, value: s0.lr, min: 0 });
  const sched = selectField({
    id: 'pg-sched',
    label: S.sched,
    value: s0.sched,
    options: opts(SCHEDULES),
  });
  const batch = textField({
    id: 'pg-batch',
    label: S.batch,
    value: String(s0.batch),
    hint: S.batchHint,
  });
  const epochs = numberField({
    id: 'pg-epochs',
    label: S.epochs,
    value: s0.epochs,
    min: 1,
    max: 20000,
    step: 1,
  });
  const seed = numberField({ id: 'pg-seed', label: S.seed, value: s0.seed, min: 0, step: 1 });
  const backend = selectField<'cpu' | 'webgpu'>({
    id: 'pg-backend',
    label: S.backend,
    value: s0.backend,
    options: [
      ['cpu', S.cpu],
      ['webgpu', S.webgpu],
    ],
  });
  const norm = checkField({
    id: 'pg-norm',
    label: S.norm,
    value: s0.norm,
  });
  const reg = selectField({
    id: 'pg-reg',
    label: S.reg,
    value: s0.reg,
    options: REGULARIZERS.map((r) => [r, r === 'none' ? S.none : r.toUpperCase()] as const),
  });
  const rate = numberField({
    id: 'pg-rate',
    label: S.rate,
    value: s0.rate,
    min: 0,
    max: 10,
    step: 'any',
  });
  const csv = csvControls();

  // A text value per state field, read from its control.
  const fields: { readonly [K in keyof PlaygroundState]: () => string } = {
    mode: mode.get,
    data: data.get,
    f: f.get,
    a: () => a.input.value,
    b: () => b.input.value,
    n: () => n.input.value,
    noise: () => noise.input.value,
    ratio: () => ratio.input.value,
    depth: () => depth.input.value,
    width: () => width.input.value,
    act: act.get,
    out: out.get,
    loss: loss.get,
    opt: opt.get,
    lr: () => lr.input.value,
    sched: sched.get,
    batch: () => batch.get().trim(),
    epochs: () => epochs.input.value,
    seed: () => seed.input.value,
    backend: backend.get,
    norm: () => (norm.get() ? '1' : '0'),
    reg: reg.get,
    rate: () => rate.input.value,
  };

  const formulaOnly = [f.el, a.el, b.el];
  const regressionOnly = [out.el, loss.el];
  const visibility = () => {
    const source = data.get();
    for (const el of formulaOnly) el.hidden = source !== 'formula';
    csv.section.hidden = source !== 'csv';
    n.el.hidden = source === 'csv';
    for (const el of regressionOnly) el.hidden = mode.get() === 'classification';
    rate.el.hidden = reg.get() === 'none';
  };

  const el = h('form', { class: 'playground', 'aria-label': S.settings });
  el.append(
    h('h2', {}, S.dataHeading),
    h('div', { class: 'controls' }, mode.el, data.el, f.el, a.el, b.el, n.el, noise.el, ratio.el),
    csv.section,
    h('h2', {}, S.networkHeading),
    h(
      'div',
      { class: 'controls' },
      depth.el,
      width.el,
      act.el,
      out.el,
      loss.el,
      opt.el,
      lr.el,
      sched.el,
      batch.el,
      epochs.el,
      seed.el,
      backend.el,
      norm.el,
      reg.el,
      rate.el,
    ),
  );
  el.addEventListener('change', visibility);
  visibility();

  return {
    el,
    formula: f,
    backend,
    csv,
    read() {
      const p = new URLSearchParams();
      for (const [k, get] of Object.entries(fields)) p.set(k, get());
      const r = parseState(p);
      return r.errors.length > 0 ? { errors: r.errors } : { state: r.state };
    },
    write(s) {
      mode.set(s.mode);
      data.set(s.data);
      f.set(s.f);
      a.set(s.a);
      b.set(s.b);
      n.set(s.n);
      noise.set(s.noise);
      ratio.set(s.ratio);
      depth.set(s.depth);
      width.set(s.width);
      act.set(s.act);
      out.set(s.out);
      loss.set(s.loss);
      opt.set(s.opt);
      lr.set(s.lr);
      sched.set(s.sched);
      batch.set(String(s.batch));
      epochs.set(s.epochs);
      seed.set(s.seed);
      backend.set(s.backend);
      norm.set(s.norm);
      reg.set(s.reg);
      rate.set(s.rate);
      visibility();
    },
    setShape(d, w) {
      depth.set(d);
      width.set(w);
    },
    onChange(listener) {
      el.addEventListener('change', listener);
    },
  };
}
