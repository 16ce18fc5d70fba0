/**
 * Chapter 4: full batch, per-sample SGD and mini-batches on the same problem and key, side by side:
 * loss against updates and against time.
 */
import { lossChartSpec } from '@annlab/plot';
import { common } from '../i18n/common.js';
import { pick } from '../i18n/lang.js';
import { type ChartPanel, chartPanel } from '../ui/charts.js';
import { button, fmt, h, prose, statusLine } from '../ui/controls.js';
import { type Run, startRun } from '../ui/run.js';
import type { BatchSetting } from '../worker/protocol.js';
import { example1Job } from './3-examples.js';
import { type Chapter, intParam } from './types.js';

let runs: Run[] = [];
let panels: ChartPanel[] = [];

/** The three modes and their learning rates; names come from the page's language. */
const MODES: readonly (readonly [BatchSetting, number])[] = [
  ['full', 0.5],
  ['sgd', 0.01],
  [20, 0.1],
];

const strings = () =>
  pick({
    en: {
      title: '4. Batch, SGD, mini-batch',
      modes: ['full batch', 'SGD (one sample)', 'mini-batch of 20'],
      p1: 'Full batch averages the gradient over all 200 points before each update: one careful step per epoch. Stochastic gradient descent (SGD) updates after every single point: 200 noisy steps per epoch. Mini-batches sit in between.',
      p2: 'All three start from the same weights (the same key) and see the same shuffled orders. Compare the loss per update (how much each step buys) with the loss per millisecond (what it costs).',
      byUpdates: 'Loss against updates',
      byTime: 'Loss against time',
      updates: 'updates',
      ms: 'milliseconds',
      training: 'training the three modes…',
      done: (parts: string) => `done: ${parts}`,
      train: 'Train all three',
    },
    'zh-CN': {
      title: '4. 批量、随机梯度下降、小批量',
      modes: ['批量梯度下降', '随机梯度下降（单个样本）', '小批量（20 个）'],
      p1: '批量梯度下降在每次更新前对全部 200 个点的梯度求平均：每轮只走稳妥的一步。随机梯度下降每看一个点就更新一次：每轮 200 步，带有噪声。小批量介于两者之间。',
      p2: '三者从同样的权重（同一个随机密钥）出发，看到同样的打乱顺序。比较每次更新带来的损失下降（每一步的收益）与每毫秒的损失下降（代价）。',
      byUpdates: '损失与更新次数',
      byTime: '损失与时间',
      updates: '更新次数',
      ms: '毫秒',
      training: '正在训练三种方式…',
      done: (parts: string) => `完成：${parts}`,
      train: '训练全部三种',
    },
  });

export const batchChapter: Chapter = {
  id: 'chapter-4',
  get title() {
    return strings().title;
  },
  mount(el, params) {
    const S = strings();
    const C = common();
    const epochs = intParam(params, 'epochs', 300, 1, 5000);
    el.append(prose(S.p1, S.p2));
    const status = statusLine('c4-status');
    const byUpdates = chartPanel('batch-updates', S.byUpdates);
    const byTime = chartPanel('batch-time', S.byTime);
    panels = [byUpdates, byTime];
    const hist = MODES.map(() => ({
      loss: [] as number[],
      updates: [] as number[],
      time: [] as number[],
    }));
    const draw = () => {
      byUpdates.draw(
        lossChartSpec({
          runs: MODES.map((_, i) => ({
            name: S.modes[i],
            x: hist[i]!.updates,
            loss: hist[i]!.loss,
          })),
          xAxis: { label: S.updates, type: 'log' },
          yAxis: { label: C.loss },
        }),
      );
      byTime.draw(
        lossChartSpec({
          runs: MODES.map((_, i) => ({
            name: S.modes[i],
            x: hist[i]!.time,
            loss: hist[i]!.loss,
          })),
          xAxis: { label: S.ms },
          yAxis: { label: C.loss },
        }),
      );
    };
    const train = () => {
      for (const r of runs) r.stop();
      runs = [];
      let done = 0;
      status.textContent = S.training;
      status.dataset.state = 'running';
      MODES.forEach(([batch, lr], i) => {
        const name = S.modes[i]!;
        runs.push(
          startRun(
            {
              ...example1Job(epochs, 0, []),
              batch,
              learningRate: lr,
              chunk: Math.max(1, Math.floor(epochs / 30)),
            },
            {
              onProgress(h2) {
                hist[i] = {
                  loss: h2.loss.slice(),
                  updates: h2.updates.slice(),
                  time: h2.time.slice(),
                };
                if (hist.every((x) => x.loss.length > 0)) draw();
              },
              onDone(h2) {
                done++;
                status.dataset[`loss${i}`] = String(h2.loss.at(-1));
                status.dataset[`updates${i}`] = String(h2.updates.at(-1));
                if (done === MODES.length) {
                  status.textContent = S.done(
                    S.modes
                      .map((n, k) => `${n}: ${fmt(Number(status.dataset[`loss${k}`]))}`)
                      .join(', '),
                  );
                  status.dataset.state = 'done';
                }
              },
              onError(msg) {
                status.textContent = `${name}: ${msg}`;
                status.dataset.state = 'error';
              },
            },
          ),
        );
      });
    };
    el.append(
      h('div', { class: 'buttons' }, button(S.train, train)),
      status,
      h('div', { class: 'charts' }, byUpdates.el, byTime.el),
    );
    if (params.get('autorun') !== '0') train();
  },
  unmount() {
    for (const r of runs) r.stop();
    runs = [];
    for (const p of panels) p.destroy();
    panels = [];
  },
};
