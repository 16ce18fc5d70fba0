/**
 * Reading a CSV/TSV table into training arrays. d3-dsv splits the text (quotes, CRLF); this module
 * checks every selected cell as it is split, so the table's strings are never all held at once.
 */
import { invalidArgument } from '@annlab/core/internal';
import { dsvFormat } from 'd3-dsv';
import { TableError } from '../errors.js';
import { cellProblem, isMissing, parseCell, sortLabels } from './cells.js';
import { sniffDelimiter, type TableDelimiter } from './sniff.js';

/** A column, by header name (a string) or by 0-based index (a number). */
export type ColumnRef = string | number;

/** What the target column holds: numbers to fit, or class labels to classify. */
export type TableTask = 'regression' | 'classification';

/** Default of {@link ReadTableOptions.maxBytes}: 256 MiB. */
export const DEFAULT_MAX_TABLE_BYTES = 256 * 1024 * 1024;

/** Options of {@link readTable}. */
export interface ReadTableOptions {
  /** Input columns, by name or 0-based index. */
  readonly x: ColumnRef | readonly ColumnRef[];
  /** Target columns (one for classification); leave out to read inputs only (prediction). */
  readonly y?: ColumnRef | readonly ColumnRef[];
  /** `'regression'` (default): targets are numbers; `'classification'`: one column of labels. */
  readonly task?: TableTask;
  /** `','`, `';'`, tab, or `'auto'` (default): sniffed from the first rows. */
  readonly delimiter?: TableDelimiter | 'auto';
  /**
   * Whether the first row holds column names. `'auto'` (default): it does when one of its cells is
   * text where the second row has a number (or, in a one-row table, when any cell is text).
   */
  readonly header?: boolean | 'auto';
  /** A row with an empty selected cell: `'error'` (default) or `'drop'` it (counted in `dropped`). */
  readonly missing?: 'error' | 'drop';
  /** The source's name in messages (a file name); default `'<string>'`. */
  readonly name?: string;
  /** Longest text accepted, refused before parsing (default {@link DEFAULT_MAX_TABLE_BYTES}). */
  readonly maxBytes?: number;
  /**
   * A fixed label → index mapping (a trained model's `classes`): labels outside it are errors.
   * Without it the labels found are sorted (see {@link TableData.classes}).
   */
  readonly classes?: readonly string[];
  /** The model's number of outputs: more classes than this is an error. */
  readonly outputs?: number;
}

/** A table read by {@link readTable}: row-major float64 arrays and what they came from. */
export interface TableData {
  /** Rows kept. */
  readonly rows: number;
  /** Inputs, `rows × xColumns.length`, row-major. */
  readonly x: Float64Array;
  /** Names of the input columns (`c<index>` when the table has no header). */
  readonly xColumns: readonly string[];
  /**
   * Targets, `rows × yColumns.length` (regression), or one class index per row (classification);
   * null when `y` was not asked for.
   */
  readonly y: Float64Array | null;
  /** Names of the target columns. */
  readonly yColumns: readonly string[];
  readonly task: TableTask;
  /**
   * Classification: the label of each class index (`classes[k]` is class k). Labels found are
   * sorted numerically when all are integers, otherwise by code unit. Null for regression.
   */
  readonly classes: readonly string[] | null;
  /** Rows dropped for missing values (`missing: 'drop'`). */
  readonly dropped: number;
  readonly delimiter: TableDelimiter;
  /** Whether the first row was read as a header. */
  readonly header: boolean;
  /** All column names of the table, in order. */
  readonly columns: readonly string[];
}

/** A float64 array that doubles when full. */
class Growing {
  data: Float64Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Float64Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  /** Drops the last n values (a row abandoned half way). */
  undo(n: number): void {
    this.length -= n;
  }
  done(): Float64Array {
    return this.data.length === this.length ? this.data : this.data.slice(0, this.length);
  }
}

function asList(v: ColumnRef | readonly ColumnRef[]): readonly ColumnRef[] {
  return typeof v === 'string' || typeof v === 'number' ? [v] : v;
}

