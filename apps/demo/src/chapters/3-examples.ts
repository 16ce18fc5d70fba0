/**
 * Chapter 3: the lecture's Examples 1 and 2. Example 1 trains the width-one network (N = 3) on
 * f(x) = −3x + 2 by per-sample SGD in a worker and shows the fit moving toward the target; Example 2
 * trains N = 1, 2, 3 on log x side by side and compares them in one chart.
 */
import { initChain, key } from '@annlab/core';
import { depthComparisonChartSpec, fitChartSpec, lossChartSpec } from '@annlab/plot';
import { common } from '../i18n/common.js';
import { pick } from '../i18n/lang.js';
import { howDeep } from '../lessons/depth.js';
import { type ChartPanel, chartPanel } from '../ui/charts.js';
import { button, fmt, h, numberField, prose, selectField, statusLine } from '../ui/controls.js';
import { linspace, type Run, startRun } from '../ui/run.js';
import type { JobSpec } from '../worker/protocol.js';
import { type Chapter, intParam } from './types.js';

let runs: Run[] = [];
let panels: ChartPanel[] = [];

/** How Example 1 orders its samples: the lecture's fixed order, or a new order every epoch. */
export type OrderVariant = 'lecture' | 'modern';

/**
 * The lecture's Example 1 job: N = 3 from `key(0)`, 200 points of −3x + 2 on [0.5, 3], SGD 0.01.
 * The lecture's order is one permutation from its own `PRNGKey(1)`, reused every epoch; the modern
 * variant draws a new order every epoch from key `seed`.
 */
export function example1Job(
  epochs: number,
  seed: number,
  grid: number[],
  order: OrderVariant = 'modern',
): JobSpec {
  const x = linspace(0.5, 3, 200);
  const init = initChain(key(0), 3);
  return {
    model:
      order === 'lecture'
        ? { kind: 'chain', depth: 3, params: [...init.w, ...init.b] }
        : { kind: 'chain', depth: 3 },
    x,
    y: x.map((v) => -3 * v + 2),
    seed,
    ...(order === 'lecture' ? { shuffle: 'fixed' as const } : {}),
    optimizer: 'sgd',
    learningRate: 0.01,
    schedule: 'constant',
    batch: 'sgd',
    epochs,
    loss: 'halfSquaredError',
    normalize: false,
    backend: 'cpu',
    chunk: Math.max(1, Math.floor(epochs / 50)),
    grid,
  };
}

function stopAll(): void {
  for (const r of runs) r.stop();
  runs = [];
}

