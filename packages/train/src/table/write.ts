/** Writing predictions back as a table (CSV/TSV text, or records for JSON). */
import { ShapeError } from '@annlab/core';
import { invalidArgument } from '@annlab/core/internal';
import { dsvFormat } from 'd3-dsv';
import type { TableDelimiter } from './sniff.js';

/** Predictions for `rows` input rows, with what they were computed from. */
export interface PredictionTableInput {
  readonly rows: number;
  /** Inputs, `rows × xColumns.length` row-major (written first); leave out to write outputs only. */
  readonly x?: ArrayLike<number>;
  readonly xColumns?: readonly string[];
  /** Model outputs, `rows × outputs` row-major: values (regression) or probabilities. */
  readonly outputs: ArrayLike<number>;
  /** Names of the output columns (regression; default `y0`, `y1`, …). */
  readonly outputColumns?: readonly string[];
  /**
   * Classification: the label of each class; `outputs` then holds each row's class probabilities
   * and the table gets `class` (the most probable label) and `probability` (its probability).
   */
  readonly classes?: readonly string[] | null;
}

/** A table as column names and rows of cells. */
export interface PredictionTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (number | string)[])[];
}

/**
 * The prediction table: the input columns, then the outputs (regression) or `class` and
 * `probability` (classification, the arg-max class; ties go to the lower index).
 *
 * @example
 * ```ts
 * predictionTable({ rows: 2, x: [0, 1], xColumns: ['a'], outputs: [0.9, 0.1, 0.2, 0.8], classes: ['cat', 'dog'] });
 * // { columns: ['a', 'class', 'probability'], rows: [[0, 'cat', 0.9], [1, 'dog', 0.8]] }
 * ```
 */
export function predictionTable(p: PredictionTableInput): PredictionTable {
  const fn = 'predictionTable';
  const n = p.rows;
  if (!Number.isInteger(n) || n < 0) throw invalidArgument(fn, 'rows', n, 'an integer ≥ 0');
  const xCols = p.x === undefined ? [] : (p.xColumns ?? []);
  if (p.x !== undefined && p.x.length !== n * xCols.length) {
    throw new ShapeError(
      `${fn}: x must hold rows × xColumns.length = ${n} × ${xCols.length} values, got ${p.x.length}`,
      fn,
      'x',
    );
  }
  const width = n === 0 ? 0 : p.outputs.length / n;
  if (!Number.isInteger(width) || (n > 0 && width < 1)) {
    throw new ShapeError(
      `${fn}: outputs must hold rows × outputs values (a multiple of ${n}), got ${p.outputs.length}`,
      fn,
      'outputs',
    );
  }
  const classes = p.classes ?? null;
  if (classes !== null && n > 0 && classes.length !== width) {
    throw new ShapeError(
      `${fn}: classes has ${classes.length} labels but outputs has ${width} per row`,
      fn,
      'classes',
    );
  }
  const outNames =
    classes !== null
      ? ['class', 'probability']
      : (p.outputColumns ?? Array.from({ length: width }, (_, k) => `y${k}`));
  if (classes === null && n > 0 && outNames.length !== width) {
    throw new ShapeError(
      `${fn}: outputColumns has ${outNames.length} names but outputs has ${width} per row`,
      fn,
      'outputColumns',
    );
  }
  const rows: (number | string)[][] = [];
  for (let i = 0; i < n; i++) {
    const row: (number | string)[] = [];
    for (let c = 0; c < xCols.length; c++) row.push(p.x![i * xCols.length + c]!);
    if (classes !== null) {
      let best = 0;
      for (let k = 1; k < width; k++) {
        if (p.outputs[i * width + k]! > p.outputs[i * width + best]!) best = k;
      }
      row.push(classes[best]!, p.outputs[i * width + best]!);
    } else {
      for (let k = 0; k < width; k++) row.push(p.outputs[i * width + k]!);
    }
    rows.push(row);
  }
  return { columns: [...xCols, ...outNames], rows };
}

/**
 * CSV (or TSV, `;`) text of a table with a header row; numbers in JavaScript's shortest
 * round-trip form, fields quoted where needed, LF line ends, a final newline.
 *
 * @example
 * ```ts
 * formatTable({ columns: ['x', 'y'], rows: [[1, 2.5]] }); // 'x,y\n1,2.5\n'
 * ```
 */
export function formatTable(table: PredictionTable, delimiter: TableDelimiter = ','): string {
  if (delimiter !== ',' && delimiter !== ';' && delimiter !== '\t') {
    throw invalidArgument('formatTable', 'delimiter', delimiter, "',', ';' or '\\t'");
  }
  const cells = [table.columns.map(String), ...table.rows.map((r) => r.map(String))];
  return `${dsvFormat(delimiter).formatRows(cells)}\n`;
}

/**
 * A table as an array of objects keyed by column name (for `--json` output).
 *
 * @example
 * ```ts
 * tableRecords({ columns: ['x', 'y'], rows: [[1, 2.5]] }); // [{ x: 1, y: 2.5 }]
 * ```
 */
export function tableRecords(table: PredictionTable): Record<string, number | string>[] {
  return table.rows.map((r) => Object.fromEntries(table.columns.map((c, i) => [c, r[i]!])));
}