function isBlank(row: readonly string[]): boolean {
  return row.length === 1 && row[0]!.trim() === '';
}

/** Whether `first` is a header, given the next row (or null in a one-row table). */
function looksLikeHeader(first: readonly string[], second: readonly string[] | null): boolean {
  const text = (s: string | undefined) =>
    s !== undefined && !isMissing(s) && Number.isNaN(parseCell(s));
  if (second === null) return first.some((s) => text(s));
  return first.some((s, c) => text(s) && !Number.isNaN(parseCell(second[c] ?? '')));
}

function checkOptions(fn: string, o: ReadTableOptions): void {
  if (o === null || typeof o !== 'object') throw invalidArgument(fn, 'options', o, 'an object');
  const refs = (arg: string, v: unknown, required: boolean) => {
    if (v === undefined && !required) return;
    const list = typeof v === 'string' || typeof v === 'number' ? [v] : v;
    if (!Array.isArray(list) || list.length === 0) {
      throw invalidArgument(fn, arg, v, 'a column name or index, or a non-empty array of them');
    }
    for (const r of list) {
      if (typeof r === 'string' ? r === '' : !(Number.isInteger(r) && (r as number) >= 0)) {
        throw invalidArgument(fn, arg, v, 'column names (non-empty strings) or 0-based indices');
      }
    }
  };
  refs('options.x', o.x, true);
  refs('options.y', o.y, false);
  if (o.task !== undefined && o.task !== 'regression' && o.task !== 'classification') {
    throw invalidArgument(fn, 'options.task', o.task, "'regression' or 'classification'");
  }
  if (
    o.delimiter !== undefined &&
    o.delimiter !== 'auto' &&
    o.delimiter !== ',' &&
    o.delimiter !== ';' &&
    o.delimiter !== '\t'
  ) {
    throw invalidArgument(fn, 'options.delimiter', o.delimiter, "',', ';', '\\t' or 'auto'");
  }
  if (o.header !== undefined && o.header !== 'auto' && typeof o.header !== 'boolean') {
    throw invalidArgument(fn, 'options.header', o.header, "true, false or 'auto'");
  }
  if (o.missing !== undefined && o.missing !== 'error' && o.missing !== 'drop') {
    throw invalidArgument(fn, 'options.missing', o.missing, "'error' or 'drop'");
  }
  if (o.maxBytes !== undefined && !(Number.isInteger(o.maxBytes) && o.maxBytes > 0)) {
    throw invalidArgument(fn, 'options.maxBytes', o.maxBytes, 'an integer ≥ 1');
  }
  if (o.outputs !== undefined && !(Number.isInteger(o.outputs) && o.outputs >= 1)) {
    throw invalidArgument(fn, 'options.outputs', o.outputs, 'an integer ≥ 1');
  }
  if (
    o.classes !== undefined &&
    !(
      Array.isArray(o.classes) &&
      o.classes.length >= 2 &&
      o.classes.every((c) => typeof c === 'string') &&
      new Set(o.classes).size === o.classes.length
    )
  ) {
    throw invalidArgument(fn, 'options.classes', o.classes, 'an array of ≥ 2 distinct strings');
  }
  if (o.task === 'classification') {
    if (o.y === undefined && o.classes === undefined) {
      throw invalidArgument(fn, 'options.y', o.y, 'the label column for classification');
    }
    if (o.y !== undefined && asList(o.y).length !== 1) {
      throw invalidArgument(fn, 'options.y', o.y, 'one label column for classification');
    }
  }
}

