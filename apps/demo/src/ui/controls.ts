/**
 * Small DOM helpers for labelled, keyboard-usable controls. Every input gets a `<label for>`; the
 * values are read back through the returned handles.
 */
import { formatNumber } from '../i18n/lang.js';
import { mathText } from './math.js';

/** Creates an element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | undefined> = {},
  ...children: (Node | string | undefined)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== undefined) el.append(c);
  return el;
}

/** A labelled control whose value can be read and written. */
export interface Control<T> {
  readonly el: HTMLElement;
  readonly input: HTMLInputElement | HTMLSelectElement;
  get(): T;
  set(value: T): void;
}

function wrap(id: string, label: string, input: HTMLElement, hint?: string): HTMLElement {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    input,
    hint ? h('small', { id: `${id}-hint` }, hint) : undefined,
  );
}

/** A control backed by an `<input>`. */
export interface InputControl<T> extends Control<T> {
  readonly input: HTMLInputElement;
}

/** A number input with bounds (the browser's own validation plus ours on read). */
export function numberField(o: {
  id: string;
  label: string;
  value: number;
  min?: number;
  max?: number;
  step?: number | 'any';
  hint?: string;
}): InputControl<number> {
  const input = h('input', {
    id: o.id,
    name: o.id,
    type: 'number',
    value: o.value,
    min: o.min,
    max: o.max,
    step: o.step ?? 'any',
    'aria-describedby': o.hint ? `${o.id}-hint` : undefined,
  });
  return {
    el: wrap(o.id, o.label, input, o.hint),
    input,
    get: () => Number(input.value),
    set: (v) => {
      input.value = String(v);
    },
  };
}

/** A text input. */
export function textField(o: {
  id: string;
  label: string;
  value: string;
  hint?: string;
}): InputControl<string> {
  const input = h('input', {
    id: o.id,
    name: o.id,
    type: 'text',
    value: o.value,
    spellcheck: 'false',
    autocomplete: 'off',
    'aria-describedby': o.hint ? `${o.id}-hint` : undefined,
  });
  return {
    el: wrap(o.id, o.label, input, o.hint),
    input,
    get: () => input.value,
    set: (v) => {
      input.value = v;
    },
  };
}

/** A select of string options (`[value, label]` pairs). */
export function selectField<T extends string>(o: {
  id: string;
  label: string;
  value: T;
  options: readonly (readonly [T, string])[];
}): Control<T> {
  const input = h('select', { id: o.id, name: o.id });
  for (const [v, text] of o.options) {
    input.append(h('option', { value: v, selected: v === o.value }, text));
  }
  return {
    el: wrap(o.id, o.label, input),
    input,
    get: () => input.value as T,
    set: (v) => {
      input.value = v;
    },
  };
}

/** A checkbox. */
export function checkField(o: { id: string; label: string; value: boolean }): Control<boolean> {
  const input = h('input', { id: o.id, name: o.id, type: 'checkbox', checked: o.value });
  const el = h('div', { class: 'field check' }, input, h('label', { for: o.id }, o.label));
  return {
    el,
    input,
    get: () => input.checked,
    set: (v) => {
      input.checked = v;
    },
  };
}

/** A button. */
export function button(
  label: string,
  onClick: () => void,
  attrs: Record<string, string | boolean | undefined> = {},
): HTMLButtonElement {
  const b = h('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

/** Paragraphs of plain-language text; `$…$` segments are typeset with KaTeX. */
export function prose(...paragraphs: string[]): HTMLElement {
  return h('div', { class: 'prose' }, ...paragraphs.map((p) => h('p', {}, ...mathText(p))));
}

/** A live status line (read by screen readers and by the e2e tests). */
export function statusLine(id: string): HTMLElement {
  return h('p', { id, class: 'status', role: 'status', 'aria-live': 'polite' });
}

/** Formats a number for display, in the page's locale. */
export function fmt(v: number, digits = 4): string {
  return formatNumber(v, digits);
}

/** Renders a matrix (rows of numbers) as an accessible table. */
export function matrixTable(caption: string, rows: ArrayLike<number>[]): HTMLTableElement {
  const table = h('table', { class: 'matrix' }, h('caption', {}, caption));
  const body = h('tbody');
  for (const r of rows) {
    const tr = h('tr');
    for (let j = 0; j < r.length; j++) tr.append(h('td', {}, fmt(r[j]!, 3)));
    body.append(tr);
  }
  table.append(body);
  return table;
}
