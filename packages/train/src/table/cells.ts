/** Cells of a text table: strict numbers, missing values, class labels. */

/** A decimal number: optional sign, digits with an optional point, optional exponent. */
const NUMBER = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
/** Spellings of non-finite values that get their own message. */
const NON_FINITE = /^\s*[+-]?(?:nan|inf|infinity)\s*$/i;
/** An integer label (sorted numerically when every label is one). */
const INTEGER = /^[+-]?\d+$/;

/**
 * The number a cell holds, parsed strictly: `'1.5'`, `' -2e3 '`, `'.5'`. Anything else (text,
 * `'1,5'`, `'0x10'`, `'NaN'`, `'Inf'`, `'1e999'`, an empty cell) gives NaN; see
 * {@link cellProblem} for why.
 */
export function parseCell(text: string): number {
  if (!NUMBER.test(text)) return Number.NaN;
  const v = Number(text);
  return Number.isFinite(v) ? v : Number.NaN;
}

/** Whether a cell counts as missing: empty or only whitespace. */
export function isMissing(text: string): boolean {
  return text.trim() === '';
}

/** Why a cell that {@link parseCell} rejected is not a number, for an error message. */
export function cellProblem(text: string): string {
  if (NON_FINITE.test(text)) return `${JSON.stringify(text)} is not a finite number`;
  if (NUMBER.test(text)) return `${JSON.stringify(text)} is out of the float64 range`;
  return `${JSON.stringify(text)} is not a number`;
}

/**
 * The class labels found, in index order: numerically sorted when every label is an integer
 * (`'2' < '10'`), otherwise sorted by code unit. Deterministic, so the same file maps the same way.
 */
export function sortLabels(labels: Iterable<string>): string[] {
  const list = [...new Set(labels)];
  if (list.every((l) => INTEGER.test(l))) return list.sort((a, b) => Number(a) - Number(b));
  return list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
