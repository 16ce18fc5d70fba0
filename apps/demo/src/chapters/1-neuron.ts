/**
 * Chapter 1: one neuron, y = f(w·x + b). Pick the activation, see it and its derivative, and train
 * a two-input neuron on the OR gate with the notes' settings (sigmoid, w ~ N(0, 1) from the key,
 * b = 0, MSE, gradient descent 0.1, 1000 epochs) or a labelled modern variant, on the main thread in
 * chunks so the loss streams in. Then the AD blog's first training loop: one neuron, Y = 1, 1000
 * steps by autodiff.
 */
import { type ActivationName, activation } from '@annlab/core';
import { lineChartSpec, lossChartSpec } from '@annlab/plot';
import {
  firstTrainingLoop,
  type NeuronSettings,
  neuronSettings,
  OR_X,
  OR_Y,
  orNeuron,
  trainOr,
} from '../lessons/neuron.js';
import { ACTIVATIONS } from '../state/url.js';
import { type ChartPanel, chartPanel } from '../ui/charts.js';
import { button, fmt, h, numberField, prose, selectField, statusLine } from '../ui/controls.js';
import { linspace } from '../ui/run.js';
import { type Chapter, intParam } from './types.js';

let timer: ReturnType<typeof setTimeout> | undefined;
let panels: ChartPanel[] = [];

export const neuronChapter: Chapter = {
  id: 'chapter-1',
  title: '1. One neuron',
  mount(el, params) {
    el.append(
      prose(
        'A neuron multiplies its input by a weight, adds a bias and passes the sum through an activation function: y = f(w·x + b). The activation decides the shape: sigmoid squashes into (0, 1), ReLU cuts off negatives, the identity keeps a straight line.',
        'Training changes w and b so the output matches examples. Here the neuron has two inputs and learns the OR gate: output 1 when either input is 1. The notes’ settings are the default: a sigmoid neuron, weights w ~ N(0, 1) drawn from the key, bias b = 0, mean squared error, gradient descent with learning rate 0.1 for 1000 epochs. The modern variant starts from PyTorch’s initialisation and takes larger steps (learning rate 2 for sigmoid, 0.2 otherwise) for 400 epochs.',
      ),
    );
    const act = selectField<ActivationName>({
      id: 'n1-activation',
      label: 'Activation f',
      value: 'sigmoid',
      options: ACTIVATIONS.map((a) => [a, a] as const),
    });
    const variant = selectField<NeuronSettings>({
      id: 'n1-settings',
      label: 'Settings',
      value: params.get('variant') === 'modern' ? 'modern' : 'notes',
      options: [
        ['notes', 'the notes: N(0, 1), b = 0, lr 0.1, 1000 epochs'],
        ['modern', 'modern variant: PyTorch init, larger steps, 400 epochs'],
      ],
    });
    const seed = numberField({ id: 'n1-seed', label: 'Key (seed)', value: 0, min: 0, step: 1 });
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
      if (timer) clearTimeout(timer);
      const settings = neuronSettings(variant.get(), act.get());
      const epochs = intParam(params, 'epochs', settings.epochs, 1, 5000);
      const chunk = Math.max(1, Math.ceil(epochs / 40));
      let model = orNeuron(variant.get(), act.get(), Math.max(0, Math.round(seed.get()) || 0));
      const loss: number[] = [];
      status.textContent = 'training…';
      status.dataset.state = 'running';
      const next = () => {
        const r = trainOr(model, settings.learningRate, Math.min(chunk, epochs - loss.length));
        model = r.model;
        loss.push(...r.loss);
        lossPanel.draw(lossChartSpec({ runs: { name: 'mean squared error', loss } }));
        const p = model.params;
        const pred = OR_Y.map((_, i) => {
          const s = p[0]! * OR_X[2 * i]! + p[1]! * OR_X[2 * i + 1]! + p[2]!;
          return activation(act.get()).f(s);
        });
        showPredictions(pred);
        if (loss.length < epochs) {
          status.textContent = `epoch ${loss.length} of ${epochs}: loss ${fmt(loss.at(-1)!)}`;
          timer = setTimeout(next, 0);
        } else {
          status.textContent = `done: ${epochs} epochs at learning rate ${settings.learningRate}, loss ${fmt(loss[0]!)} → ${fmt(loss.at(-1)!)}`;
          Object.assign(status.dataset, {
            state: 'done',
            first: String(loss[0]),
            loss: String(loss.at(-1)),
            predictions: pred.join(','),
            epochs: String(epochs),
          });
        }
      };
      timer = setTimeout(next, 0);
    };
    for (const c of [act, variant, seed]) {
      c.input.addEventListener('change', () => {
        drawActivation();
        train();
      });
    }
    showPredictions([]);
    el.append(
      h('div', { class: 'controls' }, act.el, variant.el, seed.el, button('Train on OR', train)),
      status,
      h('div', { class: 'charts' }, fPanel.el, lossPanel.el),
      table,
    );

    el.append(
      h('h2', {}, 'The AD blog’s first training loop'),
      prose(
        'The smallest training loop there is: one sigmoid neuron at input x = 0.5 with w and b drawn from the key, the target Y = 1, the loss (ŷ − Y)², and 1000 steps of w ← w − 0.1·∂L/∂w, b ← b − 0.1·∂L/∂b, every gradient computed by reverse-mode autodiff.',
      ),
    );
    const loopStatus = statusLine('n1-loop');
    const loopPanel = chartPanel('first-loop', 'First training loop: loss per step');
    panels.push(loopPanel);
    const runLoop = () => {
      const r = firstTrainingLoop(Math.max(0, Math.round(seed.get()) || 0));
      loopPanel.draw(
        lossChartSpec({ runs: { name: '(ŷ − 1)²', loss: r.loss }, xAxis: { label: 'step' } }),
      );
      loopStatus.textContent = `1000 steps: ŷ went from ${fmt(r.before)} to ${fmt(r.after)} (target 1), loss ${fmt(r.loss[0]!)} → ${fmt(r.loss.at(-1)!)}`;
      Object.assign(loopStatus.dataset, { before: String(r.before), after: String(r.after) });
    };
    el.append(
      h('div', { class: 'buttons' }, button('Run the loop', runLoop)),
      loopStatus,
      h('div', { class: 'charts' }, loopPanel.el),
    );
    drawActivation();
    runLoop();
    if (params.get('autorun') !== '0') train();
  },
  unmount() {
    if (timer) clearTimeout(timer);
    timer = undefined;
    for (const p of panels) p.destroy();
    panels = [];
  },
};
