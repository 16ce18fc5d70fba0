/** Delimiter sniffing: which of `,`, `;` and tab splits the first rows into equal field counts. */
import { dsvFormat } from 'd3-dsv';

/** The delimiters a table may use. */
export type TableDelimiter = ',' | ';' | '\t';

/** Candidates in order of preference on a tie. */
const CANDIDATES: readonly TableDelimiter[] = [',', ';', '\t'];
/** Characters read to sniff (the rest of the file is not looked at). */
const HEAD = 64 * 1024;
/** Rows compared. */
const ROWS = 20;

/**
 * The delimiter of a table, guessed from its first rows: each candidate (`,`, `;`, tab) splits them
 * with d3-dsv, and the one that gives every row the same number of fields, and the most fields,
 * wins (`,` first on a tie). A table with one column gives `,`. Quoted fields are respected, so
 * `"1,5";"2,5"` is split on `;`.
 *
 * @example
 * ```ts
 * sniffDelimiter('a;b\n1,5;2\n'); // ';'
 * sniffDelimiter('a\tb\n1\t2\n'); // '\t'
 * ```
 */
export function sniffDelimiter(text: string): TableDelimiter {
  const truncated = text.length > HEAD;
  const head = truncated ? text.slice(0, HEAD) : text;
  let best: TableDelimiter = ',';
  let bestFields = 1;
  for (const d of CANDIDATES) {
    const rows = dsvFormat(d)
      .parseRows(head)
      .filter((r) => !(r.length === 1 && r[0]!.trim() === ''));
    // the last row of a cut head may be partial
    if (truncated && rows.length > 1) rows.pop();
    const sample = rows.slice(0, ROWS);
    if (sample.length === 0) continue;
    const n = sample[0]!.length;
    if (n > bestFields && sample.every((r) => r.length === n)) {
      best = d;
      bestFields = n;
    }
  }
  return best;
}
