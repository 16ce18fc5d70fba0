/**
 * Chapter 5: vanishing gradients, as the AD blog teaches them. On a width-one chain the sigmoid's
 * slopes (≤ ¼) shrink the early layers' gradients geometrically; plain ReLU gives exactly zero
 * gradients once any unit's input is negative; leaky ReLU (slope 0.01) avoids the zeros but on a
 * chain still multiplies one small factor per layer. In the blog's wider network (2 hidden layers × 3
 * units, leaky ReLU) the gradients are messy but do not vanish. The readout is written from the
 * numbers the charts draw, so text and chart agree at every setting (main thread: a few hundred
 * backward passes).
 */
import { gradientBarsChartSpec } from '@annlab/plot';
import { firstToLast, type VanishingLesson, vanishingLesson } from '../lessons/vanishing.js';
import { type ChartPanel, chartPanel } from '../ui/charts.js';
import { fmt, h, numberField, prose } from '../ui/controls.js';
import type { Chapter } from './types.js';

export { layerGradients } from '../lessons/vanishing.js';

let panels: ChartPanel[] = [];

/** The readout's sentences for one setting, written from the lesson's numbers. */
export function vanishingReadout(l: VanishingLesson): string[] {
  const n = l.depth;
  const sig = firstToLast(l.sigmoid);
  const leaky = firstToLast(l.leaky);
  const zeros = l.relu.zeroCounts.filter((c) => c === l.relu.points).length;
  const net = l.network.layers;
  const netRatio = Math.min(...net) / Math.max(...net);
  const compare =
    l.leaky[0]! < l.sigmoid[0]!
      ? 'smaller than the sigmoid chain’s'
      : l.leaky[0]! > l.sigmoid[0]!
        ? 'larger than the sigmoid chain’s'
        : 'equal to the sigmoid chain’s';
  return [
    `Chain of N = ${n}: the first layer gets ${fmt(sig, 2)} × the last layer’s gradient with sigmoid, ${fmt(leaky, 2)} × with leaky ReLU (its first layer’s ${fmt(l.leaky[0]!, 2)} is ${compare}, ${fmt(l.sigmoid[0]!, 2)}).`,
    `Plain ReLU: ${zeros} of ${n} layers get a gradient of exactly 0 at all ${l.relu.points} points; at ${l.relu.deadPoints} of the points some unit’s input is negative.`,
    `Network 2 × 3 (leaky ReLU): mean |∂L/∂W| per layer ${net.map((v) => fmt(v, 2)).join(', ')}; the smallest layer gets ${fmt(netRatio, 2)} × the largest: uneven, but nothing vanishes.`,
  ];
}

export const vanishingChapter: Chapter = {
  id: 'chapter-5',
  title: '5. Vanishing gradients',
  mount(el) {
    el.append(
      prose(
        'The gradient of an early layer is a product of one factor per later layer, δ_i·w_i. The sigmoid’s slope δ is at most ¼, so with many sigmoid layers the product shrinks geometrically: the first layers barely learn.',
        'Plain ReLU has slope 0 for negative inputs: on a chain of width one, once any unit’s input is negative, every earlier layer’s gradient is exactly zero. Leaky ReLU (slope 0.01 for negative inputs) never gives exactly zero, but on a chain it still multiplies one factor per layer, 0.01 or 1 times a weight, so its gradients can shrink just as fast as the sigmoid’s.',
        'What helps is width. In the blog’s network of 2 hidden layers × 3 units with leaky ReLU, each gradient is a sum over many paths: the gradients are messy (different sizes in each layer and weight) but they do not vanish. Move the sliders: the readout below is computed from the bars.',
      ),
    );
    const depth = numberField({
      id: 'c5-depth',
      label: 'Depth N of the chain',
      value: 12,
      min: 2,
      max: 40,
      step: 1,
    });
    depth.input.type = 'range';
    const seed = numberField({ id: 'c5-seed', label: 'Key (seed)', value: 0, min: 0, step: 1 });
    const readout = h('div', { id: 'c5-readout', class: 'status', role: 'status' });
    const chain = chartPanel('vanishing-gradients', 'Mean gradient per layer of the chain');
    const network = chartPanel('leaky-network-gradients', 'Gradients of the 2 × 3 network');
    panels = [chain, network];
    const update = () => {
      const n = Math.min(40, Math.max(2, Math.round(depth.get())));
      const s = Math.max(0, Math.round(seed.get()) || 0);
      const l = vanishingLesson(n, s);
      chain.draw(
        gradientBarsChartSpec({
          series: [
            { name: 'sigmoid chain', values: l.sigmoid },
            { name: 'leaky ReLU chain', values: l.leaky },
          ],
          yAxis: { label: 'mean |∂L/∂w_i|' },
          title: `Chain of depth N = ${n} (plain ReLU: exactly 0, not drawn on a log axis)`,
        }),
      );
      const w = l.network.weights;
      network.draw(
        gradientBarsChartSpec({
          series: [
            { name: 'smallest weight', values: w.map((x) => Math.min(...x)) },
            { name: 'mean', values: l.network.layers },
            { name: 'largest weight', values: w.map((x) => Math.max(...x)) },
          ],
          yAxis: { label: '|∂L/∂W|' },
          title: 'Network 1 → 3 → 3 → 1, leaky ReLU',
        }),
      );
      readout.replaceChildren(...vanishingReadout(l).map((t) => h('p', {}, t)));
      Object.assign(readout.dataset, {
        depth: String(n),
        sigmoidRatio: String(firstToLast(l.sigmoid)),
        leakyRatio: String(firstToLast(l.leaky)),
        sigmoidFirst: String(l.sigmoid[0]),
        leakyFirst: String(l.leaky[0]),
        reluZeroLayers: String(l.relu.zeroCounts.filter((c) => c === l.relu.points).length),
        networkRatio: String(Math.min(...l.network.layers) / Math.max(...l.network.layers)),
      });
    };
    depth.input.addEventListener('input', update);
    seed.input.addEventListener('input', update);
    el.append(
      h('div', { class: 'controls' }, depth.el, seed.el),
      readout,
      h('div', { class: 'charts' }, chain.el, network.el),
    );
    update();
  },
  unmount() {
    for (const p of panels) p.destroy();
    panels = [];
  },
};
