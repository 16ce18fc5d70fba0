/**
 * Chapter 7: the PyTorch notes' wider network, 1→32→32→32→32→32→3 with GELU after every layer, the
 * last included, learning [x·eˣ, eˣ, x²] with Adam; then the same with targets shifted below zero
 * (GELU's output cannot go below about −0.17, so it fails), and normalisation as the fix.
 */
import { fitChartSpec, lossChartSpec } from '@annlab/plot';
import { type ChartPanel, chartPanel } from '../ui/charts.js';
import { fmt, h, prose, statusLine } from '../ui/controls.js';
import { linspace, type Run, startRun } from '../ui/run.js';
import type { JobSpec } from '../worker/protocol.js';
import { type Chapter, intParam } from './types.js';

let runs: Run[] = [];
let panels: ChartPanel[] = [];

const CASES = [
  { name: 'original targets', shift: 0, normalize: false },
  { name: 'targets − 6 (negative)', shift: -6, normalize: false },
  { name: 'targets − 6, normalised', shift: -6, normalize: true },
] as const;

export const widerChapter: Chapter = {
  id: 'chapter-7',
  title: '7. A wider network',
  mount(el, params) {
    const epochs = intParam(params, 'epochs', 250, 1, 3000);
    el.append(
      prose(
        'Now five hidden layers of 32 units learn three functions at once: x·eˣ, eˣ and x² on [0.1, 2.1]. Every layer, the output included, applies GELU, as in the PyTorch notes; Adam with step 0.01 does the training.',
        'GELU never goes below about −0.17. When the targets are shifted below zero the output layer simply cannot reach them and the loss stalls. Standardising the targets (subtract the mean, divide by the spread) and undoing it after prediction fixes much of that: the network then works in a range it can reach.',
      ),
    );
    const x = linspace(0.1, 2.1, 100);
    const status = statusLine('c7-status');
    const lossPanel = chartPanel('wider-loss', 'Loss of the three runs');
    const fitPanels = CASES.map((c, i) => chartPanel(`wider-fit-${i}`, `First output: ${c.name}`));
    panels = [lossPanel, ...fitPanels];
    const losses: number[][] = CASES.map(() => []);
    let done = 0;
    runs = CASES.map((c, i) => {
      const y: number[] = [];
      for (const v of x) y.push(v * Math.exp(v) + c.shift, Math.exp(v) + c.shift, v * v + c.shift);
      const job: JobSpec = {
        model: { kind: 'mlp', sizes: [1, 32, 32, 32, 32, 32, 3], hidden: 'gelu', output: 'gelu' },
        x,
        y,
        seed: 0,
        optimizer: 'adam',
        learningRate: 0.01,
        schedule: 'constant',
        batch: 'full',
        epochs,
        loss: 'sse',
        normalize: c.normalize,
        backend: 'cpu',
        chunk: Math.max(1, Math.floor(epochs / 25)),
        grid: x,
      };
      return startRun(job, {
        onProgress(h2, m) {
          losses[i] = h2.loss.slice();
          lossPanel.draw(
            lossChartSpec({ runs: CASES.map((k, j) => ({ name: k.name, loss: losses[j]! })) }),
          );
          if (m.prediction) {
            fitPanels[i]!.draw(
              fitChartSpec({
                x,
                target: x.map((v) => v * Math.exp(v) + c.shift),
                approximation: m.prediction.filter((_, k) => k % 3 === 0),
                targetLabel: `x·eˣ${c.shift ? ` − ${-c.shift}` : ''}`,
                title: c.name,
              }),
            );
          }
        },
        onDone(h2) {
          done++;
          status.dataset[`loss${i}`] = String(h2.loss.at(-1));
          if (done === CASES.length) {
            status.textContent = `done: ${CASES.map((k, j) => `${k.name}: ${fmt(Number(status.dataset[`loss${j}`]))}`).join('; ')} (normalised loss is in standardised units)`;
            status.dataset.state = 'done';
          }
        },
        onError(msg) {
          status.textContent = msg;
          status.dataset.state = 'error';
        },
      });
    });
    status.textContent = 'training three networks…';
    el.append(status, h('div', { class: 'charts' }, lossPanel.el, ...fitPanels.map((p) => p.el)));
  },
  unmount() {
    for (const r of runs) r.stop();
    runs = [];
    for (const p of panels) p.destroy();
    panels = [];
  },
};
