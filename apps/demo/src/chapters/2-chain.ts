/**
 * Chapter 2: a deep network of width one. For the chosen N and weights (typed, or drawn from a
 * key) it shows the states xs, the local derivatives δs, the matrices D and L, the solution dx/dp of
 * (I − L)·dx = D·dp, and the largest difference between that linear-algebra gradient and
 * reverse-mode autodiff, recomputed live on every change (on the main thread: it is tiny).
 */
import { chainForward, chainGradient, chainParams, initChain, key, toRows } from '@annlab/core';
import { common } from '../i18n/common.js';
import { pick } from '../i18n/lang.js';
import { doublingGraph, naiveBackward, topologicalBackward } from '../lessons/autodiff.js';
import { button, fmt, h, matrixTable, numberField, prose, textField } from '../ui/controls.js';
import type { Chapter } from './types.js';

/** The lecture's check for one setting: both gradients and their largest difference. */
export function chainCheck(w: number[], b: number[], x: number, y: number) {
  const p = chainParams(w, b);
  const tri = chainGradient(p, x, y, { method: 'triangular' });
  const ad = chainGradient(p, x, y, { method: 'autodiff' });
  let maxDiff = 0;
  for (let i = 0; i < tri.grad.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(tri.grad[i]! - ad.grad[i]!));
  }
  return { tri, ad, maxDiff };
}

function parseList(text: string): number[] | undefined {
  const parts = text.split(/[\s,;]+/).filter((s) => s.length > 0);
  const v = parts.map(Number);
  return v.length > 0 && v.every(Number.isFinite) ? v : undefined;
}

