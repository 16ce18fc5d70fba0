/**
 * The playground's views: the fit (a curve for one input; for two, a heat map of the decision
 * boundary or the fitted surface with the points), the training and test losses, the gradient
 * norms, and the network diagram in which each neuron shows its own output as a small heat map.
 * They draw what they are given; they hold no training state.
 */
import {
  type ChartSpec,
  decisionBoundaryChartSpec,
  fitChartSpec,
  gradientBarsChartSpec,
  heatmap,
  type LossRun,
  lossChartSpec,
  type PointSeries,
  points,
} from '@annlab/plot';
import { common } from '../i18n/common.js';
import { type ChartPanel, chartPanel } from '../ui/charts.js';
import { h } from '../ui/controls.js';
import { linspace } from '../ui/run.js';
import { takeRows } from './datasets.js';
import { MAP_CELLS, NEURON_CELLS, type PreparedData } from './setup.js';
import { playgroundStrings } from './strings.js';

/** Training and test losses by epoch. */
export interface LossHistory {
  readonly at: readonly number[];
  readonly loss: readonly number[];
  readonly testAt: readonly number[];
  readonly testLoss: readonly number[];
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Training points of each class as plot series (two inputs). */
function classPoints(d: PreparedData): PointSeries[] {
  const S = playgroundStrings();
  const names = d.classNames ?? [];
  const series = names.map((name) => ({
    name: S.classLabel(name),
    x: [] as number[],
    y: [] as number[],
  }));
  for (const i of d.split.train) {
    const s = series[d.label![i]!]!;
    s.x.push(d.x[2 * i]!);
    s.y.push(d.x[2 * i + 1]!);
  }
  return series;
}

/**
 * The map over the plane: for two classes P(class 1) = σ(logit) with the boundary at 0.5; for more,
 * the winning class index with boundaries half way; for regression the fitted value.
 */
export function planeSpec(d: PreparedData, prediction: readonly number[] | undefined): ChartSpec {
  if (d.view.kind !== 'plane') throw new Error('planeSpec: the data is not a plane');
  const S = playgroundStrings();
  const cells = MAP_CELLS * MAP_CELLS;
  const grid = { x: d.view.x, y: d.view.y, nx: MAP_CELLS, ny: MAP_CELLS };
  const k = d.classes;
  if (k === 2) {
    const values = prediction ? prediction.map(sigmoid) : new Array<number>(cells).fill(Number.NaN);
    return {
      ...decisionBoundaryChartSpec({ grid: { ...grid, values }, points: classPoints(d) }),
      title: S.boundaryTitle,
    };
  }
  if (k !== undefined) {
    const values = new Array<number>(cells).fill(Number.NaN);
    if (prediction) {
      for (let c = 0; c < cells; c++) {
        let best = 0;
        for (let j = 1; j < k; j++)
          if (prediction[c * k + j]! > prediction[c * k + best]!) best = j;
        values[c] = best;
      }
    }
    return {
      title: S.classesTitle,
      x: { label: d.inputNames[0]!, nice: false, grid: false },
      y: { label: d.inputNames[1]!, nice: false, grid: false },
      legend: 'none',
      marks: [
        heatmap({
          ...grid,
          values,
          domain: [0, k - 1],
          contours: linspace(0.5, k - 1.5, k - 1),
        }),
        points(classPoints(d), { r: 4, opacity: 1 }),
      ],
    };
  }
  const values = prediction ? [...prediction] : new Array<number>(cells).fill(Number.NaN);
  const train = takeRows(d.x, 2, d.split.train);
  return {
    title: S.surfaceTitle,
    x: { label: d.inputNames[0]!, nice: false, grid: false },
    y: { label: d.inputNames[1]!, nice: false, grid: false },
    legend: 'none',
    marks: [
      heatmap({ ...grid, values, lowLabel: S.low, highLabel: S.high }),
      points(
        {
          name: S.trainingPoints,
          x: train.filter((_, i) => i % 2 === 0),
          y: train.filter((_, i) => i % 2 === 1),
        },
        { r: 3, opacity: 1 },
      ),
    ],
  };
}

/** The colour of a neuron's value v scaled by s: blue below 0, orange above, white at 0. */
function colour(v: number, s: number): [number, number, number] {
  const t = Math.max(-1, Math.min(1, s > 0 ? v / s : 0));
  // Okabe–Ito blue (0, 114, 178) and orange (230, 159, 0), blended with white
  const [r, g, b] = t < 0 ? [0, 114, 178] : [230, 159, 0];
  const w = Math.abs(t);
  return [255 + (r - 255) * w, 255 + (g - 255) * w, 255 + (b - 255) * w];
}

/** Network diagram: each neuron a small heat map of its output over the plane. */
export interface NetworkView {
  readonly el: HTMLElement;
  /** Draws the neurons' maps (per layer, per neuron, NEURON_CELLS² values from the bottom row). */
  draw(neurons: readonly (readonly (readonly number[])[])[], params?: readonly number[]): void;
  clear(message: string): void;
}

/** Largest neuron tile, horizontal distance between layers, and the diagram's target height. */
const MAX_CELL_PX = 44;
const GAP_X = 90;
const HEIGHT_PX = 420;

/**
 * The diagram: inputs x₁, x₂ on the left, then each layer; edges coloured by the weight's sign,
 * as thick as its size; each neuron drawn as its own output map (scaled to its largest |value|).
 */
export function networkView(): NetworkView {
  const S = playgroundStrings();
  const canvas = h('canvas', {
    id: 'pg-network',
    role: 'img',
    'aria-label': S.networkLabel,
  });
  const note = h('p', { class: 'status', id: 'pg-network-note' });
  const el = h(
    'figure',
    { class: 'panel', 'data-chart': 'playground-network' },
    h('figcaption', {}, S.networkCaption),
    canvas,
    note,
  );
  const tile = document.createElement('canvas');
  tile.width = NEURON_CELLS;
  tile.height = NEURON_CELLS;
  return {
    el,
    draw(neurons, params) {
      const layers = [2, ...neurons.map((l) => l.length)];
      const tall = Math.max(...layers);
      const CELL_PX = Math.max(14, Math.min(MAX_CELL_PX, Math.floor(HEIGHT_PX / tall) - 6));
      const GAP_Y = CELL_PX + 6;
      canvas.width = GAP_X * (layers.length - 1) + CELL_PX + 20;
      canvas.height = GAP_Y * (tall - 1) + CELL_PX + 20;
      canvas.dataset.neurons = String(neurons.reduce((t, l) => t + l.length, 0));
      const ctx = canvas.getContext('2d');
      if (!ctx) return;
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      const pos = (l: number, j: number): [number, number] => [
        10 + l * GAP_X,
        10 + (tall - layers[l]!) * (GAP_Y / 2) + j * GAP_Y,
      ];
      // edges: weights of layer l (out × in, row-major) then its biases
      if (params) {
        let offset = 0;
        let wmax = 0;
        for (const v of params) wmax = Math.max(wmax, Math.abs(v));
        for (let l = 1; l < layers.length; l++) {
          const inSize = layers[l - 1]!;
          const outSize = layers[l]!;
          for (let o = 0; o < outSize; o++) {
            for (let i = 0; i < inSize; i++) {
              const w = params[offset + o * inSize + i]!;
              const [x0, y0] = pos(l - 1, i);
              const [x1, y1] = pos(l, o);
              ctx.strokeStyle = w < 0 ? 'rgba(0,114,178,0.6)' : 'rgba(230,159,0,0.6)';
              ctx.lineWidth = 0.3 + 3 * (wmax > 0 ? Math.abs(w) / wmax : 0);
              ctx.beginPath();
              ctx.moveTo(x0 + CELL_PX, y0 + CELL_PX / 2);
              ctx.lineTo(x1, y1 + CELL_PX / 2);
              ctx.stroke();
            }
          }
          offset += inSize * outSize + outSize;
        }
      }
      const tctx = tile.getContext('2d');
      if (!tctx) return;
      const image = tctx.createImageData(NEURON_CELLS, NEURON_CELLS);
      const drawMap = (values: readonly number[], l: number, j: number) => {
        let s = 0;
        for (const v of values) if (Number.isFinite(v)) s = Math.max(s, Math.abs(v));
        for (let r = 0; r < NEURON_CELLS; r++) {
          for (let c = 0; c < NEURON_CELLS; c++) {
            // row r of the grid is r cells up from the bottom; the image's row 0 is the top
            const v = values[r * NEURON_CELLS + c]!;
            const [R, G, B] = colour(v, s);
            const p = 4 * ((NEURON_CELLS - 1 - r) * NEURON_CELLS + c);
            image.data[p] = R;
            image.data[p + 1] = G;
            image.data[p + 2] = B;
            image.data[p + 3] = 255;
          }
        }
        tctx.putImageData(image, 0, 0);
        const [x, y] = pos(l, j);
        ctx.imageSmoothingEnabled = false;
        ctx.drawImage(tile, x, y, CELL_PX, CELL_PX);
        ctx.strokeStyle = '#555';
        ctx.lineWidth = 1;
        ctx.strokeRect(x + 0.5, y + 0.5, CELL_PX - 1, CELL_PX - 1);
      };
      // the inputs: x₁ and x₂ themselves over the plane
      const ramp = linspace(-1, 1, NEURON_CELLS);
      drawMap(
        Array.from({ length: NEURON_CELLS * NEURON_CELLS }, (_, i) => ramp[i % NEURON_CELLS]!),
        0,
        0,
      );
      drawMap(
        Array.from(
          { length: NEURON_CELLS * NEURON_CELLS },
          (_, i) => ramp[Math.floor(i / NEURON_CELLS)]!,
        ),
        0,
        1,
      );
      for (let l = 0; l < neurons.length; l++) {
        for (let j = 0; j < neurons[l]!.length; j++) drawMap(neurons[l]![j]!, l + 1, j);
      }
      note.textContent = S.networkNote;
    },
    clear(message) {
      const ctx = canvas.getContext('2d');
      ctx?.clearRect(0, 0, canvas.width, canvas.height);
      canvas.width = 0;
      canvas.height = 0;
      delete canvas.dataset.neurons;
      note.textContent = message;
    },
  };
}

/** All the playground's views. */
export interface PlaygroundViews {
  readonly el: HTMLElement;
  /** Draws the data and the network's current prediction on the grid (undefined: none yet). */
  drawFit(
    d: PreparedData,
    prediction: readonly number[] | undefined,
    curve?: { readonly target: readonly number[]; readonly label: string },
  ): void;
  drawLoss(h: LossHistory): void;
  drawGradients(norms: readonly number[], layers: readonly string[]): void;
  readonly network: NetworkView;
  /** Clears the charts of a run (the fit stays). */
  clearRun(): void;
  destroy(): void;
}

/** Creates the panels. */
export function createViews(): PlaygroundViews {
  const S = playgroundStrings();
  const C = common();
  const fit = chartPanel('playground-fit', S.fitPanel);
  const loss = chartPanel('playground-loss', S.lossPanel);
  const grads = chartPanel('playground-gradients', S.gradPanel);
  const network = networkView();
  const el = h('div', { class: 'charts' }, fit.el, loss.el, network.el, grads.el);
  const panels: ChartPanel[] = [fit, loss, grads];
  return {
    el,
    network,
    drawFit(d, prediction, curve) {
      if (d.view.kind === 'curve') {
        const grid = linspace(d.view.a, d.view.b, 200);
        const train = takeRows(d.x, 1, d.split.train);
        const target = takeRows(d.y, 1, d.split.train);
        // plot names the series 'samples' unless told (a variable: `name` is not in the option's type)
        const samples = { name: S.trainingPoints, x: train, y: target };
        fit.draw(
          fitChartSpec({
            x: grid,
            target: curve?.target ?? grid.map(() => Number.NaN),
            approximation: prediction ? [...prediction] : grid.map(() => Number.NaN),
            samples,
            targetLabel: curve?.label ?? S.target,
            approximationLabel: C.network,
          }),
        );
      } else if (d.view.kind === 'plane') {
        fit.draw(planeSpec(d, prediction));
      }
    },
    drawLoss(hist) {
      const runs: LossRun[] = [{ name: S.trainingLoss, x: hist.at, loss: hist.loss }];
      if (hist.testLoss.length > 0)
        runs.push({ name: S.testLossName, x: hist.testAt, loss: hist.testLoss });
      loss.draw(lossChartSpec({ runs, xAxis: { label: C.epoch }, yAxis: { label: C.loss } }));
    },
    drawGradients(norms, layers) {
      grads.draw(
        gradientBarsChartSpec({
          series: { name: S.gradName, values: norms.map((v) => Math.max(v, 1e-300)) },
          layers: [...layers],
          xAxis: { label: C.layer },
          yAxis: { label: S.gradAxis },
        }),
      );
    },
    clearRun() {
      loss.destroy();
      grads.destroy();
    },
    destroy() {
      for (const p of panels) p.destroy();
    },
  };
}