const strings = () =>
  pick({
    en: {
      title: '3. Examples 1 and 2',
      p1: 'Example 1: a chain of three neurons, $x \\to \\sigma(w_1 x + b_1) \\to \\sigma(w_2 \\cdot{} + b_2) \\to w_3 \\cdot{} + b_3$, learns the straight line $f(x) = -3x + 2$ from 200 points. Each update looks at one point (stochastic gradient descent with step 0.01). As in the lecture, the weights come from key 0 and every epoch visits the points in one fixed order drawn from key 1; the modern variant draws a new order every epoch from the key you choose.',
      p2: 'Watch the network’s curve move toward the wide grey line (the target), and the loss fall.',
      order: 'Sample order',
      lecture: 'the lecture: one fixed order from key 1',
      modern: 'modern variant: a new order every epoch',
      fit1: 'Example 1: target and network',
      loss1: 'Example 1: loss per epoch',
      ex1: 'Example 1',
      ex2: 'Example 2',
      trainingLoss: 'training loss',
      done1: (e: number, l: string) => `done: ${e} epochs, final loss ${l}`,
      train1: 'Train Example 1',
      h2: 'Example 2: log x at depths 1, 2 and 3',
      p3: 'The same recipe on $f(x) = \\log x$. With one neuron ($N = 1$) the network is a straight line and cannot bend; a sigmoid in between ($N = 2, 3$) lets it curve toward the logarithm.',
      depthPanel: 'Example 2: depths 1, 2, 3 against log x',
      training2: 'training N = 1, 2, 3…',
      done2: (parts: string) => `done: final losses ${parts}`,
      train2: 'Train Example 2 (N = 1, 2, 3)',
      deepTitle: 'How deep?',
      deep: 'The lecture asks how deep a network must be. It depends on the target. For a straight line such as $-3x + 2$, one neuron with the identity activation is already exact ($w = -3$, $b = 2$). Stacking more identity layers adds nothing: $w_3(w_2(w_1 x + b_1) + b_2) + b_3$ is still a line. Below, identity chains of depth 1, 2 and 3 are trained on the same data (SGD 0.01, 200 epochs).',
      deepCaption: 'Identity chains on −3x + 2',
      deepCols: ['N', 'slope', 'intercept', 'final loss'],
      deepStatus: (a: string, b: string, c: string) =>
        `N = 1 fits the line with loss ${a}; N = 2 and 3 reach ${b} and ${c}: depth adds nothing here`,
    },
    'zh-CN': {
      title: '3. 例 1 与例 2',
      p1: '例 1：三个神经元组成的链 $x \\to \\sigma(w_1 x + b_1) \\to \\sigma(w_2 \\cdot{} + b_2) \\to w_3 \\cdot{} + b_3$，从 200 个点学习直线 $f(x) = -3x + 2$。每次更新只看一个点（随机梯度下降，步长 0.01）。与讲义相同，权重由随机密钥 0 生成，每一轮都按由密钥 1 生成的同一个固定顺序遍历各点；现代变体则每一轮都由你选择的密钥重新打乱顺序。',
      p2: '观察网络的曲线如何向宽的灰线（目标）靠拢，损失如何下降。',
      order: '样本顺序',
      lecture: '讲义：由密钥 1 生成的固定顺序',
      modern: '现代变体：每轮重新打乱',
      fit1: '例 1：目标与网络',
      loss1: '例 1：每轮的损失',
      ex1: '例 1',
      ex2: '例 2',
      trainingLoss: '训练损失',
      done1: (e: number, l: string) => `完成：共 ${e} 轮，最终损失 ${l}`,
      train1: '训练例 1',
      h2: '例 2：深度为 1、2、3 时的 log x',
      p3: '用同样的方法学习 $f(x) = \\log x$。只有一个神经元（$N = 1$）时网络是一条直线，无法弯曲；中间加上 sigmoid（$N = 2, 3$）后，它就能弯向对数曲线。',
      depthPanel: '例 2：深度 1、2、3 与 log x 的比较',
      training2: '正在训练 N = 1、2、3…',
      done2: (parts: string) => `完成：最终损失 ${parts}`,
      train2: '训练例 2（N = 1、2、3）',
      deepTitle: '需要多深？',
      deep: '讲义问：网络需要多深？这取决于目标函数。对于 $-3x + 2$ 这样的直线，一个使用恒等激活函数的神经元就已精确（$w = -3$，$b = 2$）。再叠加恒等层毫无帮助：$w_3(w_2(w_1 x + b_1) + b_2) + b_3$ 仍是一条直线。下面在同样的数据上训练深度为 1、2、3 的恒等链（随机梯度下降 0.01，200 轮）。',
      deepCaption: '恒等链拟合 −3x + 2',
      deepCols: ['N', '斜率', '截距', '最终损失'],
      deepStatus: (a: string, b: string, c: string) =>
        `N = 1 拟合直线的损失为 ${a}；N = 2 和 3 分别为 ${b} 和 ${c}：这里加深毫无帮助`,
    },
  });

