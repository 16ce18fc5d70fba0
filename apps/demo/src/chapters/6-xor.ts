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
import { common } from '../i18n/common.js';
import { lang, pick } from '../i18n/lang.js';
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
    optimizer: { name: v.optimizer, learningRate: v.learningRate },
    epochs,
  });
}

const strings = () =>
  pick({
    en: {
      title: '6. XOR',
      p1: 'XOR outputs 1 when exactly one input is 1. No single straight line separates those points, so one neuron cannot learn it; two hidden neurons can, by bending the boundary.',
      blog: 'The settings are the blog’s: a 2-2-1 network with sigmoid everywhere, plain gradient descent with learning rate 0.1, 10,000 epochs. (Modern variant: tanh hidden units and Adam 0.05 for 600 epochs; use the link below.)',
      modern:
        'Modern variant: tanh hidden units, sigmoid output, Adam with learning rate 0.05, 600 epochs. (The blog’s settings: sigmoid everywhere, plain gradient descent 0.1, 10,000 epochs.)',
      p3: 'The heat map shows the network’s output over the plane, the line where it crosses ½ and the four training points. Below, the same network is trained from many different keys: some reach a loss near zero within the epochs, the others are still on a plateau or stuck in a poor minimum. With WebGPU all keys train at once, one GPU thread per network; without it, a few dozen keys train one after another on the CPU.',
      boundary: 'XOR decision boundary',
      spreadPanel: 'Final losses over keys',
      class0: 'class 0',
      class1: 'class 1',
      done: (l: string) => `done: final loss ${l}`,
      cpuSpread: (n: number, keys: number, solved: number, below: number) =>
        `${n} of ${keys} keys trained; ${solved} reach a loss below ${below} (CPU, one after another: `,
      gpuStart: (keys: number) => `training ${keys} keys at once on WebGPU…`,
      gpuDone: (keys: number) => `${keys} keys trained at once on WebGPU (`,
      gpuTail: (sec: string, solved: number, below: number) =>
        `) in ${sec} s; ${solved} reach a loss below ${below}`,
      forced: 'backend=cpu in the URL',
      failed: 'WebGPU failed: ',
      train: 'Train',
      trainAll: 'Train all keys',
      toModern: 'Modern variant (tanh, Adam)',
      toBlog: 'The blog’s settings (sigmoid, GD)',
    },
    'zh-CN': {
      title: '6. 异或（XOR）',
      p1: '异或（XOR）在恰好一个输入为 1 时输出 1。没有一条直线能把这些点分开，所以单个神经元学不会它；两个隐藏神经元可以，它们能把边界弯折。',
      blog: '采用博客的设置：2-2-1 网络，全部使用 sigmoid，学习率 0.1 的普通梯度下降，训练 10,000 轮。（现代变体：隐藏层用 tanh，Adam 0.05，训练 600 轮；见下方链接。）',
      modern:
        '现代变体：隐藏层用 tanh，输出用 sigmoid，学习率 0.05 的 Adam，训练 600 轮。（博客的设置：全部使用 sigmoid，普通梯度下降 0.1，10,000 轮。）',
      p3: '热图显示网络在平面上的输出、输出等于 ½ 的分界线以及四个训练点。下方用许多不同的随机密钥训练同一个网络：有的在给定轮数内损失接近零，其余的仍停在平台上或陷入较差的极小值。有 WebGPU 时所有密钥同时训练，每个网络一个 GPU 线程；没有时则在 CPU 上逐个训练几十个密钥。',
      boundary: '异或的决策边界',
      spreadPanel: '各密钥的最终损失',
      class0: '类别 0',
      class1: '类别 1',
      done: (l: string) => `完成：最终损失 ${l}`,
      cpuSpread: (n: number, keys: number, solved: number, below: number) =>
        `已训练 ${keys} 个密钥中的 ${n} 个；${solved} 个的损失低于 ${below}（CPU，逐个训练：`,
      gpuStart: (keys: number) => `正在 WebGPU 上同时训练 ${keys} 个密钥…`,
      gpuDone: (keys: number) => `在 WebGPU 上同时训练了 ${keys} 个密钥（`,
      gpuTail: (sec: string, solved: number, below: number) =>
        `），用时 ${sec} 秒；${solved} 个的损失低于 ${below}`,
      forced: '网址中指定了 backend=cpu',
      failed: 'WebGPU 出错：',
      train: '训练',
      trainAll: '训练全部密钥',
      toModern: '现代变体（tanh，Adam）',
      toBlog: '博客的设置（sigmoid，梯度下降）',
    },
  });

