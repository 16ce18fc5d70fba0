/**
 * Typeset math: text with `$…$` segments becomes text nodes and formula spans. KaTeX (bundled with
 * its CSS and fonts; no network) is loaded on the first formula, and each span is typeset as soon
 * as it is; until then it shows the formula's source.
 */

type Render = (source: string, display: boolean) => string;
let renderer: Promise<Render> | undefined;

function loadRenderer(): Promise<Render> {
  renderer ??= import('./katexRender.js').then((m) => m.renderTex);
  return renderer;
}

/**
 * One formula as an element, typeset once KaTeX has loaded.
 *
 * @example
 * ```ts
 * el.append(tex('x_{i+1} = h(w_i x_i + b_i)'));
 * ```
 */
export function tex(source: string, display = false): HTMLElement {
  const span = document.createElement('span');
  span.className = 'math';
  span.dataset.tex = source;
  span.textContent = source;
  void loadRenderer().then((render) => {
    span.innerHTML = render(source, display);
    span.dataset.typeset = 'true';
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
