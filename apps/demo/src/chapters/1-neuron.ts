/**
 * Chapter 1: one neuron, y = f(w·x + b). Pick the activation, see it and its derivative, and train
 * a two-input neuron on the OR gate in a worker: the loss curve and the four predictions.
 */
import { type ActivationName, activation } from '@annlab/core';
import { lineChartSpec, lossChartSpec } from '@annlab/plot';
import { ACTIVATIONS } from '../state/url.js';
import { type ChartPanel, chartPanel } from '../ui/charts.js';
import { button, fmt, h, prose, selectField, statusLine } from '../ui/controls.js';
import { linspace, type Run, startRun } from '../ui/run.js';
import { type Chapter, intParam } from './types.js';

let run: Run | undefined;
let panels: ChartPanel[] = [];

const OR_X = [0, 0, 0, 1, 1, 0, 1, 1];
const OR_Y = [0, 1, 1, 1];

export const neuronChapter: Chapter = {
  id: 'chapter-1',
  title: '1. One neuron',
  mount(el, params) {
    const epochs = intParam(params, 'epochs', 400, 1, 5000);
    el.append(
      prose(
        'A neuron multiplies its input by a weight, adds a bias and passes the sum through an activation function: y = f(w·x + b). The activation decides the shape: sigmoid squashes into (0, 1), ReLU cuts off negatives, the identity keeps a straight line.',
        'Training changes w and b so the output matches examples. Here the neuron has two inputs and learns the OR gate: output 1 when either input is 1.',
      ),
    );
    const act = selectField<ActivationName>({
      id: 'n1-activation',
      label: 'Activation f',
      value: 'sigmoid',
      options: ACTIVATIONS.map((a) => [a, a] as const),
    });
    const fPanel = chartPanel('neuron-activation', 'Activation and its derivative');
    const lossPanel = chartPanel('neuron-loss', 'OR gate: loss per epoch');
    panels = [fPanel, lossPanel];
    const status = statusLine('n1-status');
    const table = h('table', { id: 'n1-predictions' });
    const z = linspace(-5, 5, 201);
    const drawActivation = () => {
      const a = activation(act.get());
      fPanel.draw(
        lineChartSpec({
          series: [
            { name: `${a.label}(z)`, x: z, y: z.map((v) => a.f(v)) },
            { name: `${a.label}′(z)`, x: z, y: z.map((v) => a.df(v)) },
          ],
          xAxis: { label: 'z = w·x + b' },
          title: `Activation: ${a.label}`,
        }),
      );
    };
    const showPredictions = (p: number[]) => {
      table.replaceChildren(
        h('caption', {}, 'OR gate: target and neuron output'),
        h('tr', {}, h('th', {}, 'x₁'), h('th', {}, 'x₂'), h('th', {}, 'target'), h('th', {}, 'ŷ')),
        ...OR_Y.map((t, i) =>
          h(
            'tr',
            {},
            h('td', {}, String(OR_X[2 * i])),
            h('td', {}, String(OR_X[2 * i + 1])),
            h('td', {}, String(t)),
            h('td', {}, p[i] === undefined ? '–' : fmt(p[i]!, 3)),
          ),
        ),
      );
    };
    const train = () => {
      run?.stop();
      status.textContent = 'training…';
      status.dataset.state = 'running';
      run = startRun(
        {
          model: { kind: 'mlp', sizes: [2, 1], hidden: 'identity', output: act.get() },
          x: OR_X,
          y: OR_Y,
          seed: 0,
          optimizer: 'sgd',
          learningRate: act.get() === 'sigmoid' ? 2 : 0.2,
          schedule: 'constant',
          batch: 'full',
          epochs,
          loss: 'mse',
          normalize: false,
          backend: 'cpu',
          chunk: Math.max(1, Math.floor(epochs / 40)),
          grid: OR_X,
        },
        {
          onProgress(hist, m) {
            lossPanel.draw(
              lossChartSpec({ runs: { name: 'mean squared error', loss: hist.loss } }),
            );
            if (m.prediction) showPredictions(m.prediction);
            status.textContent = `epoch ${m.epoch}: loss ${fmt(hist.loss.at(-1)!)}`;
          },
          onDone(hist) {
            status.textContent = `done: final loss ${fmt(hist.loss.at(-1)!)}`;
            status.dataset.state = 'done';
          },
          onError(msg) {
            status.textContent = msg;
            status.dataset.state = 'error';
          },
        },
      );
    };
    act.input.addEventListener('change', () => {
      drawActivation();
      train();
    });
    showPredictions([]);
    el.append(
      h('div', { class: 'controls' }, act.el, button('Train on OR', train)),
      status,
      h('div', { class: 'charts' }, fPanel.el, lossPanel.el),
      table,
    );
    drawActivation();
    if (params.get('autorun') !== '0') train();
  },
  unmount() {
    run?.stop();
    run = undefined;
    for (const p of panels) p.destroy();
    panels = [];
  },
};
