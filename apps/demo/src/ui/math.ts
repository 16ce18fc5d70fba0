/**
 * Typeset math: text with `$…$` segments becomes text nodes and KaTeX spans (rendered in the page,
 * bundled with its CSS and fonts; no network). KaTeX writes MathML beside the HTML, so screen
 * readers read the formula.
 *
 * KaTeX (about 75 KB gzipped) is its own chunk, loaded on the first formula: the span shows the TeX
 * source until it arrives, so the first screen is interactive within the demo's size budget
 * (scripts/demo-size.mjs). `data-math="pending"` marks a span not typeset yet.
 */
type Katex = typeof import('katex').default;

let katexLoad: Promise<Katex> | undefined;
function loadKatex(): Promise<Katex> {
  katexLoad ??= Promise.all([import('katex'), import('katex/dist/katex.min.css')]).then(
    ([m]) => m.default,
  );
  return katexLoad;
}

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
  // Until KaTeX arrives, the TeX source as code (what a reader of the source would see).
  const pending = document.createElement('code');
  pending.textContent = source;
  span.append(pending);
  span.dataset.math = 'pending';
  void loadKatex().then((katex) => {
    span.innerHTML = katex.renderToString(source, {
      displayMode: display,
      throwOnError: false,
      output: 'htmlAndMathml',
    });
    delete span.dataset.math;
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
