/**
 * The demo's languages: English and the Chinese edition (zh-CN, in the Chinese lecture's terms).
 * The language is kept in the page's query (`?lang=zh-CN`, before the `#/chapter` route, so the
 * router and the playground's URL state are untouched) and defaults from `navigator.language`.
 * Every chapter keeps its strings for both languages side by side and reads them with {@link pick}.
 */

/** The languages the demo speaks. */
export const LANGS = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGS)[number];

/**
 * The language for a page: `?lang=` when it names one of {@link LANGS}, else Chinese for any
 * `zh*` browser language, else English.
 *
 * @example
 * ```ts
 * detectLang('?lang=zh-CN', 'en-US'); // 'zh-CN'
 * detectLang('', 'zh-TW'); // 'zh-CN'
 * ```
 */
export function detectLang(search: string, navigatorLanguage: string | undefined): Lang {
  const asked = new URLSearchParams(search).get('lang');
  if (asked === 'en' || asked === 'zh-CN') return asked;
  return /^zh\b/i.test(navigatorLanguage ?? '') ? 'zh-CN' : 'en';
}

let current: Lang = 'en';

/** Sets the page's language (once, at start-up). */
export function setLang(lang: Lang): void {
  current = lang;
}

/** The page's language. */
export function lang(): Lang {
  return current;
}

/**
 * This language's entry of a pair of translations.
 *
 * @example
 * ```ts
 * const S = pick({ en: { train: 'Train' }, 'zh-CN': { train: '训练' } });
 * ```
 */
export function pick<T>(m: { readonly en: T; readonly 'zh-CN': T }): T {
  return m[current];
}

/**
 * A number in the page's locale with `digits` significant digits; very small or large magnitudes
 * in exponent notation (`1.2e-5`, the same in both languages).
 *
 * @example
 * ```ts
 * formatNumber(0.123456, 4); // '0.1235'
 * ```
 */
export function formatNumber(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(digits - 1);
  return new Intl.NumberFormat(current, {
    maximumSignificantDigits: digits,
    useGrouping: false,
  }).format(v);
}
