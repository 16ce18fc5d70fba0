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
import { common } from '../i18n/common.js';
import { pick } from '../i18n/lang.js';
import { firstToLast, type VanishingLesson, vanishingLesson } from '../lessons/vanishing.js';
import { type ChartPanel, chartPanel } from '../ui/charts.js';
import { fmt, h, numberField, prose } from '../ui/controls.js';
import type { Chapter } from './types.js';

export { layerGradients } from '../lessons/vanishing.js';

let panels: ChartPanel[] = [];

const strings = () =>
  pick({
    en: {
      title: '5. Vanishing gradients',
      smaller: 'smaller than the sigmoid chain’s',
      larger: 'larger than the sigmoid chain’s',
      equal: 'equal to the sigmoid chain’s',
      chain: (
        n: number,
        sig: string,
        leaky: string,
        first: string,
        compare: string,
        sfirst: string,
      ) =>
        `Chain of N = ${n}: the first layer gets ${sig} × the last layer’s gradient with sigmoid, ${leaky} × with leaky ReLU (its first layer’s ${first} is ${compare}, ${sfirst}).`,
      relu: (zeros: number, n: number, points: number, dead: number) =>
        `Plain ReLU: ${zeros} of ${n} layers get a gradient of exactly 0 at all ${points} points; at ${dead} of the points some unit’s input is negative.`,
      net: (layers: string, ratio: string) =>
        `Network 2 × 3 (leaky ReLU): mean |∂L/∂W| per layer ${layers}; the smallest layer gets ${ratio} × the largest: uneven, but nothing vanishes.`,
      p1: 'The gradient of an early layer is a product of one factor per later layer, $\\delta_i w_i$. The sigmoid’s slope $\\delta$ is at most $\\tfrac14$, so with many sigmoid layers the product shrinks geometrically: the first layers barely learn.',
      p2: 'Plain ReLU has slope 0 for negative inputs: on a chain of width one, once any unit’s input is negative, every earlier layer’s gradient is exactly zero. Leaky ReLU (slope 0.01 for negative inputs) never gives exactly zero, but on a chain it still multiplies one factor per layer, 0.01 or 1 times a weight, so its gradients can shrink just as fast as the sigmoid’s.',
      p3: 'What helps is width. In the blog’s network of 2 hidden layers × 3 units with leaky ReLU, each gradient is a sum over many paths: the gradients are messy (different sizes in each layer and weight) but they do not vanish. Move the sliders: the readout below is computed from the bars.',
      depth: 'Depth N of the chain',
      chainPanel: 'Mean gradient per layer of the chain',
      netPanel: 'Gradients of the 2 × 3 network',
      sigmoidChain: 'sigmoid chain',
      leakyChain: 'leaky ReLU chain',
      chainTitle: (n: number) =>
        `Chain of depth N = ${n} (plain ReLU: exactly 0, not drawn on a log axis)`,
      smallest: 'smallest weight',
      mean: 'mean',
      meanAxis: 'mean |∂L/∂w_i|',
      largest: 'largest weight',
      netTitle: 'Network 1 → 3 → 3 → 1, leaky ReLU',
    },
    'zh-CN': {
      title: '5. 梯度消失',
      smaller: '小于 sigmoid 链的',
      larger: '大于 sigmoid 链的',
      equal: '等于 sigmoid 链的',
      chain: (
        n: number,
        sig: string,
        leaky: string,
        first: string,
        compare: string,
        sfirst: string,
      ) =>
        `N = ${n} 的链：第一层的梯度是最后一层的 ${sig} 倍（sigmoid）、${leaky} 倍（leaky ReLU）；leaky ReLU 第一层的 ${first} ${compare} ${sfirst}。`,
      relu: (zeros: number, n: number, points: number, dead: number) =>
        `普通 ReLU：${n} 层中有 ${zeros} 层在全部 ${points} 个点上梯度恰好为 0；在 ${dead} 个点上有某个单元的输入为负。`,
      net: (layers: string, ratio: string) =>
        `2 × 3 网络（leaky ReLU）：各层平均 |∂L/∂W| 为 ${layers}；最小的一层是最大一层的 ${ratio} 倍：参差不齐，但没有消失。`,
      p1: '前面某一层的梯度是后面每一层各一个因子 $\\delta_i w_i$ 的乘积。sigmoid 的斜率 $\\delta$ 至多为 $\\tfrac14$，因此 sigmoid 层一多，乘积就按几何级数缩小：前面几层几乎学不动。',
      p2: '普通 ReLU 在输入为负时斜率为 0：在宽度为一的链上，只要某个单元的输入为负，它之前每一层的梯度都恰好为零。Leaky ReLU（负输入时斜率 0.01）永远不会恰好为零，但在链上它仍然每层乘一个因子（0.01 或 1 乘以权重），所以它的梯度可能和 sigmoid 一样快地缩小。',
      p3: '真正有帮助的是宽度。在博客中 2 个隐藏层 × 3 个单元、使用 leaky ReLU 的网络里，每个梯度都是许多路径之和：梯度参差不齐（每层、每个权重大小不同），但不会消失。拖动滑块：下面的读数就是由柱状图的数据算出的。',
      depth: '链的深度 N',
      chainPanel: '链的各层平均梯度',
      netPanel: '2 × 3 网络的梯度',
      sigmoidChain: 'sigmoid 链',
      leakyChain: 'leaky ReLU 链',
      chainTitle: (n: number) => `深度 N = ${n} 的链（普通 ReLU 恰为 0，对数坐标上不画出）`,
      smallest: '最小的权重',
      mean: '平均',
      meanAxis: '平均 |∂L/∂w_i|',
      largest: '最大的权重',
      netTitle: '网络 1 → 3 → 3 → 1，leaky ReLU',
    },
  });

