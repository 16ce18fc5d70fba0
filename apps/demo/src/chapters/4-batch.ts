/**
 * Chapter 4: full batch, per-sample SGD and mini-batches on the same problem and key, side by side:
 * loss against updates and against time.
 */
import { lossChartSpec } from '@annlab/plot';
import { type ChartPanel, chartPanel } from '../ui/charts.js';
import { button, fmt, h, prose, statusLine } from '../ui/controls.js';
import { type Run, startRun } from '../ui/run.js';
import type { BatchSetting } from '../worker/protocol.js';
import { example1Job } from './3-examples.js';
import { type Chapter, intParam } from './types.js';

let runs: Run[] = [];
let panels: ChartPanel[] = [];

const MODES: readonly (readonly [BatchSetting, string, number])[] = [
  ['full', 'full batch', 0.5],
  ['sgd', 'SGD (one sample)', 0.01],
  [20, 'mini-batch of 20', 0.1],
];

export const batchChapter: Chapter = {
  id: 'chapter-4',
  title: '4. Batch, SGD, mini-batch',
  mount(el, params) {
    const epochs = intParam(params, 'epochs', 300, 1, 5000);
    el.append(
      prose(
        'Full batch averages the gradient over all 200 points before each update: one careful step per epoch. SGD updates after every single point: 200 noisy steps per epoch. Mini-batches sit in between.',
        'All three start from the same weights (the same key) and see the same shuffled orders. Compare the loss per update (how much each step buys) with the loss per millisecond (what it costs).',
      ),
    );
    const status = statusLine('c4-status');
    const byUpdates = chartPanel('batch-updates', 'Loss against updates');
    const byTime = chartPanel('batch-time', 'Loss against time');
    panels = [byUpdates, byTime];
    const hist = MODES.map(() => ({
      loss: [] as number[],
      updates: [] as number[],
      time: [] as number[],
    }));
    const draw = () => {
      byUpdates.draw(
        lossChartSpec({
          runs: MODES.map(([, name], i) => ({ name, x: hist[i]!.updates, loss: hist[i]!.loss })),
          xAxis: { label: 'updates', type: 'log' },
        }),
      );
      byTime.draw(
        lossChartSpec({
          runs: MODES.map(([, name], i) => ({ name, x: hist[i]!.time, loss: hist[i]!.loss })),
          xAxis: { label: 'milliseconds' },
        }),
      );
    };
    const train = () => {
      for (const r of runs) r.stop();
      runs = [];
      let done = 0;
      status.textContent = 'training the three modes…';
      status.dataset.state = 'running';
      MODES.forEach(([batch, name, lr], i) => {
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
                  status.textContent = `done: ${MODES.map(([, n], k) => `${n}: ${fmt(Number(status.dataset[`loss${k}`]))}`).join(', ')}`;
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
      h('div', { class: 'buttons' }, button('Train all three', train)),
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
