/**
 * KaTeX and its CSS (fonts included), in a chunk of their own: loaded by `math.ts` on the first
 * formula, so the first screen's JavaScript stays within the demo's size budget.
 */
import katex from 'katex';
import 'katex/dist/katex.min.css';

/** One formula as KaTeX HTML with MathML beside it (read by screen readers). */
export function renderTex(source: string, display: boolean): string {
  return katex.renderToString(source, {
    displayMode: display,
    throwOnError: false,
    output: 'htmlAndMathml',
  });
}
