/**
 * Chapter 8: the numerics of the notes, step by step: bisection on a bracket, fixed-point iteration
 * x ← g(x), and a Monte Carlo estimate converging with its 95 % error band (main thread: cheap).
 */
import { bisect, conditionalExponentialMean, foldIn, key } from '@annlab/core';
import { FormulaError, parseFormula } from '@annlab/formula';
import { lineChartSpec } from '@annlab/plot';
import { pick } from '../i18n/lang.js';
import { bisectionSteps, fixedPointDiagnostics } from '../lessons/numerics.js';
import { type ChartPanel, chartPanel } from '../ui/charts.js';
import { button, fmt, h, numberField, prose, textField } from '../ui/controls.js';
import type { Chapter } from './types.js';

let panels: ChartPanel[] = [];

export { bisectionSteps } from '../lessons/numerics.js';

const strings = () =>
  pick({
    en: {
      title: '8. Numerics',
      bisect:
        'Bisection finds a root of $f$ on $[a, b]$ when $f(a)$ and $f(b)$ have opposite signs: halve the interval, keep the half where the sign changes. Each step gains one binary digit. The notes’ example is $x^3 - 2x - 5$ on $[1, 3]$; its root is $2.0945514815\\ldots$',
      steps: 'Steps',
      cols: ['step', 'a', 'b', 'midpoint m', 'f(m)'],
      root: (r: string, n: number) => `bisect to tolerance: root ${r} after ${n} iterations`,
      bisectButton: 'Bisect',
      fixedTitle: 'Fixed-point iteration',
      fixed:
        "Repeat $x \\leftarrow g(x)$. If $g$ pulls points together near the solution ($|g'| < 1$ there) the iterates converge to $x^* = g(x^*)$; the ratio of successive steps estimates $|g'(x^*)|$. The notes’ example is $g(x) = e^{-x}$: it converges to $x^* = 0.567143\\ldots$, where $|g'(x^*)| = x^* \\approx 0.57$, so each step shrinks the error by about that factor. Their second example rewrites $x^3 + 2x^2 - 9x + 5 = 0$ as $x = (x^3 + 2x^2 + 5)/9$: from $x_0 = 1$ it converges to the root near 0.63, where $|g'| < 1$; from $x_0 = 2$ it runs away, because at the root near 1.65 $|g'| > 1$.",
      fixedPanel: 'Fixed-point iterates',
      iteration: 'iteration k',
      converged: (n: number, x: string, res: string, rate: string, slope: string) =>
        `converged after ${n} iterations: x* = ${x}, |g(x*) − x*| = ${res}, observed rate ${rate} ≈ |g′(x*)| = ${slope} < 1`,
      notConverged: (why: string, n: number, x: string, rate: string) =>
        `did not converge (${why}) after ${n} iterations: last x = ${x}, observed rate ${rate}`,
      reasons: {
        converged: 'converged',
        maxIter: 'the iteration limit was reached',
        diverged: 'the steps grew',
        nonFinite: 'a value was not finite',
      } as Record<string, string>,
      iterate: 'Iterate',
      from: (g: string, x0: number) => `${g} from ${x0}`,
      mcTitle: 'Monte Carlo',
      mc: 'The notes estimate $E[X \\mid Y = y]$ for $X \\mid Y \\sim \\mathrm{Exp}(Y)$, exactly $1/y$, by averaging $n$ random draws. The error shrinks like $1/\\sqrt{n}$: four times the draws for half the error. The band is the 95 % confidence interval.',
      mcPanel: 'Monte Carlo estimate and band',
      badY: (v: string) => `y must be a finite number > 0, got ${v}`,
      estimate: 'estimate',
      band: '95 % band',
      bandUpper: '95 % band (upper)',
      exactOf: 'exact 1/y',
      draws: 'draws n',
      estimateOf: 'estimate of E[X | Y = y]',
      mcOut: (n: number, m: string, e: string, lo: string, hi: string) =>
        `n = ${n}: ${m} (exact ${e}), 95 % band [${lo}, ${hi}]`,
      estimateButton: 'Estimate',
    },
    'zh-CN': {
      title: '8. 数值方法',
      bisect:
        '当 $f(a)$ 与 $f(b)$ 异号时，二分法能在 $[a, b]$ 上找到 $f$ 的一个根：把区间对半分，保留符号改变的那一半。每一步得到一位二进制数字。讲义的例子是 $[1, 3]$ 上的 $x^3 - 2x - 5$，它的根是 $2.0945514815\\ldots$',
      steps: '步数',
      cols: ['步', 'a', 'b', '中点 m', 'f(m)'],
      root: (r: string, n: number) => `二分到容差：${n} 次迭代后得到根 ${r}`,
      bisectButton: '二分',
      fixedTitle: '不动点迭代',
      fixed:
        "反复执行 $x \\leftarrow g(x)$。如果 $g$ 在解附近把点拉拢（那里 $|g'| < 1$），迭代就收敛到 $x^* = g(x^*)$；相邻两步之比可以估计 $|g'(x^*)|$。讲义的例子是 $g(x) = e^{-x}$：它收敛到 $x^* = 0.567143\\ldots$，此处 $|g'(x^*)| = x^* \\approx 0.57$，所以每一步误差大约缩小到这个倍数。第二个例子把 $x^3 + 2x^2 - 9x + 5 = 0$ 改写成 $x = (x^3 + 2x^2 + 5)/9$：从 $x_0 = 1$ 出发收敛到 0.63 附近的根，那里 $|g'| < 1$；从 $x_0 = 2$ 出发则发散，因为 1.65 附近的根处 $|g'| > 1$。",
      fixedPanel: '不动点迭代的各步',
      iteration: '迭代次数 k',
      converged: (n: number, x: string, res: string, rate: string, slope: string) =>
        `${n} 次迭代后收敛：x* = ${x}，|g(x*) − x*| = ${res}，观测到的收敛率 ${rate} ≈ |g′(x*)| = ${slope} < 1`,
      notConverged: (why: string, n: number, x: string, rate: string) =>
        `${n} 次迭代后未收敛（${why}）：最后的 x = ${x}，观测到的收敛率 ${rate}`,
      reasons: {
        converged: '已收敛',
        maxIter: '达到迭代次数上限',
        diverged: '步长越来越大',
        nonFinite: '出现非有限值',
      } as Record<string, string>,
      iterate: '迭代',
      from: (g: string, x0: number) => `${g}，从 ${x0} 开始`,
      mcTitle: '蒙特卡罗方法',
      mc: '讲义对 $X \\mid Y \\sim \\mathrm{Exp}(Y)$ 估计 $E[X \\mid Y = y]$（精确值为 $1/y$），方法是对 $n$ 个随机抽样取平均。误差按 $1/\\sqrt{n}$ 缩小：抽样数增加到四倍，误差减半。阴影带是 95 % 置信区间。',
      mcPanel: '蒙特卡罗估计及其置信带',
      badY: (v: string) => `y 必须是大于 0 的有限数，实际为 ${v}`,
      estimate: '估计值',
      band: '95 % 置信带',
      bandUpper: '95 % 置信带（上限）',
      exactOf: '精确值 1/y',
      draws: '抽样数 n',
      estimateOf: 'E[X | Y = y] 的估计',
      mcOut: (n: number, m: string, e: string, lo: string, hi: string) =>
        `n = ${n}：${m}（精确值 ${e}），95 % 置信区间 [${lo}, ${hi}]`,
      estimateButton: '估计',
    },
  });

