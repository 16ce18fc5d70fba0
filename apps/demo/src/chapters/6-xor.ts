/**
 * Chapter 6: XOR with a 2-2-1 network (the blog's all-sigmoid net by gradient descent, or tanh + Adam): its decision boundary as a heat
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
import { adam, fit as fitModel, sgd } from '@annlab/train';
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
/** The blog's 2-2-1 all-sigmoid network by plain gradient descent, and a labelled modern variant. */
export type XorVariant = 'blog' | 'modern';
/** Each variant's hidden activation, optimizer, learning rate and epochs. */
export const XOR_VARIANTS = {
  blog: { hidden: 'sigmoid', optimizer: 'sgd', learningRate: 0.1, epochs: 10_000 },
  modern: { hidden: 'tanh', optimizer: 'adam', learningRate: 0.05, epochs: 600 },
} as const;
const xorSpec = (v: XorVariant) => mlpSpec([2, 2, 1], XOR_VARIANTS[v].hidden, 'sigmoid');
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
export function xorLoss(seed: number, epochs: number, variant: XorVariant = 'blog'): number {
  const spec = xorSpec(variant);
  const v = XOR_VARIANTS[variant];
  const params = Float64Array.from(initMlp(spec, key(seed)));
  const r = fitModel(
    { kind: 'mlp', spec, params },
    { x: XOR_X, y: XOR_Y },
    {
      epochs,
      optimizer: v.optimizer === 'adam' ? adam(v.learningRate) : sgd(v.learningRate),
      loss: 'mse',
    },
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
  variant: XorVariant = 'blog',
): Promise<{ losses: Float32Array; seconds: number }> {
  const v = XOR_VARIANTS[variant];
  return trainSmallMlps(gpu, {
    spec: xorSpec(variant),
    keys: Array.from({ length: count }, (_, k) => key(k)),
    x: XOR_X,
    y: XOR_Y,
    loss: 'mse',
    optimizer: { name: v.optimizer, lr: v.learningRate },
    epochs,
  });
}

export const xorChapter: Chapter = {
  id: 'chapter-6',
  title: '6. XOR',
  mount(el, params) {
    const variant: XorVariant = params.get('variant') === 'modern' ? 'modern' : 'blog';
    const v = XOR_VARIANTS[variant];
    const epochs = intParam(params, 'epochs', v.epochs, 1, 20_000);
    const forceCpu = params.get('backend') === 'cpu';
    el.append(
      prose(
        'XOR outputs 1 when exactly one input is 1. No single straight line separates those points, so one neuron cannot learn it; two hidden neurons can, by bending the boundary.',
        variant === 'blog'
          ? 'The settings are the blog’s: a 2-2-1 network with sigmoid everywhere, plain gradient descent with learning rate 0.1, 10,000 epochs. (Modern variant: tanh hidden units and Adam 0.05 for 600 epochs; add ?variant=modern to the address or use the link below.)'
          : 'Modern variant: tanh hidden units, sigmoid output, Adam with learning rate 0.05, 600 epochs. (The blog’s settings: sigmoid everywhere, plain gradient descent 0.1, 10,000 epochs.)',
        'The heat map shows the network’s output over the plane, the line where it crosses ½ and the four training points. Below, the same network is trained from many different keys: some reach a loss near zero within the epochs, the others are still on a plateau or stuck in a poor minimum. With WebGPU all keys train at once, one GPU thread per network; without it, a few dozen keys train one after another on the CPU.',
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
          model: { kind: 'mlp', sizes: [2, 2, 1], hidden: v.hidden, output: 'sigmoid' },
          x: XOR_X,
          y: XOR_Y,
          seed: Math.max(0, Math.round(seed.get()) || 0),
          optimizer: v.optimizer,
          learningRate: v.learningRate,
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
            status.dataset.loss = String(h2.loss.at(-1));
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
        for (let i = 0; i < 4 && k < keys; i++, k++) losses.push(xorLoss(k, epochs, variant));
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
      const { losses, seconds } = await xorLossesOnGpu(await gpuDevice, keys, epochs, variant);
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
        h(
          'a',
          {
            href: `#/chapter-6?variant=${variant === 'blog' ? 'modern' : 'blog'}`,
            id: 'c6-variant',
          },
          variant === 'blog' ? 'Modern variant (tanh, Adam)' : 'The blog’s settings (sigmoid, GD)',
        ),
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
