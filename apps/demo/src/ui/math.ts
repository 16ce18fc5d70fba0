/**
 * Typeset math: text with `$…$` segments becomes text nodes and KaTeX spans (rendered in the page,
 * bundled with its CSS and fonts; no network). KaTeX writes MathML beside the HTML, so screen
 * readers read the formula.
 */
import katex from 'katex';
import 'katex/dist/katex.min.css';

/**
 * One formula as a KaTeX element.
 *
 * @example
 * ```ts
 * el.append(tex('x_{i+1} = h(w_i x_i + b_i)'));
 * ```
 */
export function tex(source: string, display = false): HTMLElement {
  const span = document.createElement('span');
  span.className = 'math';
  span.innerHTML = katex.renderToString(source, {
    displayMode: display,
    throwOnError: false,
    output: 'htmlAndMathml',
  });
  return span;
}

/**
 * Splits text at `$…$` (inline) and `$$…$$` (display) and typesets the math.
 *
 * @example
 * ```ts
 * p.append(...mathText('A neuron computes $y = f(w x + b)$.'));
 * ```
 */
export function mathText(text: string): Node[] {
  const out: Node[] = [];
  const re = /\$\$([^$]+)\$\$|\$([^$]+)\$/g;
  let last = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m.index > last) out.push(document.createTextNode(text.slice(last, m.index)));
    out.push(m[1] !== undefined ? tex(m[1], true) : tex(m[2]!));
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(document.createTextNode(text.slice(last)));
  return out;
}
