/**
 * SVG text helpers: escaping, coordinate formatting and math-aware labels. Every piece of user text
 * reaches the SVG through {@link escapeXml} or {@link richText}; no SVG is built from raw user text.
 */

/** The typographic minus sign U+2212, used for negative numbers and in math labels. */
export const MINUS = '\u2212';

/**
 * Escapes text for an SVG text node or a double-quoted attribute (`&`, `<`, `>`, `"`, `'`), and drops
 * characters XML 1.0 forbids (C0 controls other than tab, newline and carriage return, lone
 * surrogates, U+FFFE and U+FFFF).
 *
 * @example
 * escapeXml('a < b & "c"'); // 'a &lt; b &amp; &quot;c&quot;'
 */
export function escapeXml(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing XML-forbidden controls is the point
  const clean = text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
  return clean
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Formats a pixel coordinate: at most 2 decimals, no trailing zeros, never `-0`, `NaN` or
 * `Infinity` (non-finite input gives `0`; callers treat non-finite points as gaps before this).
 *
 * @example
 * num(12.3456); // '12.35'
 */
export function num(value: number): string {
  if (!Number.isFinite(value)) return '0';
  const r = Math.round(value * 100) / 100;
  return r === 0 ? '0' : String(r);
}

/**
 * Replaces ASCII hyphen-minus with U+2212 where it means minus: at the start of the text or after a
 * space, bracket or operator, and before a digit, letter, space, `.` or `(`. Hyphens inside words
 * (`leaky-relu`, `x-axis`) stay.
 *
 * @example
 * mathMinus('-3x + 2'); // '−3x + 2'
 * mathMinus('x - 1');   // 'x − 1'
 */
export function mathMinus(text: string): string {
  return text.replace(/(^|[\s([{=+*/,;:^])-(?=[\p{L}\p{N}\s.(])/gu, `$1${MINUS}`);
}

/** Words that stay upright although they are a single letter (English articles). */
const UPRIGHT_LETTERS = new Set(['a', 'A', 'I']);

/**
 * Renders a label as escaped SVG text content in which single Latin letters standing alone (the
 * variables of `−3x + 2`, `log x`, `x·eˣ`) are set in italics, while words (`log`, `sin`, `loss`)
 * stay upright; a hyphen meaning minus becomes U+2212 (see {@link mathMinus}).
 *
 * @example
 * richText('log x'); // 'log <tspan font-style="italic">x</tspan>'
 */
export function richText(text: string): string {
  const s = mathMinus(text);
  let out = '';
  let last = 0;
  for (const m of s.matchAll(/[A-Za-z\u00C0-\u024F]+/g)) {
    const word = m[0];
    const i = m.index ?? 0;
    if (word.length !== 1 || UPRIGHT_LETTERS.has(word)) continue;
    out += escapeXml(s.slice(last, i));
    out += `<tspan font-style="italic">${escapeXml(word)}</tspan>`;
    last = i + 1;
  }
  return out + escapeXml(s.slice(last));
}

/**
 * Rough width of a text in pixels for layout (legend boxes, margins): 0.6 em per character, 1 em
 * per wide (CJK, full-width) character, which over-estimates common fonts a little so that text
 * never overflows its box.
 */
export function textWidth(text: string, fontSize: number): number {
  let n = 0;
  for (const ch of text) {
    if (/\p{M}/u.test(ch)) continue;
    n += WIDE.test(ch) ? 1 : 0.6;
  }
  return n * fontSize;
}

/** CJK ideographs, kana, Hangul, CJK punctuation and full-width forms: about 1 em wide. */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

/** An SVG attribute list from a record; values are escaped, undefined values are skipped. */
export function attrs(record: Record<string, string | number | undefined>): string {
  let out = '';
  for (const key in record) {
    const v = record[key];
    if (v === undefined) continue;
    out += ` ${key}="${typeof v === 'number' ? num(v) : escapeXml(v)}"`;
  }
  return out;
}

/** Superscript digits and minus for exponents (`10⁻³`). */
const SUPERSCRIPT: Record<string, string> = {
  '0': '\u2070',
  '1': '\u00B9',
  '2': '\u00B2',
  '3': '\u00B3',
  '4': '\u2074',
  '5': '\u2075',
  '6': '\u2076',
  '7': '\u2077',
  '8': '\u2078',
  '9': '\u2079',
  '-': '\u207B',
};

/** `10` with a superscript exponent: `powerOfTen(-3)` is `10⁻³`. */
export function powerOfTen(exponent: number): string {
  let sup = '';
  for (const ch of String(exponent)) sup += SUPERSCRIPT[ch] ?? ch;
  return `10${sup}`;
}
