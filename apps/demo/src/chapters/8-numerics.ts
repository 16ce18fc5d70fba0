/**
 * Chapter 8: the numerics of the notes, step by step: bisection on a bracket, fixed-point iteration
 * x ← g(x), and a Monte Carlo estimate converging with its 95 % error band (main thread: cheap).
 */
import { bisect, conditionalExponentialMean, foldIn, key } from '@annlab/core';
import { FormulaError, parseFormula } from '@annlab/formula';
import { lineChartSpec } from '@annlab/plot';
import { bisectionSteps, fixedPointDiagnostics } from '../lessons/numerics.js';
import { type ChartPanel, chartPanel } from '../ui/charts.js';
import { button, fmt, h, numberField, prose, textField } from '../ui/controls.js';
import type { Chapter } from './types.js';

let panels: ChartPanel[] = [];

export { bisectionSteps } from '../lessons/numerics.js';

export const numericsChapter: Chapter = {
  id: 'chapter-8',
  title: '8. Numerics',
  mount(el) {
    el.append(
      prose(
        'Bisection finds a root of f on [a, b] when f(a) and f(b) have opposite signs: halve the interval, keep the half where the sign changes. Each step gains one binary digit. The notes’ example is x³ − 2x − 5 on [1, 3]; its root is 2.0945514815….',
      ),
    );
    const bf = textField({ id: 'c8-f', label: 'f(x)', value: 'x^3 - 2x - 5' });
    const ba = numberField({ id: 'c8-a', label: 'a', value: 1 });
    const bb = numberField({ id: 'c8-b', label: 'b', value: 3 });
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
            { id: 'c8-root', 'data-root': String(final.root) },
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
        'Repeat x ← g(x). If g pulls points together near the solution (|g′| < 1 there) the iterates converge to x* = g(x*); the ratio of successive steps estimates |g′(x*)|. The notes’ example is g(x) = e^(−x): it converges to x* = 0.567143…, where |g′(x*)| = x* ≈ 0.57, so each step shrinks the error by about that factor. Their second example rewrites x³ + 2x² − 9x + 5 = 0 as x = (x³ + 2x² + 5)/9: from x₀ = 1 it converges to the root near 0.63, where |g′| < 1; from x₀ = 2 it runs away, because at the root near 1.65 |g′| > 1.',
      ),
    );
    const gf = textField({ id: 'c8-g', label: 'g(x)', value: 'exp(-x)' });
    const g0 = numberField({ id: 'c8-x0', label: 'x₀', value: 1 });
    const gOut = h('div', { id: 'c8-fixed', class: 'steps' });
    const gPanel = chartPanel('fixed-point', 'Fixed-point iterates');
    const runFixed = () => {
      try {
        const f = parseFormula(gf.get());
        const d = fixedPointDiagnostics((x) => f.evaluate(x), g0.get());
        gPanel.draw(
          lineChartSpec({
            series: { name: 'x_k', x: d.history.map((_, k) => k), y: d.history },
            xAxis: { label: 'iteration k' },
            yAxis: { label: 'x_k' },
            title: `x ← ${gf.get()}`,
          }),
        );
        gOut.textContent = d.converged
          ? `converged after ${d.iterations} iterations: x* = ${fmt(d.x, 12)}, |g(x*) − x*| = ${fmt(d.residual, 2)}, observed rate ${fmt(d.rate, 4)} ≈ |g′(x*)| = ${fmt(d.slope, 4)} < 1`
          : `did not converge (${d.reason}) after ${d.iterations} iterations: last x = ${fmt(d.x, 6)}, observed rate ${fmt(d.rate, 3)}`;
        Object.assign(gOut.dataset, {
          converged: String(d.converged),
          x: String(d.x),
          rate: String(d.rate),
          slope: String(d.slope),
        });
      } catch (e) {
        gOut.textContent = (e as Error).message;
        gOut.dataset.converged = 'false';
      }
    };
    const preset = (g: string, x0: number) => () => {
      gf.set(g);
      g0.set(x0);
      runFixed();
    };
    el.append(
      h(
        'div',
        { class: 'controls' },
        gf.el,
        g0.el,
        button('Iterate', runFixed),
        button('e^(−x) from 1', preset('exp(-x)', 1), { id: 'c8-preset-exp' }),
        button('(x³ + 2x² + 5)/9 from 1', preset('(x^3 + 2x^2 + 5)/9', 1), {
          id: 'c8-preset-cubic',
        }),
        button('(x³ + 2x² + 5)/9 from 2', preset('(x^3 + 2x^2 + 5)/9', 2), {
          id: 'c8-preset-cubic-far',
        }),
      ),
      gOut,
    );

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
      mOut.textContent = `n = ${ns.at(-1)}: ${fmt(mean.at(-1)!, 6)} (exact ${fmt(1 / y, 6)}), 95 % band [${fmt(lo.at(-1)!, 6)}, ${fmt(hi.at(-1)!, 6)}]`;
      Object.assign(mOut.dataset, {
        mean: String(mean.at(-1)),
        lo: String(lo.at(-1)),
        hi: String(hi.at(-1)),
        exact: String(1 / y),
      });
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