export const numericsChapter: Chapter = {
  id: 'chapter-8',
  get title() {
    return strings().title;
  },
  mount(el) {
    const S = strings();
    el.append(prose(S.bisect));
    const bf = textField({ id: 'c8-f', label: 'f(x)', value: 'x^3 - 2x - 5' });
    const ba = numberField({ id: 'c8-a', label: 'a', value: 1 });
    const bb = numberField({ id: 'c8-b', label: 'b', value: 3 });
    const bn = numberField({ id: 'c8-steps', label: S.steps, value: 8, min: 1, max: 60, step: 1 });
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
          h('tr', {}, ...S.cols.map((t) => h('th', {}, t))),
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
            S.root(fmt(final.root, 15), final.iterations),
          ),
        );
      } catch (e) {
        bErr.textContent = e instanceof FormulaError || e instanceof Error ? e.message : String(e);
      }
    };
    el.append(
      h(
        'div',
        { class: 'controls' },
        bf.el,
        ba.el,
        bb.el,
        bn.el,
        button(S.bisectButton, runBisect),
      ),
      bErr,
      bOut,
    );

    el.append(h('h2', {}, S.fixedTitle), prose(S.fixed));
    const gf = textField({ id: 'c8-g', label: 'g(x)', value: 'exp(-x)' });
    const g0 = numberField({ id: 'c8-x0', label: 'x₀', value: 1 });
    const gOut = h('div', { id: 'c8-fixed', class: 'steps' });
    const gPanel = chartPanel('fixed-point', S.fixedPanel);
    const runFixed = () => {
      try {
        const f = parseFormula(gf.get());
        const d = fixedPointDiagnostics((x) => f.evaluate(x), g0.get());
        gPanel.draw(
          lineChartSpec({
            series: { name: 'x_k', x: d.history.map((_, k) => k), y: d.history },
            xAxis: { label: S.iteration },
            yAxis: { label: 'x_k' },
            title: `x ← ${gf.get()}`,
          }),
        );
        gOut.textContent = d.converged
          ? S.converged(
              d.iterations,
              fmt(d.x, 12),
              fmt(d.residual, 2),
              fmt(d.rate, 4),
              fmt(d.slope, 4),
            )
          : S.notConverged(
              S.reasons[d.reason] ?? d.reason,
              d.iterations,
              fmt(d.x, 6),
              fmt(d.rate, 3),
            );
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
        button(S.iterate, runFixed),
        button(S.from('e^(−x)', 1), preset('exp(-x)', 1), { id: 'c8-preset-exp' }),
        button(S.from('(x³ + 2x² + 5)/9', 1), preset('(x^3 + 2x^2 + 5)/9', 1), {
          id: 'c8-preset-cubic',
        }),
        button(S.from('(x³ + 2x² + 5)/9', 2), preset('(x^3 + 2x^2 + 5)/9', 2), {
          id: 'c8-preset-cubic-far',
        }),
      ),
      gOut,
    );

    el.append(h('h2', {}, S.mcTitle), prose(S.mc));
    const my = numberField({ id: 'c8-y', label: 'y', value: 2, min: 0.01 });
    const mOut = h('p', { id: 'c8-mc', class: 'status', role: 'status' });
    const mPanel = chartPanel('monte-carlo', S.mcPanel);
    panels = [gPanel, mPanel];
    const runMc = () => {
      const y = my.get();
      if (!(y > 0 && Number.isFinite(y))) {
        mOut.textContent = S.badY(my.input.value);
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
            { name: S.estimate, x: ns, y: mean },
            { name: S.band, x: ns, y: lo },
            { name: S.bandUpper, x: ns, y: hi },
            { name: S.exactOf, x: ns, y: ns.map(() => 1 / y) },
          ],
          xAxis: { label: S.draws, type: 'log' },
          yAxis: { label: S.estimateOf },
        }),
      );
      mOut.textContent = S.mcOut(
        ns.at(-1)!,
        fmt(mean.at(-1)!, 6),
        fmt(1 / y, 6),
        fmt(lo.at(-1)!, 6),
        fmt(hi.at(-1)!, 6),
      );
      Object.assign(mOut.dataset, {
        mean: String(mean.at(-1)),
        lo: String(lo.at(-1)),
        hi: String(hi.at(-1)),
        exact: String(1 / y),
      });
    };
    el.append(
      h('div', { class: 'controls' }, my.el, button(S.estimateButton, runMc)),
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