/** The refusal of a text over the size limit (shared by the string, Blob and file readers). */
export function tooLarge(
  fn: string,
  source: string,
  size: number,
  unit: string,
  max: number,
): TableError {
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 3 : 0)} MiB`;
  return new TableError(
    `${fn}: ${source} is ${size} ${unit} (${mib(size)}), over the limit of ${max} (${mib(max)}); ` +
      'raise options.maxBytes or split the file',
    source,
  );
}

/**
 * Reads a CSV or TSV table from text into training arrays.
 *
 * - d3-dsv splits the text: quoted fields (with delimiters, quotes and newlines inside), CRLF or LF
 *   line ends; a leading byte-order mark is dropped; blank lines are skipped.
 * - The delimiter is sniffed from `,`, `;` and tab unless given; the header is detected unless
 *   given (see {@link ReadTableOptions.header}).
 * - Columns are picked by name or 0-based index. Numbers are parsed strictly (`1.5`, `-2e3`; not
 *   `1,5`, `NaN`, `Inf`, text).
 * - Class labels (strings or integers) are mapped to indices 0..K−1 (stored in `classes`).
 *
 * Every problem is a {@link TableError} naming the source, the row (1-based, the header is row 1)
 * and the column: an empty table, a header without rows, a ragged row, text or NaN/Inf in a numeric
 * column, a missing value (unless `missing: 'drop'`), an unknown column, a single class, more classes
 * than `outputs`, no rows left after dropping, a text over `maxBytes` (refused before parsing).
 *
 * @example
 * ```ts
 * const t = readTable('a,b,label\n0,1,cat\n1,0,dog\n', { x: ['a', 'b'], y: 'label', task: 'classification' });
 * t.x; // Float64Array [0, 1, 1, 0]
 * t.y; // Float64Array [0, 1]
 * t.classes; // ['cat', 'dog']
 * ```
 */
export function readTable(text: string, options: ReadTableOptions): TableData {
  const fn = 'readTable';
  if (typeof text !== 'string') throw invalidArgument(fn, 'text', text, 'a string');
  checkOptions(fn, options);
  const source = options.name ?? '<string>';
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_TABLE_BYTES;
  if (text.length > maxBytes) throw tooLarge(fn, source, text.length, 'characters', maxBytes);
  return parse(fn, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, options, source);
}

function parse(fn: string, text: string, o: ReadTableOptions, source: string): TableData {
  const fail = (message: string, row: number | null = null, column: string | null = null) =>
    new TableError(
      `${fn}: ${source}${row === null ? '' : ` row ${row}`}${column === null ? '' : `, column ${JSON.stringify(column)}`}: ${message}`,
      source,
      row,
      column,
    );
  if (text.trim() === '') throw fail('the table is empty');
  const delimiter =
    o.delimiter === undefined || o.delimiter === 'auto' ? sniffDelimiter(text) : o.delimiter;
  const task: TableTask = o.task ?? 'regression';
  const classify = task === 'classification';
  const xRefs = asList(o.x);
  const yRefs = o.y === undefined ? [] : asList(o.y);
  const fixedClasses =
    o.classes === undefined ? null : new Map(o.classes.map((c, i) => [c, i] as const));

  // Decided at the first rows: the header, the width, the selected column indices.
  let pending: { row: string[]; index: number } | null = null;
  let header: boolean | null = null;
  let names: string[] = [];
  let width = 0;
  let widthRow = 0;
  let xIdx: number[] = [];
  let yIdx: number[] = [];
  let selected: number[] = [];
  let xCap = 0;
  const estimate = Math.ceil(text.length / Math.max(1, text.indexOf('\n') + 1)) + 16;
  let X: Growing | null = null;
  let Y: Growing | null = null;
  const labels: string[] = [];
  let rows = 0;
  let dropped = 0;

  const resolve = (ref: ColumnRef, arg: string): number => {
    if (typeof ref === 'number') {
      if (ref >= width) {
        throw fail(
          `${arg} column index ${ref} is out of range: the table has ${width} column${width === 1 ? '' : 's'} (0..${width - 1})`,
        );
      }
      return ref;
    }
    const at = header ? names.indexOf(ref) : -1;
    if (at < 0) {
      const why = header
        ? `the columns are ${names
            .slice(0, 20)
            .map((n) => JSON.stringify(n))
            .join(', ')}${names.length > 20 ? ', …' : ''}`
        : 'the first row was read as data, not a header; select columns by 0-based index or pass header: true';
      throw fail(`${arg} column ${JSON.stringify(ref)} does not exist: ${why}`, null, ref);
    }
    return at;
  };

  const start = (first: string[], index: number, second: string[] | null): void => {
    header =
      o.header === undefined || o.header === 'auto' ? looksLikeHeader(first, second) : o.header;
    width = first.length;
    widthRow = index + 1;
    names = header ? first.map((s) => s.trim()) : first.map((_, c) => `c${c}`);
    xIdx = xRefs.map((r) => resolve(r, 'x'));
    yIdx = yRefs.map((r) => resolve(r, 'y'));
    selected = [...new Set([...xIdx, ...yIdx])].sort((a, b) => a - b);
    xCap = xIdx.length;
    X = new Growing(estimate * xCap);
    Y = yIdx.length === 0 || classify ? null : new Growing(estimate * yIdx.length);
  };

  const take = (row: string[], index: number): void => {
    const r = index + 1;
    if (row.length !== width) {
      throw fail(
        `has ${row.length} field${row.length === 1 ? '' : 's'}, but row ${widthRow} has ${width} (ragged rows)`,
        r,
      );
    }
    for (const c of selected) {
      if (isMissing(row[c]!)) {
        missingCell(r, c);
        return;
      }
    }
    for (const c of xIdx) {
      const v = parseCell(row[c]!);
      if (Number.isNaN(v)) throw fail(cellProblem(row[c]!), r, names[c]!);
      X!.push(v);
    }
    if (classify && yIdx.length === 1) {
      const label = row[yIdx[0]!]!.trim();
      if (fixedClasses !== null && !fixedClasses.has(label)) {
        throw fail(
          `label ${JSON.stringify(label)} is not one of the model's classes ${JSON.stringify(o.classes)}`,
          r,
          names[yIdx[0]!]!,
        );
      }
      labels.push(label);
    } else if (Y !== null) {
      for (const c of yIdx) {
        const v = parseCell(row[c]!);
        if (Number.isNaN(v)) throw fail(cellProblem(row[c]!), r, names[c]!);
        Y.push(v);
      }
    }
    rows++;
  };

  const missingCell = (r: number, c: number): void => {
    if (o.missing === 'drop') {
      dropped++;
      return;
    }
    throw fail(
      "missing value (an empty cell); pass missing: 'drop' to drop such rows",
      r,
      names[c]!,
    );
  };

  dsvFormat(delimiter).parseRows(text, (row, index) => {
    if (isBlank(row)) return undefined;
    if (header === null) {
      if (pending === null && o.header !== true && o.header !== false) {
        pending = { row, index };
        return undefined;
      }
      if (pending === null) {
        start(row, index, null);
        if (!header) take(row, index);
        return undefined;
      }
      const p: { row: string[]; index: number } = pending;
      start(p.row, p.index, row);
      if (!header) take(p.row, p.index);
      pending = null;
    }
    take(row, index);
    return undefined;
  });
  if (header === null) {
    if (pending === null) throw fail('the table is empty');
    const p: { row: string[]; index: number } = pending;
    start(p.row, p.index, null);
    if (!header) take(p.row, p.index);
  }
  if (rows === 0) {
    if (dropped > 0) {
      throw fail(
        `no rows are left after dropping ${dropped} row${dropped === 1 ? '' : 's'} with missing values`,
      );
    }
    throw fail('the table has a header row but no data rows');
  }

  let y: Float64Array | null = Y === null ? null : (Y as Growing).done();
  let classes: string[] | null = null;
  if (classify) {
    const column = yIdx.length === 1 ? names[yIdx[0]!]! : null;
    if (fixedClasses !== null) {
      classes = [...o.classes!];
    } else if (column !== null) {
      classes = sortLabels(labels);
      if (classes.length < 2) {
        throw fail(
          `the labels have a single class ${JSON.stringify(classes[0])}; classification needs at least 2`,
          null,
          column,
        );
      }
    }
    if (classes !== null && o.outputs !== undefined && classes.length > o.outputs) {
      throw fail(
        `the labels have ${classes.length} classes, more than the model's ${o.outputs} outputs`,
        null,
        column,
      );
    }
    if (column !== null && classes !== null) {
      const index = new Map(classes.map((c, i) => [c, i] as const));
      y = new Float64Array(rows);
      for (let i = 0; i < rows; i++) y[i] = index.get(labels[i]!)!;
    }
  }
  return {
    rows,
    x: (X as unknown as Growing).done(),
    xColumns: xIdx.map((c) => names[c]!),
    y,
    yColumns: yIdx.map((c) => names[c]!),
    task,
    classes,
    dropped,
    delimiter,
    header: header === true,
    columns: names,
  };
}

