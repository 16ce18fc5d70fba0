/**
 * Chapter 3: the lecture's Examples 1 and 2. Example 1 trains the width-one network (N = 3) on
 * f(x) = −3x + 2 by per-sample SGD in a worker and shows the fit moving toward the target; Example 2
 * trains N = 1, 2, 3 on log x side by side and compares them in one chart.
 */
import { depthComparisonChartSpec, fitChartSpec, lossChartSpec } from '@annlab/plot';
import { type ChartPanel, chartPanel } from '../ui/charts.js';
import { button, fmt, h, numberField, prose, statusLine } from '../ui/controls.js';
import { linspace, type Run, startRun } from '../ui/run.js';
import type { JobSpec } from '../worker/protocol.js';
import { type Chapter, intParam } from './types.js';

let runs: Run[] = [];
let panels: ChartPanel[] = [];

/** The lecture's Example 1 job: N = 3, 200 points of −3x + 2 on [0.5, 3], SGD 0.01. */
export function example1Job(epochs: number, seed: number, grid: number[]): JobSpec {
  const x = linspace(0.5, 3, 200);
  return {
    model: { kind: 'chain', depth: 3 },
    x,
    y: x.map((v) => -3 * v + 2),
    seed,
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
        'Example 1: a chain of three neurons, x → σ(w₁x + b₁) → σ(w₂·+b₂) → w₃·+b₃, learns the straight line f(x) = −3x + 2 from 200 points. Each update looks at one point (stochastic gradient descent with step 0.01), and every epoch visits the points in a new random order.',
        'Watch the network’s curve move toward the wide grey line (the target), and the loss fall.',
      ),
    );
    const seed = numberField({ id: 'ex1-seed', label: 'Key (seed)', value: 0, min: 0, step: 1 });
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
      const job = example1Job(e, Math.max(0, Math.round(seed.get())), grid);
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
      h('div', { class: 'controls' }, seed.el, epochs.el, button('Train Example 1', train1)),
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
    const train2 = () => {
      const x = linspace(0.5, 3, 200);
      const y = x.map(Math.log);
      let finished = 0;
      status2.textContent = 'training N = 1, 2, 3…';
      status2.dataset.state = 'running';
      for (const depth of [1, 2, 3]) {
        const job: JobSpec = {
          ...example1Job(epochs2, 0, grid),
          model: { kind: 'chain', depth },
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
    if (params.get('autorun') !== '0') {
      train1();
      train2();
    }
  },
  unmount() {
    stopAll();
    for (const p of panels) p.destroy();
    panels = [];
  },
};
