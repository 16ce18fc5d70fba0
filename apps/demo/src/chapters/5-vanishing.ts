/**
 * Chapter 5: vanishing gradients. A deep width-one chain with sigmoid hidden layers against the same
 * chain with leaky ReLU: the mean |∂L/∂w_i| per layer at initialisation, over the data of Example 1,
 * as bars on a log axis, with a depth slider (computed on the main thread: one backward pass per
 * point).
 */
import { type ActivationSpec, chainGradient, initChain, key } from '@annlab/core';
import { gradientBarsChartSpec } from '@annlab/plot';
import { type ChartPanel, chartPanel } from '../ui/charts.js';
import { fmt, h, numberField, prose } from '../ui/controls.js';
import { linspace } from '../ui/run.js';
import type { Chapter } from './types.js';

let panels: ChartPanel[] = [];

/** Mean |∂L/∂w_i| over the points, per layer, for a chain of the given hidden activation. */
export function layerGradients(depth: number, hidden: ActivationSpec, seed: number): number[] {
  const p = initChain(key(seed), depth);
  const acts: ActivationSpec[] = [...new Array<ActivationSpec>(depth - 1).fill(hidden), 'identity'];
  const xs = linspace(0.5, 3, 50);
  const sum = new Array<number>(depth).fill(0);
  for (const x of xs) {
    const g = chainGradient(p, x, -3 * x + 2, { activations: acts });
    for (let i = 0; i < depth; i++) sum[i]! += Math.abs(g.dw[i]!);
  }
  return sum.map((s) => Math.max(s / xs.length, 1e-300));
}

export const vanishingChapter: Chapter = {
  id: 'chapter-5',
  title: '5. Vanishing gradients',
  mount(el) {
    el.append(
      prose(
        'The gradient of an early layer is a product of one factor per later layer, δ_i·w_i. The sigmoid’s slope is at most ¼, so with many sigmoid layers the product shrinks geometrically: the first layers barely learn. Leaky ReLU has slope 1 for positive inputs, so its gradients do not shrink that way.',
        'Move the depth slider and compare the bars (a log scale: each grid line is ten times smaller).',
      ),
    );
    const depth = numberField({
      id: 'c5-depth',
      label: 'Depth N',
      value: 12,
      min: 2,
      max: 40,
      step: 1,
    });
    depth.input.type = 'range';
    const seed = numberField({ id: 'c5-seed', label: 'Key (seed)', value: 0, min: 0, step: 1 });
    const readout = h('p', { id: 'c5-readout', class: 'status', role: 'status' });
    const panel = chartPanel('vanishing-gradients', 'Mean gradient per layer');
    panels = [panel];
    const update = () => {
      const n = Math.min(40, Math.max(2, Math.round(depth.get())));
      const s = Math.max(0, Math.round(seed.get()) || 0);
      const sig = layerGradients(n, 'sigmoid', s);
      const relu = layerGradients(n, 'leakyRelu', s);
      panel.draw(
        gradientBarsChartSpec({
          series: [
            { name: 'sigmoid', values: sig },
            { name: 'leaky ReLU', values: relu },
          ],
          yAxis: { label: 'mean |∂L/∂w_i|' },
          title: `Depth N = ${n}`,
        }),
      );
      readout.textContent = `N = ${n}: first layer ${fmt(sig[0]!)} (sigmoid) vs ${fmt(relu[0]!)} (leaky ReLU)`;
    };
    depth.input.addEventListener('input', update);
    seed.input.addEventListener('input', update);
    el.append(
      h('div', { class: 'controls' }, depth.el, seed.el),
      readout,
      h('div', { class: 'charts' }, panel.el),
    );
    update();
  },
  unmount() {
    for (const p of panels) p.destroy();
    panels = [];
  },
};