/**
 * Reads a table from a string or a `File`/`Blob` (a dropped file in the browser). A Blob over
 * `maxBytes` is refused before it is read; a `File`'s name becomes the source in messages.
 *
 * @example
 * ```ts
 * input.onchange = async () => {
 *   const t = await readTableFrom(input.files![0]!, { x: ['x0', 'x1'], y: 'label', task: 'classification' });
 * };
 * ```
 */
export async function readTableFrom(
  source: string | Blob,
  options: ReadTableOptions,
): Promise<TableData> {
  if (typeof source === 'string') return readTable(source, options);
  const fn = 'readTableFrom';
  if (typeof Blob === 'undefined' || !(source instanceof Blob)) {
    throw invalidArgument(fn, 'source', source, 'a string, File or Blob');
  }
  checkOptions(fn, options);
  const name =
    options.name ?? (typeof (source as File).name === 'string' ? (source as File).name : '<blob>');
  const max = options.maxBytes ?? DEFAULT_MAX_TABLE_BYTES;
  if (source.size > max) throw tooLarge(fn, name, source.size, 'bytes', max);
  const text = await source.text();
  return readTable(text, { ...options, name, maxBytes: Math.max(max, text.length) });
}

/** The first rows of a table, for column pickers and messages (see {@link previewTable}). */
export interface TablePreview {
  /** Column names (`c<index>` without a header). */
  readonly columns: readonly string[];
  /** Up to `maxRows` data rows, as text. */
  readonly rows: readonly (readonly string[])[];
  readonly delimiter: TableDelimiter;
  readonly header: boolean;
}

