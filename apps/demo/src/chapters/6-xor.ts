/**
 * Chapter 6: XOR with a 2-2-1 network (tanh hidden, sigmoid output): its decision boundary as a heat
 * map while it trains in a worker, and the spread of final losses over many keys (some keys get
 * stuck in a poor local minimum).
 */
import { initMlp, key, mlpSpec } from '@annlab/core';
import { decisionBoundaryChartSpec, lossHistogramChartSpec } from '@annlab/plot';
import { adam, fit as fitModel } from '@annlab/train';
import { type ChartPanel, chartPanel } from '../ui/charts.js';
import { button, fmt, h, numberField, prose, statusLine } from '../ui/controls.js';
import { type Run, startRun } from '../ui/run.js';
import { type Chapter, intParam } from './types.js';

let run: Run | undefined;
let panels: ChartPanel[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;

const XOR_X = [0, 0, 0, 1, 1, 0, 1, 1];
const XOR_Y = [0, 1, 1, 0];
const NX = 31;
const RANGE: [number, number] = [-0.5, 1.5];

function gridInputs(): number[] {
  const g: number[] = [];
  for (let j = 0; j < NX; j++) {
    for (let i = 0; i < NX; i++) {
      g.push(RANGE[0] + ((RANGE[1] - RANGE[0]) * i) / (NX - 1));
      g.push(RANGE[0] + ((RANGE[1] - RANGE[0]) * j) / (NX - 1));
    }
  }
  return g;
}

/** Final XOR loss of the 2-2-1 network from one key (CPU, float64). */
export function xorLoss(seed: number, epochs: number): number {
  const spec = mlpSpec([2, 2, 1], 'tanh', 'sigmoid');
  const params = Float64Array.from(initMlp(spec, key(seed)));
  const r = fitModel(
    { kind: 'mlp', spec, params },
    { x: XOR_X, y: XOR_Y },
    { epochs, optimizer: adam(0.05), loss: 'mse' },
  );
  return r.history.loss.at(-1)!;
}

export const xorChapter: Chapter = {
  id: 'chapter-6',
  title: '6. XOR',
  mount(el, params) {
    const epochs = intParam(params, 'epochs', 600, 1, 5000);
    const keys = intParam(params, 'keys', 40, 1, 400);
    el.append(
      prose(
        'XOR outputs 1 when exactly one input is 1. No single straight line separates those points, so one neuron cannot learn it; two hidden neurons can, by bending the boundary.',
        'The heat map shows the network’s output over the plane, the line where it crosses ½ and the four training points. Below, the same network is trained from many different keys: most reach a loss near zero, some get stuck.',
      ),
    );
    const seed = numberField({ id: 'c6-seed', label: 'Key (seed)', value: 0, min: 0, step: 1 });
    const status = statusLine('c6-status');
    const spread = statusLine('c6-spread');
    const boundary = chartPanel('xor-boundary', 'XOR decision boundary');
    const hist = chartPanel('xor-spread', 'Final losses over keys');
    panels = [boundary, hist];
    const grid = gridInputs();
    const drawBoundary = (values: number[]) =>
      boundary.draw(
        decisionBoundaryChartSpec({
          grid: { x: RANGE, y: RANGE, nx: NX, ny: NX, values },
          points: [
            { name: 'class 0', x: [0, 1], y: [0, 1] },
            { name: 'class 1', x: [0, 1], y: [1, 0] },
          ],
          xAxis: { label: 'x₁' },
          yAxis: { label: 'x₂' },
        }),
      );
    const train = () => {
      run?.stop();
      status.textContent = 'training…';
      status.dataset.state = 'running';
      run = startRun(
        {
          model: { kind: 'mlp', sizes: [2, 2, 1], hidden: 'tanh', output: 'sigmoid' },
          x: XOR_X,
          y: XOR_Y,
          seed: Math.max(0, Math.round(seed.get()) || 0),
          optimizer: 'adam',
          learningRate: 0.05,
          schedule: 'constant',
          batch: 'full',
          epochs,
          loss: 'mse',
          normalize: false,
          backend: 'cpu',
          chunk: Math.max(1, Math.floor(epochs / 30)),
          grid,
        },
        {
          onProgress(h2, m) {
            if (m.prediction) drawBoundary(m.prediction);
            status.textContent = `epoch ${m.epoch}: loss ${fmt(h2.loss.at(-1)!)}`;
          },
          onDone(h2) {
            status.textContent = `done: final loss ${fmt(h2.loss.at(-1)!)}`;
            status.dataset.state = 'done';
          },
          onError(msg) {
            status.textContent = msg;
            status.dataset.state = 'error';
          },
        },
      );
    };
    const spreadRun = () => {
      if (timer) clearTimeout(timer);
      const losses: number[] = [];
      spread.dataset.state = 'running';
      const next = (k: number) => {
        // A few keys per tick keep the page responsive.
        for (let i = 0; i < 4 && k < keys; i++, k++) losses.push(xorLoss(k, epochs));
        hist.draw(lossHistogramChartSpec({ losses, xAxis: { label: 'final loss' } }));
        const solved = losses.filter((l) => l < 0.05).length;
        spread.textContent = `${losses.length} of ${keys} keys trained; ${solved} reach a loss below 0.05 (CPU, one after another)`;
        if (k < keys) timer = setTimeout(() => next(k), 0);
        else spread.dataset.state = 'done';
      };
      next(0);
    };
    el.append(
      h(
        'div',
        { class: 'controls' },
        seed.el,
        button('Train', train),
        button('Train all keys', spreadRun),
      ),
      status,
      spread,
      h('div', { class: 'charts' }, boundary.el, hist.el),
    );
    drawBoundary(new Array<number>(NX * NX).fill(0.5));
    if (params.get('autorun') !== '0') {
      train();
      spreadRun();
    }
  },
  unmount() {
    run?.stop();
    run = undefined;
    if (timer) clearTimeout(timer);
    for (const p of panels) p.destroy();
    panels = [];
  },
};