export const examplesChapter: Chapter = {
  id: 'chapter-3',
  get title() {
    return strings().title;
  },
  mount(el, params) {
    const S = strings();
    const C = common();
    const epochs1 = intParam(params, 'epochs', 500, 1, 5000);
    const epochs2 = intParam(params, 'epochs2', 300, 1, 5000);
    const grid = linspace(0.5, 3, 100);

    el.append(prose(S.p1, S.p2));
    const order = selectField<OrderVariant>({
      id: 'ex1-order',
      label: S.order,
      value: params.get('order') === 'modern' ? 'modern' : 'lecture',
      options: [
        ['lecture', S.lecture],
        ['modern', S.modern],
      ],
    });
    const seed = numberField({ id: 'ex1-seed', label: C.key, value: 1, min: 0, step: 1 });
    const epochs = numberField({
      id: 'ex1-epochs',
      label: C.epochs,
      value: epochs1,
      min: 1,
      max: 5000,
      step: 1,
    });
    const status1 = statusLine('ex1-status');
    const fit1 = chartPanel('example1-fit', S.fit1);
    const loss1 = chartPanel('example1-loss', S.loss1);
    panels.push(fit1, loss1);
    const target = grid.map((v) => -3 * v + 2);
    const drawFit = (approx: number[]) =>
      fit1.draw(
        fitChartSpec({
          x: grid,
          target,
          approximation: approx,
          targetLabel: 'f(x) = −3x + 2',
          approximationLabel: C.network,
          title: S.ex1,
        }),
      );
    drawFit(grid.map(() => Number.NaN));
    let run1: Run | undefined;
    const train1 = () => {
      run1?.stop();
      const e = Math.min(5000, Math.max(1, Math.round(epochs.get())));
      const job = example1Job(e, Math.max(0, Math.round(seed.get())), grid, order.get());
      status1.textContent = C.training;
      status1.dataset.state = 'running';
      run1 = startRun(job, {
        onProgress(hist, m) {
          if (m.prediction) drawFit(m.prediction);
          loss1.draw(
            lossChartSpec({
              runs: { name: S.trainingLoss, loss: hist.loss },
              xAxis: { label: C.epoch },
              yAxis: { label: C.loss },
            }),
          );
          status1.textContent = `${C.epochOf(m.epoch, m.epochs)}: ${C.loss} ${fmt(hist.loss.at(-1)!)}`;
        },
        onDone(hist) {
          const final = hist.loss.at(-1)!;
          status1.textContent = S.done1(hist.loss.length, fmt(final));
          status1.dataset.state = 'done';
          status1.dataset.loss = String(final);
        },
        onError(msg) {
          status1.textContent = msg;
          status1.dataset.state = 'error';
        },
      });
      runs.push(run1);
    };
    el.append(
      h('div', { class: 'controls' }, order.el, seed.el, epochs.el, button(S.train1, train1)),
      status1,
      h('div', { class: 'charts' }, fit1.el, loss1.el),
    );

    el.append(h('h2', {}, S.h2), prose(S.p3));
    const status2 = statusLine('ex2-status');
    const depthPanel = chartPanel('example2-depths', S.depthPanel);
    panels.push(depthPanel);
    const approx: number[][] = [1, 2, 3].map(() => grid.map(() => Number.NaN));
    const drawDepths = () =>
      depthPanel.draw(
        depthComparisonChartSpec({
          x: grid,
          target: grid.map(Math.log),
          targetLabel: 'log x',
          approximations: approx.map((y, i) => ({ name: `N = ${i + 1}`, y })),
          title: S.ex2,
        }),
      );
    drawDepths();
    const init2 = [1, 2, 3].map((d) => initChain(key(0), d));
    const train2 = () => {
      const x = linspace(0.5, 3, 200);
      const y = x.map(Math.log);
      let finished = 0;
      status2.textContent = S.training2;
      status2.dataset.state = 'running';
      for (const depth of [1, 2, 3]) {
        const job: JobSpec = {
          ...example1Job(epochs2, 1, grid, 'lecture'),
          model: { kind: 'chain', depth, params: [...init2[depth - 1]!.w, ...init2[depth - 1]!.b] },
          x,
          y,
          chunk: Math.max(1, Math.floor(epochs2 / 30)),
        };
        runs.push(
          startRun(job, {
            onProgress(_h, m) {
              if (m.prediction) approx[depth - 1] = m.prediction;
              drawDepths();
            },
            onDone(hist) {
              finished++;
              status2.dataset[`loss${depth}`] = String(hist.loss.at(-1));
              if (finished === 3) {
                status2.textContent = S.done2(
                  [1, 2, 3]
                    .map((d) => `N = ${d}: ${fmt(Number(status2.dataset[`loss${d}`]))}`)
                    .join(', '),
                );
                status2.dataset.state = 'done';
              }
            },
            onError(msg) {
              status2.textContent = msg;
              status2.dataset.state = 'error';
            },
          }),
        );
      }
    };
    el.append(
      h('div', { class: 'buttons' }, button(S.train2, train2)),
      status2,
      h('div', { class: 'charts' }, depthPanel.el),
    );

    el.append(h('h2', {}, S.deepTitle), prose(S.deep));
    const deepStatus = statusLine('c3-deep');
    const deepTable = h('table', { id: 'c3-deep-table' });
    const runDeep = () => {
      const r = howDeep(3, 200);
      deepTable.replaceChildren(
        h('caption', {}, S.deepCaption),
        h('tr', {}, ...S.deepCols.map((t) => h('th', {}, t))),
        ...r.map((d) =>
          h(
            'tr',
            {},
            ...[String(d.depth), fmt(d.slope, 6), fmt(d.intercept, 6), fmt(d.loss, 3)].map((t) =>
              h('td', {}, t),
            ),
          ),
        ),
      );
      deepStatus.textContent = S.deepStatus(
        fmt(r[0]!.loss, 3),
        fmt(r[1]!.loss, 3),
        fmt(r[2]!.loss, 3),
      );
      Object.assign(deepStatus.dataset, {
        loss1: String(r[0]!.loss),
        slope1: String(r[0]!.slope),
        intercept1: String(r[0]!.intercept),
        lossDeep: String(Math.min(r[1]!.loss, r[2]!.loss)),
      });
    };
    el.append(deepStatus, deepTable);

    if (params.get('autorun') !== '0') {
      train1();
      train2();
    }
    runDeep();
  },
  unmount() {
    stopAll();
    for (const p of panels) p.destroy();
    panels = [];
  },
};