const strings = () =>
  pick({
    en: {
      title: '2. A deep network of width one',
      p1: 'Stack $N$ neurons in a row: $x_1 = x$, $x_{i+1} = h(w_i x_i + b_i)$, and the output is $\\hat y = x_{N+1}$. A change in one weight travels forward through every later layer.',
      p2: "Differentiating each layer gives $dx_{i+1} = \\delta_i w_i\\,dx_i + \\delta_i x_i\\,dw_i + \\delta_i\\,db_i$ with $\\delta_i = h'(w_i x_i + b_i)$. Written for all layers at once that is $dx = L\\,dx + D\\,dp$, so $(I - L)\\,dx = D\\,dp$: a lower-triangular system, solved from the top down. The last row of $dx/dp$ times $(\\hat y - y)$ is the gradient of the loss $\\tfrac12(\\hat y - y)^2$. Automatic differentiation computes the same numbers another way; the difference below should be at rounding level (about $10^{-16}$).",
      depth: 'N (layers)',
      weights: 'Weights w',
      biases: 'Biases b',
      input: 'Input x',
      target: 'Target y',
      draw: 'Draw weights from the key',
      badN: (v: string) => `N must be an integer in [1, 8], got ${v}`,
      badW: (n: number) => `give ${n} finite weights, separated by commas`,
      badB: (n: number) => `give ${n} finite biases, separated by commas`,
      badXY: 'x and y must be finite numbers',
      states: 'states x₁ … x_{N+1}',
      gradLA: 'gradient (linear algebra): ∂w…, ∂b…',
      gradAD: 'gradient (autodiff)',
      check: (loss: string, d: string) =>
        `loss ½(ŷ − y)² = ${loss}; largest difference between the two gradients: ${d}`,
      topoTitle: 'Why automatic differentiation walks a topological order',
      topo: 'The AD blog’s first backward pass is a recursion: each node hands its gradient to each of its parents, and they recurse. On a graph whose nodes are shared, $y_1 = x + x$, $y_2 = y_1 + y_1$, …, that recursion walks every path from the output to $x$, and there are $2^n$ of them. Sorting the nodes once (a topological order) and sweeping backwards visits each node once and adds up the same gradient, $2^n$.',
      levels: 'Levels n',
      badLevels: (v: string) => `n must be an integer in [0, 22], got ${v}`,
      caption: 'Node visits of the two backward passes',
      cols: ['n', 'recursive', 'topological', 'gradient'],
      visits: (n: number, a: number, b: number, g: number) =>
        `n = ${n}: the recursive pass visits ${a} nodes, the topological pass ${b}; both give the gradient ${g}`,
    },
    'zh-CN': {
      title: '2. 宽度为一的深层网络',
      p1: '把 $N$ 个神经元排成一列：$x_1 = x$，$x_{i+1} = h(w_i x_i + b_i)$，输出为 $\\hat y = x_{N+1}$。一个权重的变化会向前传过后面的每一层。',
      p2: "对每一层求微分得 $dx_{i+1} = \\delta_i w_i\\,dx_i + \\delta_i x_i\\,dw_i + \\delta_i\\,db_i$，其中 $\\delta_i = h'(w_i x_i + b_i)$。把所有层写在一起就是 $dx = L\\,dx + D\\,dp$，即 $(I - L)\\,dx = D\\,dp$：一个下三角方程组，自上而下求解。$dx/dp$ 的最后一行乘以 $(\\hat y - y)$ 就是损失 $\\tfrac12(\\hat y - y)^2$ 的梯度。自动微分用另一种方法算出同样的数；下面两者之差应在舍入误差量级（约 $10^{-16}$）。",
      depth: 'N（层数）',
      weights: '权重 w',
      biases: '偏置 b',
      input: '输入 x',
      target: '目标 y',
      draw: '由随机密钥生成权重',
      badN: (v: string) => `N 必须是 [1, 8] 内的整数，实际为 ${v}`,
      badW: (n: number) => `请给出 ${n} 个有限的权重，用逗号分隔`,
      badB: (n: number) => `请给出 ${n} 个有限的偏置，用逗号分隔`,
      badXY: 'x 和 y 必须是有限的数',
      states: '状态 x₁ … x_{N+1}',
      gradLA: '梯度（线性代数）：∂w…，∂b…',
      gradAD: '梯度（自动微分）',
      check: (loss: string, d: string) => `损失 ½(ŷ − y)² = ${loss}；两种梯度的最大差：${d}`,
      topoTitle: '为什么自动微分按拓扑序遍历',
      topo: '自动微分博客中第一个反向传播是递归：每个节点把梯度交给它的每个父节点，父节点再递归下去。在节点被共享的计算图上，$y_1 = x + x$，$y_2 = y_1 + y_1$，……，这种递归会走遍从输出到 $x$ 的每一条路径，共 $2^n$ 条。先把节点排成拓扑序，再反向扫一遍，每个节点只访问一次，累加出同样的梯度 $2^n$。',
      levels: '层数 n',
      badLevels: (v: string) => `n 必须是 [0, 22] 内的整数，实际为 ${v}`,
      caption: '两种反向传播访问的节点数',
      cols: ['n', '递归', '拓扑序', '梯度'],
      visits: (n: number, a: number, b: number, g: number) =>
        `n = ${n}：递归访问 ${a} 个节点，拓扑序访问 ${b} 个；两者的梯度都是 ${g}`,
    },
  });