/** The readout's sentences for one setting, written from the lesson's numbers. */
export function vanishingReadout(l: VanishingLesson): string[] {
  const S = strings();
  const n = l.depth;
  const sig = firstToLast(l.sigmoid);
  const leaky = firstToLast(l.leaky);
  const zeros = l.relu.zeroCounts.filter((c) => c === l.relu.points).length;
  const net = l.network.layers;
  const netRatio = Math.min(...net) / Math.max(...net);
  const compare =
    l.leaky[0]! < l.sigmoid[0]! ? S.smaller : l.leaky[0]! > l.sigmoid[0]! ? S.larger : S.equal;
  return [
    S.chain(n, fmt(sig, 2), fmt(leaky, 2), fmt(l.leaky[0]!, 2), compare, fmt(l.sigmoid[0]!, 2)),
    S.relu(zeros, n, l.relu.points, l.relu.deadPoints),
    S.net(net.map((v) => fmt(v, 2)).join(', '), fmt(netRatio, 2)),
  ];
}

export const vanishingChapter: Chapter = {
  id: 'chapter-5',
  get title() {
    return strings().title;
  },
  mount(el) {
    const S = strings();
    const C = common();
    el.append(prose(S.p1, S.p2, S.p3));
    const depth = numberField({
      id: 'c5-depth',
      label: S.depth,
      value: 12,
      min: 2,
      max: 40,
      step: 1,
    });
    depth.input.type = 'range';
    const seed = numberField({ id: 'c5-seed', label: C.key, value: 0, min: 0, step: 1 });
    const readout = h('div', { id: 'c5-readout', class: 'status', role: 'status' });
    const chain = chartPanel('vanishing-gradients', S.chainPanel);
    const network = chartPanel('leaky-network-gradients', S.netPanel);
    panels = [chain, network];
    const update = () => {
      const n = Math.min(40, Math.max(2, Math.round(depth.get())));
      const s = Math.max(0, Math.round(seed.get()) || 0);
      const l = vanishingLesson(n, s);
      chain.draw(
        gradientBarsChartSpec({
          series: [
            { name: S.sigmoidChain, values: l.sigmoid },
            { name: S.leakyChain, values: l.leaky },
          ],
          xAxis: { label: C.layer },
          yAxis: { label: S.meanAxis },
          title: S.chainTitle(n),
        }),
      );
      const w = l.network.weights;
      network.draw(
        gradientBarsChartSpec({
          series: [
            { name: S.smallest, values: w.map((x) => Math.min(...x)) },
            { name: S.mean, values: l.network.layers },
            { name: S.largest, values: w.map((x) => Math.max(...x)) },
          ],
          xAxis: { label: C.layer },
          yAxis: { label: '|∂L/∂W|' },
          title: S.netTitle,
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
