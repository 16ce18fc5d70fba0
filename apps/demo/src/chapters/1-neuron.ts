/**
 * Chapter 1: one neuron, y = f(w·x + b). Pick the activation, see it and its derivative, and train
 * a two-input neuron on the OR gate with the notes' settings (sigmoid, w ~ N(0, 1) from the key,
 * b = 0, MSE, gradient descent 0.1, 1000 epochs) or a labelled modern variant, on the main thread in
 * chunks so the loss streams in. Then the AD blog's first training loop: one neuron, Y = 1, 1000
 * steps by autodiff.
 */
import { type ActivationName, activation } from '@annlab/core';
import { lineChartSpec, lossChartSpec } from '@annlab/plot';
import { common } from '../i18n/common.js';
import { pick } from '../i18n/lang.js';
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

const strings = () =>
  pick({
    en: {
      title: '1. One neuron',
      p1: 'A neuron multiplies its input by a weight, adds a bias and passes the sum through an activation function: $y = f(w \\cdot x + b)$. The activation decides the shape: sigmoid squashes into (0, 1), ReLU cuts off negatives, the identity keeps a straight line.',
      p2: 'Training changes $w$ and $b$ so the output matches examples. Here the neuron has two inputs and learns the OR gate: output 1 when either input is 1. The notes’ settings are the default: a sigmoid neuron, weights $w \\sim \\mathcal{N}(0, 1)$ drawn from the key, bias $b = 0$, mean squared error, gradient descent with learning rate 0.1 for 1000 epochs. The modern variant starts from PyTorch’s initialisation and takes larger steps (learning rate 2 for sigmoid, 0.2 otherwise) for 400 epochs.',
      activation: 'Activation f',
      settings: 'Settings',
      notes: 'the notes: N(0, 1), b = 0, lr 0.1, 1000 epochs',
      modern: 'modern variant: PyTorch init, larger steps, 400 epochs',
      fPanel: 'Activation and its derivative',
      lossPanel: 'OR gate: loss per epoch',
      fTitle: (name: string) => `Activation: ${name}`,
      caption: 'OR gate: target and neuron output',
      target: 'target',
      mse: 'mean squared error',
      done: (e: number, lr: number, a: string, b: string) =>
        `done: ${e} epochs at learning rate ${lr}, loss ${a} → ${b}`,
      train: 'Train on OR',
      loopTitle: 'The AD blog’s first training loop',
      loop: 'The smallest training loop there is: one sigmoid neuron at input $x = 0.5$ with $w$ and $b$ drawn from the key, the target $Y = 1$, the loss $(\\hat y - Y)^2$, and 1000 steps of $w \\leftarrow w - 0.1\\,\\partial L/\\partial w$, $b \\leftarrow b - 0.1\\,\\partial L/\\partial b$, every gradient computed by reverse-mode automatic differentiation.',
      loopPanel: 'First training loop: loss per step',
      step: 'step',
      loopStatus: (a: string, b: string, l0: string, l1: string) =>
        `1000 steps: ŷ went from ${a} to ${b} (target 1), loss ${l0} → ${l1}`,
      runLoop: 'Run the loop',
    },
    'zh-CN': {
      title: '1. 单个神经元',
      p1: '神经元把输入乘以权重，加上偏置，再把和送入激活函数：$y = f(w \\cdot x + b)$。激活函数决定形状：sigmoid 把值压到 (0, 1) 之间，ReLU 截去负值，恒等函数保持一条直线。',
      p2: '训练就是调整 $w$ 和 $b$，使输出与样本相符。这里的神经元有两个输入，学习“或”门（OR）：任一输入为 1 时输出 1。默认采用讲义的设置：sigmoid 神经元，权重 $w \\sim \\mathcal{N}(0, 1)$ 由随机密钥生成，偏置 $b = 0$，均方误差，学习率 0.1 的梯度下降，训练 1000 轮。现代变体采用 PyTorch 的初始化，步长更大（sigmoid 用学习率 2，其他用 0.2），训练 400 轮。',
      activation: '激活函数 f',
      settings: '设置',
      notes: '讲义：N(0, 1)，b = 0，学习率 0.1，1000 轮',
      modern: '现代变体：PyTorch 初始化，更大步长，400 轮',
      fPanel: '激活函数及其导数',
      lossPanel: '或门：每轮的损失',
      fTitle: (name: string) => `激活函数：${name}`,
      caption: '或门：目标与神经元输出',
      target: '目标',
      mse: '均方误差',
      done: (e: number, lr: number, a: string, b: string) =>
        `完成：学习率 ${lr}，共 ${e} 轮，损失 ${a} → ${b}`,
      train: '训练或门',
      loopTitle: '自动微分博客中的第一个训练循环',
      loop: '最小的训练循环：一个 sigmoid 神经元，输入 $x = 0.5$，$w$ 和 $b$ 由随机密钥生成，目标 $Y = 1$，损失 $(\\hat y - Y)^2$，执行 1000 步 $w \\leftarrow w - 0.1\\,\\partial L/\\partial w$、$b \\leftarrow b - 0.1\\,\\partial L/\\partial b$，每个梯度都由反向模式自动微分求得。',
      loopPanel: '第一个训练循环：每步的损失',
      step: '步数',
      loopStatus: (a: string, b: string, l0: string, l1: string) =>
        `1000 步：ŷ 从 ${a} 变为 ${b}（目标 1），损失 ${l0} → ${l1}`,
      runLoop: '运行循环',
    },
  });