export const chainChapter: Chapter = {
  id: 'chapter-2',
  get title() {
    return strings().title;
  },
  mount(el) {
    const S = strings();
    const C = common();
    el.append(prose(S.p1, S.p2));
    const depth = numberField({
      id: 'c2-depth',
      label: S.depth,
      value: 3,
      min: 1,
      max: 8,
      step: 1,
    });
    const seed = numberField({ id: 'c2-seed', label: C.key, value: 0, min: 0, step: 1 });
    const wField = textField({ id: 'c2-w', label: S.weights, value: '' });
    const bField = textField({ id: 'c2-b', label: S.biases, value: '' });
    const xField = numberField({ id: 'c2-x', label: S.input, value: 1.5 });
    const yField = numberField({ id: 'c2-y', label: S.target, value: -2.5 });
    const out = h('div', { id: 'c2-output' });
    const err = h('p', { class: 'error', role: 'alert' });
    const check = h('p', { id: 'c2-check', class: 'status', role: 'status' });

    const fromKey = () => {
      const n = Math.round(depth.get());
      if (!(n >= 1 && n <= 8)) return;
      const p = initChain(key(Math.max(0, Math.round(seed.get()))), n);
      wField.set(Array.from(p.w, (v) => fmt(v, 6)).join(', '));
      bField.set(Array.from(p.b, (v) => fmt(v, 6)).join(', '));
      update();
    };
    const fail = (message: string): void => {
      err.textContent = message;
    };
    const update = (): void => {
      err.textContent = '';
      const n = Math.round(depth.get());
      const w = parseList(wField.get());
      const b = parseList(bField.get());
      const x = xField.get();
      const y = yField.get();
      if (!(n >= 1 && n <= 8)) {
        fail(S.badN(depth.input.value));
        return;
      }
      if (!w || w.length !== n) {
        fail(S.badW(n));
        return;
      }
      if (!b || b.length !== n) {
        fail(S.badB(n));
        return;
      }
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        fail(S.badXY);
        return;
      }
      const { tri, ad, maxDiff } = chainCheck(w, b, x, y);
      const fw = chainForward(chainParams(w, b), x);
      const xs = Array.from(fw.xs);
      const deltas = Array.from(fw.deltas);
      const D = toRows(tri.D!);
      const dxdp = toRows(tri.dxdp!);
      out.replaceChildren(
        h(
          'div',
          { class: 'matrices' },
          matrixTable(S.states, [xs]),
          matrixTable('δ_i = h′(z_i)', [deltas]),
        ),
        h(
          'div',
          { class: 'matrices' },
          matrixTable('D (N × 2N)', D),
          matrixTable('L (N × N)', toRows(tri.L!)),
          matrixTable('dx/dp = (I − L)⁻¹ D', dxdp),
        ),
        h(
          'div',
          { class: 'matrices' },
          matrixTable(S.gradLA, [tri.grad]),
          matrixTable(S.gradAD, [ad.grad]),
        ),
      );
      check.textContent = S.check(fmt(tri.loss), maxDiff.toExponential(2));
      check.dataset.maxDiff = String(maxDiff);
    };
    for (const c of [wField, bField, xField, yField]) c.input.addEventListener('input', update);
    depth.input.addEventListener('input', fromKey);
    seed.input.addEventListener('input', fromKey);
    el.append(
      h('div', { class: 'controls' }, depth.el, seed.el, button(S.draw, fromKey)),
      h('div', { class: 'controls' }, wField.el, bField.el, xField.el, yField.el),
      err,
      check,
      out,
    );
    fromKey();

    el.append(h('h2', {}, S.topoTitle), prose(S.topo));
    const levels = numberField({
      id: 'c2-levels',
      label: S.levels,
      value: 10,
      min: 0,
      max: 22,
      step: 1,
    });
    const visits = h('p', { id: 'c2-visits', class: 'status', role: 'status' });
    const table = h('table', { id: 'c2-visits-table' });
    const count = () => {
      const n = Math.round(levels.get());
      if (!(n >= 0 && n <= 22)) {
        visits.textContent = S.badLevels(levels.input.value);
        return;
      }
      const rows = [];
      for (let k = 0; k <= n; k += Math.max(1, Math.floor(n / 6))) {
        const g = doublingGraph(k);
        rows.push({ k, naive: naiveBackward(g.y, g.x), topo: topologicalBackward(g.y, g.x) });
      }
      const { x, y } = doublingGraph(n);
      const naive = naiveBackward(y, x);
      const topo = topologicalBackward(y, x);
      table.replaceChildren(
        h('caption', {}, S.caption),
        h('tr', {}, ...S.cols.map((t) => h('th', {}, t))),
        ...rows.map((r) =>
          h(
            'tr',
            {},
            ...[r.k, r.naive.visits, r.topo.visits, r.topo.grad].map((v) => h('td', {}, String(v))),
          ),
        ),
      );
      visits.textContent = S.visits(n, naive.visits, topo.visits, topo.grad);
      Object.assign(visits.dataset, {
        naive: String(naive.visits),
        topo: String(topo.visits),
        grad: String(naive.grad === topo.grad ? topo.grad : Number.NaN),
      });
    };
    levels.input.addEventListener('input', count);
    el.append(h('div', { class: 'controls' }, levels.el), visits, table);
    count();
  },
  unmount() {},
};