/**
 * The columns and first rows of a table, read from its first 64 KiB only: what a column picker
 * shows before the whole file is read.
 *
 * @example
 * ```ts
 * previewTable('a;b\n1;2\n').columns; // ['a', 'b']
 * ```
 */
export function previewTable(
  text: string,
  options: {
    delimiter?: TableDelimiter | 'auto';
    header?: boolean | 'auto';
    maxRows?: number;
  } = {},
): TablePreview {
  const fn = 'previewTable';
  if (typeof text !== 'string') throw invalidArgument(fn, 'text', text, 'a string');
  const maxRows = options.maxRows ?? 10;
  if (!Number.isInteger(maxRows) || maxRows < 0)
    throw invalidArgument(fn, 'options.maxRows', maxRows, 'an integer ≥ 0');
  let body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const cut = body.length > 64 * 1024;
  if (cut) body = body.slice(0, 64 * 1024);
  const delimiter =
    options.delimiter === undefined || options.delimiter === 'auto'
      ? sniffDelimiter(body)
      : options.delimiter;
  const all = dsvFormat(delimiter)
    .parseRows(body)
    .filter((r) => !isBlank(r));
  if (cut && all.length > 1) all.pop();
  if (all.length === 0) {
    throw new TableError(`${fn}: the table is empty`, '<string>');
  }
  const first = all[0]!;
  const header =
    options.header === undefined || options.header === 'auto'
      ? looksLikeHeader(first, all[1] ?? null)
      : options.header;
  const data = header ? all.slice(1) : all;
  return {
    columns: header ? first.map((s) => s.trim()) : first.map((_, c) => `c${c}`),
    rows: data.slice(0, maxRows),
    delimiter,
    header,
  };
}
