/**
 * Chapter 2: a deep network of width one. For the chosen N and weights (typed, or drawn from a
 * key) it shows the states xs, the local derivatives δs, the matrices D and L, the solution dx/dp of
 * (I − L)·dx = D·dp, and the largest difference between that linear-algebra gradient and
 * reverse-mode autodiff, recomputed live on every change (on the main thread: it is tiny).
 */
import { chainForward, chainGradient, chainParams, initChain, key, toRows } from '@annlab/core';
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

export const chainChapter: Chapter = {
  id: 'chapter-2',
  title: '2. A deep network of width one',
  mount(el) {
    el.append(
      prose(
        'Stack N neurons in a row: x₁ = x, x_{i+1} = h(w_i·x_i + b_i), and the output is ŷ = x_{N+1}. A change in one weight travels forward through every later layer.',
        'Differentiating each layer gives dx_{i+1} = δ_i·w_i·dx_i + δ_i·x_i·dw_i + δ_i·db_i with δ_i = h′(w_i·x_i + b_i). Written for all layers at once that is dx = L·dx + D·dp, so (I − L)·dx = D·dp: a lower-triangular system, solved from the top down. The last row of dx/dp times (ŷ − y) is the gradient of the loss ½(ŷ − y)². Autodiff computes the same numbers another way; the difference below should be at rounding level (about 1e-16).',
      ),
    );
    const depth = numberField({
      id: 'c2-depth',
      label: 'N (layers)',
      value: 3,
      min: 1,
      max: 8,
      step: 1,
    });
    const seed = numberField({ id: 'c2-seed', label: 'Key (seed)', value: 0, min: 0, step: 1 });
    const wField = textField({ id: 'c2-w', label: 'Weights w', value: '' });
    const bField = textField({ id: 'c2-b', label: 'Biases b', value: '' });
    const xField = numberField({ id: 'c2-x', label: 'Input x', value: 1.5 });
    const yField = numberField({ id: 'c2-y', label: 'Target y', value: -2.5 });
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
        fail(`N must be an integer in [1, 8], got ${depth.input.value}`);
        return;
      }
      if (!w || w.length !== n) {
        fail(`give ${n} finite weights, separated by commas`);
        return;
      }
      if (!b || b.length !== n) {
        fail(`give ${n} finite biases, separated by commas`);
        return;
      }
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        fail('x and y must be finite numbers');
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
          matrixTable('states x₁ … x_{N+1}', [xs]),
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
          matrixTable('gradient (linear algebra): ∂w…, ∂b…', [tri.grad]),
          matrixTable('gradient (autodiff)', [ad.grad]),
        ),
      );
      check.textContent = `loss ½(ŷ − y)² = ${fmt(tri.loss)}; largest difference between the two gradients: ${maxDiff.toExponential(2)}`;
      check.dataset.maxDiff = String(maxDiff);
    };
    for (const c of [wField, bField, xField, yField]) c.input.addEventListener('input', update);
    depth.input.addEventListener('input', fromKey);
    seed.input.addEventListener('input', fromKey);
    el.append(
      h(
        'div',
        { class: 'controls' },
        depth.el,
        seed.el,
        button('Draw weights from the key', fromKey),
      ),
      h('div', { class: 'controls' }, wField.el, bField.el, xField.el, yField.el),
      err,
      check,
      out,
    );
    fromKey();

    el.append(
      h('h2', {}, 'Why autodiff walks a topological order'),
      prose(
        'The AD blog’s first backward pass is a recursion: each node hands its gradient to each of its parents, and they recurse. On a graph whose nodes are shared, y₁ = x + x, y₂ = y₁ + y₁, …, that recursion walks every path from the output to x, and there are 2ⁿ of them. Sorting the nodes once (a topological order) and sweeping backwards visits each node once and adds up the same gradient, 2ⁿ.',
      ),
    );
    const levels = numberField({
      id: 'c2-levels',
      label: 'Levels n',
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
        visits.textContent = `n must be an integer in [0, 22], got ${levels.input.value}`;
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
        h('caption', {}, 'Node visits of the two backward passes'),
        h('tr', {}, ...['n', 'recursive', 'topological', 'gradient'].map((t) => h('th', {}, t))),
        ...rows.map((r) =>
          h(
            'tr',
            {},
            ...[r.k, r.naive.visits, r.topo.visits, r.topo.grad].map((v) => h('td', {}, String(v))),
          ),
        ),
      );
      visits.textContent = `n = ${n}: the recursive pass visits ${naive.visits} nodes, the topological pass ${topo.visits}; both give the gradient ${topo.grad}`;
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