export const neuronChapter: Chapter = {
  id: 'chapter-1',
  get title() {
    return strings().title;
  },
  mount(el, params) {
    const S = strings();
    const C = common();
    el.append(prose(S.p1, S.p2));
    const act = selectField<ActivationName>({
      id: 'n1-activation',
      label: S.activation,
      value: 'sigmoid',
      options: ACTIVATIONS.map((a) => [a, a] as const),
    });
    const variant = selectField<NeuronSettings>({
      id: 'n1-settings',
      label: S.settings,
      value: params.get('variant') === 'modern' ? 'modern' : 'notes',
      options: [
        ['notes', S.notes],
        ['modern', S.modern],
      ],
    });
    const seed = numberField({ id: 'n1-seed', label: C.key, value: 0, min: 0, step: 1 });
    const fPanel = chartPanel('neuron-activation', S.fPanel);
    const lossPanel = chartPanel('neuron-loss', S.lossPanel);
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
          title: S.fTitle(a.label),
        }),
      );
    };
    const showPredictions = (p: number[]) => {
      table.replaceChildren(
        h('caption', {}, S.caption),
        h('tr', {}, h('th', {}, 'x₁'), h('th', {}, 'x₂'), h('th', {}, S.target), h('th', {}, 'ŷ')),
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
      status.textContent = C.training;
      status.dataset.state = 'running';
      const next = () => {
        const r = trainOr(model, settings.learningRate, Math.min(chunk, epochs - loss.length));
        model = r.model;
        loss.push(...r.loss);
        lossPanel.draw(
          lossChartSpec({
            runs: { name: S.mse, loss },
            xAxis: { label: C.epoch },
            yAxis: { label: C.loss },
          }),
        );
        const p = model.params;
        const pred = OR_Y.map((_, i) => {
          const s = p[0]! * OR_X[2 * i]! + p[1]! * OR_X[2 * i + 1]! + p[2]!;
          return activation(act.get()).f(s);
        });
        showPredictions(pred);
        if (loss.length < epochs) {
          status.textContent = `${C.epochOf(loss.length, epochs)}: ${C.loss} ${fmt(loss.at(-1)!)}`;
          timer = setTimeout(next, 0);
        } else {
          status.textContent = S.done(
            epochs,
            settings.learningRate,
            fmt(loss[0]!),
            fmt(loss.at(-1)!),
          );
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
      h('div', { class: 'controls' }, act.el, variant.el, seed.el, button(S.train, train)),
      status,
      h('div', { class: 'charts' }, fPanel.el, lossPanel.el),
      table,
    );

    el.append(h('h2', {}, S.loopTitle), prose(S.loop));
    const loopStatus = statusLine('n1-loop');
    const loopPanel = chartPanel('first-loop', S.loopPanel);
    panels.push(loopPanel);
    const runLoop = () => {
      const r = firstTrainingLoop(Math.max(0, Math.round(seed.get()) || 0));
      loopPanel.draw(
        lossChartSpec({
          runs: { name: '(ŷ − 1)²', loss: r.loss },
          xAxis: { label: S.step },
          yAxis: { label: C.loss },
        }),
      );
      loopStatus.textContent = S.loopStatus(
        fmt(r.before),
        fmt(r.after),
        fmt(r.loss[0]!),
        fmt(r.loss.at(-1)!),
      );
      Object.assign(loopStatus.dataset, { before: String(r.before), after: String(r.after) });
    };
    el.append(
      h('div', { class: 'buttons' }, button(S.runLoop, runLoop)),
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