export const xorChapter: Chapter = {
  id: 'chapter-6',
  get title() {
    return strings().title;
  },
  mount(el, params) {
    const S = strings();
    const C = common();
    const variant: XorVariant = params.get('variant') === 'modern' ? 'modern' : 'blog';
    const v = XOR_VARIANTS[variant];
    const epochs = intParam(params, 'epochs', v.epochs, 1, 20_000);
    const forceCpu = params.get('backend') === 'cpu';
    el.append(prose(S.p1, variant === 'blog' ? S.blog : S.modern, S.p3));
    const seed = numberField({ id: 'c6-seed', label: C.key, value: 0, min: 0, step: 1 });
    const status = statusLine('c6-status');
    const spread = statusLine('c6-spread');
    const boundary = chartPanel('xor-boundary', S.boundary);
    const hist = chartPanel('xor-spread', S.spreadPanel);
    panels = [boundary, hist];
    const grid = gridInputs();
    const drawBoundary = (values: number[]) =>
      boundary.draw(
        decisionBoundaryChartSpec({
          grid: { x: RANGE, y: RANGE, nx: NX, ny: NX, values },
          points: [
            { name: S.class0, x: [0, 1], y: [0, 1] },
            { name: S.class1, x: [0, 1], y: [1, 0] },
          ],
          xAxis: { label: 'x₁' },
          yAxis: { label: 'x₂' },
        }),
      );
    const train = () => {
      run?.stop();
      status.textContent = C.training;
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
            status.textContent = `${C.epochOf(m.epoch, epochs)}: ${C.loss} ${fmt(h2.loss.at(-1)!)}`;
          },
          onDone(h2) {
            status.textContent = S.done(fmt(h2.loss.at(-1)!));
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
      hist.draw(
        lossHistogramChartSpec({
          losses,
          xAxis: { label: C.finalLoss },
          yAxis: { label: C.runs },
          median: lang() === 'en',
        }),
      );
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
        spread.replaceChildren(
          S.cpuSpread(losses.length, keys, solvedOf(losses), SOLVED),
          h('code', {}, note),
          lang() === 'en' ? ')' : '）',
        );
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
      spread.textContent = S.gpuStart(keys);
      gpuDevice ??= requestGpu({ gpu: (navigator as Navigator & { gpu: GPU }).gpu });
      const { losses, seconds } = await xorLossesOnGpu(await gpuDevice, keys, epochs, variant);
      if (gen !== generation) return;
      drawSpread(losses);
      const solved = solvedOf(losses);
      spread.replaceChildren(
        S.gpuDone(keys),
        h('code', {}, description),
        S.gpuTail(fmt(seconds, 3), solved, SOLVED),
      );
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
        if (forceCpu) return cpuSpread(S.forced, gen);
        const info = await detectGpu();
        if (gen !== generation) return;
        if (!info.available) return cpuSpread(info.description, gen);
        try {
          await gpuSpread(info.description.replace(/^WebGPU adapter: /, 'adapter '), gen);
        } catch (e) {
          if (gen !== generation) return;
          gpuDevice = undefined;
          cpuSpread(`${S.failed}${(e as Error).message}`, gen);
        }
      })();
    };
    el.append(
      h(
        'div',
        { class: 'controls' },
        seed.el,
        button(S.train, train),
        button(S.trainAll, spreadRun),
        h(
          'a',
          {
            href: `#/chapter-6?variant=${variant === 'blog' ? 'modern' : 'blog'}`,
            id: 'c6-variant',
          },
          variant === 'blog' ? S.toModern : S.toBlog,
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
