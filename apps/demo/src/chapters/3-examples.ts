/**
 * Chapter 3: the lecture's Examples 1 and 2. Example 1 trains the width-one network (N = 3) on
 * f(x) = −3x + 2 by per-sample SGD in a worker and shows the fit moving toward the target; Example 2
 * trains N = 1, 2, 3 on log x side by side and compares them in one chart.
 */
import { initChain, key } from '@annlab/core';
import { depthComparisonChartSpec, fitChartSpec, lossChartSpec } from '@annlab/plot';
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

export const examplesChapter: Chapter = {
  id: 'chapter-3',
  title: '3. Examples 1 and 2',
  mount(el, params) {
    const epochs1 = intParam(params, 'epochs', 500, 1, 5000);
    const epochs2 = intParam(params, 'epochs2', 300, 1, 5000);
    const grid = linspace(0.5, 3, 100);

    el.append(
      prose(
        'Example 1: a chain of three neurons, x → σ(w₁x + b₁) → σ(w₂·+b₂) → w₃·+b₃, learns the straight line f(x) = −3x + 2 from 200 points. Each update looks at one point (stochastic gradient descent with step 0.01). As in the lecture, the weights come from key 0 and every epoch visits the points in one fixed order drawn from key 1; the modern variant draws a new order every epoch from the key you choose.',
        'Watch the network’s curve move toward the wide grey line (the target), and the loss fall.',
      ),
    );
    const order = selectField<OrderVariant>({
      id: 'ex1-order',
      label: 'Sample order',
      value: params.get('order') === 'modern' ? 'modern' : 'lecture',
      options: [
        ['lecture', 'the lecture: one fixed order from key 1'],
        ['modern', 'modern variant: a new order every epoch'],
      ],
    });
    const seed = numberField({ id: 'ex1-seed', label: 'Key (seed)', value: 1, min: 0, step: 1 });
    const epochs = numberField({
      id: 'ex1-epochs',
      label: 'Epochs',
      value: epochs1,
      min: 1,
      max: 5000,
      step: 1,
    });
    const status1 = statusLine('ex1-status');
    const fit1 = chartPanel('example1-fit', 'Example 1: target and network');
    const loss1 = chartPanel('example1-loss', 'Example 1: loss per epoch');
    panels.push(fit1, loss1);
    const target = grid.map((v) => -3 * v + 2);
    const drawFit = (approx: number[]) =>
      fit1.draw(
        fitChartSpec({
          x: grid,
          target,
          approximation: approx,
          targetLabel: 'f(x) = −3x + 2',
          title: 'Example 1',
        }),
      );
    drawFit(grid.map(() => Number.NaN));
    let run1: Run | undefined;
    const train1 = () => {
      run1?.stop();
      const e = Math.min(5000, Math.max(1, Math.round(epochs.get())));
      const job = example1Job(e, Math.max(0, Math.round(seed.get())), grid, order.get());
      status1.textContent = 'training…';
      status1.dataset.state = 'running';
      run1 = startRun(job, {
        onProgress(hist, m) {
          if (m.prediction) drawFit(m.prediction);
          loss1.draw(lossChartSpec({ runs: { name: 'training loss', loss: hist.loss } }));
          status1.textContent = `epoch ${m.epoch} of ${m.epochs}: loss ${fmt(hist.loss.at(-1)!)}`;
        },
        onDone(hist) {
          const final = hist.loss.at(-1)!;
          status1.textContent = `done: ${hist.loss.length} epochs, final loss ${fmt(final)}`;
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
      h(
        'div',
        { class: 'controls' },
        order.el,
        seed.el,
        epochs.el,
        button('Train Example 1', train1),
      ),
      status1,
      h('div', { class: 'charts' }, fit1.el, loss1.el),
    );

    el.append(
      h('h2', {}, 'Example 2: log x at depths 1, 2 and 3'),
      prose(
        'The same recipe on f(x) = log x. With one neuron (N = 1) the network is a straight line and cannot bend; a sigmoid in between (N = 2, 3) lets it curve toward the logarithm.',
      ),
    );
    const status2 = statusLine('ex2-status');
    const depthPanel = chartPanel('example2-depths', 'Example 2: depths 1, 2, 3 against log x');
    panels.push(depthPanel);
    const approx: number[][] = [1, 2, 3].map(() => grid.map(() => Number.NaN));
    const drawDepths = () =>
      depthPanel.draw(
        depthComparisonChartSpec({
          x: grid,
          target: grid.map(Math.log),
          targetLabel: 'log x',
          approximations: approx.map((y, i) => ({ name: `N = ${i + 1}`, y })),
          title: 'Example 2',
        }),
      );
    drawDepths();
    const init2 = [1, 2, 3].map((d) => initChain(key(0), d));
    const train2 = () => {
      const x = linspace(0.5, 3, 200);
      const y = x.map(Math.log);
      let finished = 0;
      status2.textContent = 'training N = 1, 2, 3…';
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
                status2.textContent = `done: final losses ${[1, 2, 3]
                  .map((d) => `N = ${d}: ${fmt(Number(status2.dataset[`loss${d}`]))}`)
                  .join(', ')}`;
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
      h('div', { class: 'buttons' }, button('Train Example 2 (N = 1, 2, 3)', train2)),
      status2,
      h('div', { class: 'charts' }, depthPanel.el),
    );

    el.append(
      h('h2', {}, 'How deep?'),
      prose(
        'The lecture asks how deep a network must be. It depends on the target. For a straight line such as −3x + 2, one neuron with the identity activation is already exact (w = −3, b = 2). Stacking more identity layers adds nothing: w₃(w₂(w₁x + b₁) + b₂) + b₃ is still a line. Below, identity chains of depth 1, 2 and 3 are trained on the same data (SGD 0.01, 200 epochs).',
      ),
    );
    const deepStatus = statusLine('c3-deep');
    const deepTable = h('table', { id: 'c3-deep-table' });
    const runDeep = () => {
      const r = howDeep(3, 200);
      deepTable.replaceChildren(
        h('caption', {}, 'Identity chains on −3x + 2'),
        h('tr', {}, ...['N', 'slope', 'intercept', 'final loss'].map((t) => h('th', {}, t))),
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
      deepStatus.textContent = `N = 1 fits the line with loss ${fmt(r[0]!.loss, 3)}; N = 2 and 3 reach ${fmt(r[1]!.loss, 3)} and ${fmt(r[2]!.loss, 3)}: depth adds nothing here`;
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
