/**
 * Chapter 8: the numerics of the notes, step by step: bisection on a bracket, fixed-point iteration
 * x ← g(x), and a Monte Carlo estimate converging with its 95 % error band (main thread: cheap).
 */
import { bisect, conditionalExponentialMean, fixedPoint, foldIn, key } from '@annlab/core';
import { FormulaError, parseFormula } from '@annlab/formula';
import { lineChartSpec } from '@annlab/plot';
import { type ChartPanel, chartPanel } from '../ui/charts.js';
import { button, fmt, h, numberField, prose, textField } from '../ui/controls.js';
import type { Chapter } from './types.js';

let panels: ChartPanel[] = [];

/** The brackets bisection visits on f over [a, b], at most `steps` of them. */
export function bisectionSteps(
  f: (x: number) => number,
  a: number,
  b: number,
  steps: number,
): { a: number; b: number; m: number; fm: number }[] {
  const out: { a: number; b: number; m: number; fm: number }[] = [];
  let fa = f(a);
  for (let k = 0; k < steps; k++) {
    const m = a + (b - a) / 2;
    const fm = f(m);
    out.push({ a, b, m, fm });
    if (fm === 0) break;
    if (Math.sign(fm) === Math.sign(fa)) {
      a = m;
      fa = fm;
    } else {
      b = m;
    }
  }
  return out;
}

export const numericsChapter: Chapter = {
  id: 'chapter-8',
  title: '8. Numerics',
  mount(el) {
    el.append(
      prose(
        'Bisection finds a root of f on [a, b] when f(a) and f(b) have opposite signs: halve the interval, keep the half where the sign changes. Each step gains one binary digit.',
      ),
    );
    const bf = textField({ id: 'c8-f', label: 'f(x)', value: 'x^2 - 2' });
    const ba = numberField({ id: 'c8-a', label: 'a', value: 0 });
    const bb = numberField({ id: 'c8-b', label: 'b', value: 2 });
    const bn = numberField({ id: 'c8-steps', label: 'Steps', value: 8, min: 1, max: 60, step: 1 });
    const bOut = h('div', { id: 'c8-bisect', class: 'steps' });
    const bErr = h('p', { class: 'error', role: 'alert' });
    const runBisect = () => {
      bErr.textContent = '';
      try {
        const f = parseFormula(bf.get());
        const g = (x: number) => f.evaluate(x);
        const steps = bisectionSteps(g, ba.get(), bb.get(), Math.round(bn.get()));
        const final = bisect(g, ba.get(), bb.get());
        const table = h(
          'table',
          {},
          h('tr', {}, ...['step', 'a', 'b', 'midpoint m', 'f(m)'].map((t) => h('th', {}, t))),
          ...steps.map((s, k) =>
            h(
              'tr',
              {},
              ...[String(k + 1), fmt(s.a, 8), fmt(s.b, 8), fmt(s.m, 10), fmt(s.fm, 3)].map((t) =>
                h('td', {}, t),
              ),
            ),
          ),
        );
        bOut.replaceChildren(
          table,
          h(
            'p',
            {},
            `bisect to tolerance: root ${fmt(final.root, 15)} after ${final.iterations} iterations`,
          ),
        );
      } catch (e) {
        bErr.textContent = e instanceof FormulaError || e instanceof Error ? e.message : String(e);
      }
    };
    el.append(
      h('div', { class: 'controls' }, bf.el, ba.el, bb.el, bn.el, button('Bisect', runBisect)),
      bErr,
      bOut,
    );

    el.append(
      h('h2', {}, 'Fixed-point iteration'),
      prose(
        'Repeat x ← g(x). If g pulls points together near the solution (|g′| < 1 there) the iterates converge to x* = g(x*); the ratio of successive steps estimates |g′(x*)|.',
      ),
    );
    const gf = textField({ id: 'c8-g', label: 'g(x)', value: 'cos(x)' });
    const g0 = numberField({ id: 'c8-x0', label: 'x₀', value: 1 });
    const gOut = h('div', { id: 'c8-fixed', class: 'steps' });
    const gPanel = chartPanel('fixed-point', 'Fixed-point iterates');
    const runFixed = () => {
      try {
        const f = parseFormula(gf.get());
        const r = fixedPoint((x) => f.evaluate(x), g0.get(), { history: true, maxIter: 200 });
        const hist = r.history ?? [];
        gPanel.draw(
          lineChartSpec({
            series: { name: 'x_k', x: hist.map((_, k) => k), y: hist },
            xAxis: { label: 'iteration k' },
            yAxis: { label: 'x_k' },
          }),
        );
        gOut.textContent = `${r.reason} after ${r.iterations} iterations: x = ${fmt(r.x, 15)}, rate ≈ ${fmt(r.rateEstimate, 3)}`;
      } catch (e) {
        gOut.textContent = (e as Error).message;
      }
    };
    el.append(h('div', { class: 'controls' }, gf.el, g0.el, button('Iterate', runFixed)), gOut);

    el.append(
      h('h2', {}, 'Monte Carlo'),
      prose(
        'The notes estimate E[X | Y = y] for X | Y ~ Exp(Y), exactly 1/y, by averaging n random draws. The error shrinks like 1/√n: four times the draws for half the error. The band is the 95 % confidence interval.',
      ),
    );
    const my = numberField({ id: 'c8-y', label: 'y', value: 2, min: 0.01 });
    const mOut = h('p', { id: 'c8-mc', class: 'status', role: 'status' });
    const mPanel = chartPanel('monte-carlo', 'Monte Carlo estimate and band');
    panels = [gPanel, mPanel];
    const runMc = () => {
      const y = my.get();
      if (!(y > 0 && Number.isFinite(y))) {
        mOut.textContent = `y must be a finite number > 0, got ${my.input.value}`;
        return;
      }
      const ns: number[] = [];
      for (let e = 1; e <= 5; e += 0.25) ns.push(Math.round(10 ** e));
      const mean: number[] = [];
      const lo: number[] = [];
      const hi: number[] = [];
      ns.forEach((n, i) => {
        const r = conditionalExponentialMean(y, foldIn(key(0), i), n);
        mean.push(r.mean);
        lo.push(r.ci95[0]);
        hi.push(r.ci95[1]);
      });
      mPanel.draw(
        lineChartSpec({
          series: [
            { name: 'estimate', x: ns, y: mean },
            { name: '95 % band', x: ns, y: lo },
            { name: '95 % band (upper)', x: ns, y: hi },
            { name: 'exact 1/y', x: ns, y: ns.map(() => 1 / y) },
          ],
          xAxis: { label: 'draws n', type: 'log' },
          yAxis: { label: 'estimate of E[X | Y = y]' },
        }),
      );
      mOut.textContent = `n = ${ns.at(-1)}: ${fmt(mean.at(-1)!, 6)} (exact ${fmt(1 / y, 6)})`;
    };
    el.append(
      h('div', { class: 'controls' }, my.el, button('Estimate', runMc)),
      mOut,
      h('div', { class: 'charts' }, gPanel.el, mPanel.el),
    );
    runBisect();
    runFixed();
    runMc();
  },
  unmount() {
    for (const p of panels) p.destroy();
    panels = [];
  },
};
