/**
 * Chapter 6: XOR with a 2-2-1 network (tanh hidden, sigmoid output): its decision boundary as a heat
 * map while it trains in a worker, and the spread of final losses over many keys (some keys get
 * stuck in a poor local minimum).
 *
 * The spread: with WebGPU, every key is trained at once in one `trainSmallMlps` call (one GPU thread
 * per network, 10,000 keys by default); without it, a few dozen keys one after another on the CPU
 * (train's `fit`, float64). Key k is `key(k)` on both paths, so the two spreads are of the same
 * networks. URL parameters: `keys`, `epochs`, `backend=cpu` to force the CPU path.
 */
import { initMlp, key, mlpSpec } from '@annlab/core';
import { type Gpu, requestGpu, trainSmallMlps } from '@annlab/gpu';
import { decisionBoundaryChartSpec, lossHistogramChartSpec } from '@annlab/plot';
import { adam, fit as fitModel } from '@annlab/train';
import { type ChartPanel, chartPanel } from '../ui/charts.js';
import { button, fmt, h, numberField, prose, statusLine } from '../ui/controls.js';
import { detectGpu } from '../ui/gpuInfo.js';
import { type Run, startRun } from '../ui/run.js';
import { type Chapter, intParam } from './types.js';

let run: Run | undefined;
let panels: ChartPanel[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;
/** The chapter's WebGPU device (requested on the first GPU spread, released on unmount). */
let gpuDevice: Promise<Gpu> | undefined;
/** Bumped on every spread and on unmount, so a finishing spread that is stale draws nothing. */
let generation = 0;

/** Keys trained at once on WebGPU by default: about 2–5 s on SwiftShader (a CPU), far less on a GPU. */
const GPU_KEYS = 10_000;
/** Keys trained one after another on the CPU by default. */
const CPU_KEYS = 40;
const XOR_SPEC = mlpSpec([2, 2, 1], 'tanh', 'sigmoid');
const LEARNING_RATE = 0.05;
/** A key counts as solving XOR below this final MSE. */
const SOLVED = 0.05;

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
  const params = Float64Array.from(initMlp(XOR_SPEC, key(seed)));
  const r = fitModel(
    { kind: 'mlp', spec: XOR_SPEC, params },
    { x: XOR_X, y: XOR_Y },
    { epochs, optimizer: adam(LEARNING_RATE), loss: 'mse' },
  );
  return r.history.loss.at(-1)!;
}

/**
 * Final XOR losses of the networks from `key(0)` … `key(count − 1)`, all trained at once on the GPU
 * (float32, full-batch Adam as on the CPU path).
 */
export async function xorLossesOnGpu(
  gpu: Gpu,
  count: number,
  epochs: number,
): Promise<{ losses: Float32Array; seconds: number }> {
  return trainSmallMlps(gpu, {
    spec: XOR_SPEC,
    keys: Array.from({ length: count }, (_, k) => key(k)),
    x: XOR_X,
    y: XOR_Y,
    loss: 'mse',
    optimizer: { name: 'adam', learningRate: LEARNING_RATE },
    epochs,
  });
}

export const xorChapter: Chapter = {
  id: 'chapter-6',
  title: '6. XOR',
  mount(el, params) {
    const epochs = intParam(params, 'epochs', 600, 1, 5000);
    const forceCpu = params.get('backend') === 'cpu';
    el.append(
      prose(
        'XOR outputs 1 when exactly one input is 1. No single straight line separates those points, so one neuron cannot learn it; two hidden neurons can, by bending the boundary.',
        'The heat map shows the network’s output over the plane, the line where it crosses ½ and the four training points. Below, the same network is trained from many different keys: many reach a loss near zero, the others get stuck. With WebGPU all keys train at once, one GPU thread per network; without it, a few dozen keys train one after another on the CPU.',
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
    const drawSpread = (losses: ArrayLike<number>) =>
      hist.draw(lossHistogramChartSpec({ losses, xAxis: { label: 'final loss' } }));
    const solvedOf = (losses: ArrayLike<number>) => {
      let solved = 0;
      for (let i = 0; i < losses.length; i++) if (losses[i]! < SOLVED) solved++;
      return solved;
    };
    const cpuSpread = (note: string, gen: number) => {
      const keys = intParam(params, 'keys', CPU_KEYS, 1, 400);
      const losses: number[] = [];
      spread.dataset.backend = 'cpu';
      const next = (k: number) => {
        if (gen !== generation) return;
        // A few keys per tick keep the page responsive.
        for (let i = 0; i < 4 && k < keys; i++, k++) losses.push(xorLoss(k, epochs));
        drawSpread(losses);
        spread.textContent = `${losses.length} of ${keys} keys trained; ${solvedOf(losses)} reach a loss below ${SOLVED} (CPU, one after another: ${note})`;
        if (k < keys) timer = setTimeout(() => next(k), 0);
        else {
          spread.dataset.solved = String(solvedOf(losses));
          spread.dataset.keys = String(keys);
          spread.dataset.state = 'done';
        }
      };
      next(0);
    };
    const gpuSpread = async (description: string, gen: number) => {
      const keys = intParam(params, 'keys', GPU_KEYS, 1, 100_000);
      spread.textContent = `training ${keys} keys at once on WebGPU…`;
      gpuDevice ??= requestGpu({ gpu: (navigator as Navigator & { gpu: GPU }).gpu });
      const { losses, seconds } = await xorLossesOnGpu(await gpuDevice, keys, epochs);
      if (gen !== generation) return;
      drawSpread(losses);
      const solved = solvedOf(losses);
      spread.textContent = `${keys} keys trained at once on WebGPU (${description}) in ${fmt(seconds, 3)} s; ${solved} reach a loss below ${SOLVED}`;
      Object.assign(spread.dataset, {
        backend: 'webgpu',
        keys: String(keys),
        solved: String(solved),
        seconds: String(seconds),
        state: 'done',
      });
    };
    const spreadRun = () => {
      if (timer) clearTimeout(timer);
      const gen = ++generation;
      spread.dataset.state = 'running';
      delete spread.dataset.backend;
      void (async () => {
        if (forceCpu) return cpuSpread('backend=cpu in the URL', gen);
        const info = await detectGpu();
        if (gen !== generation) return;
        if (!info.available) return cpuSpread(info.description, gen);
        try {
          await gpuSpread(info.description.replace(/^WebGPU adapter: /, 'adapter '), gen);
        } catch (e) {
          if (gen !== generation) return;
          gpuDevice = undefined;
          cpuSpread(`WebGPU failed: ${(e as Error).message}`, gen);
        }
      })();
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
    generation++;
    if (timer) clearTimeout(timer);
    const device = gpuDevice;
    gpuDevice = undefined;
    device?.then((g) => g.dispose()).catch(() => {});
    for (const p of panels) p.destroy();
    panels = [];
  },
};
