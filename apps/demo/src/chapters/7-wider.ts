/**
 * Chapter 7: the PyTorch notes' wider network, 1→32→32→32→32→32→3 with GELU after every layer, the
 * last included, learning [x·eˣ, eˣ, x²] with Adam for 1000 epochs; then the same with x·eˣ shifted
 * by −10 (GELU's output cannot go below about −0.17, so that output fails), and normalisation as the
 * fix. All three outputs are plotted; the fit error is measured in the targets' own units.
 */
import { lineChartSpec, lossChartSpec } from '@annlab/plot';
import { type ChartPanel, chartPanel } from '../ui/charts.js';
import { fmt, h, prose, statusLine } from '../ui/controls.js';
import { linspace, type Run, startRun } from '../ui/run.js';
import type { JobSpec } from '../worker/protocol.js';
import { type Chapter, intParam } from './types.js';

let runs: Run[] = [];
let panels: ChartPanel[] = [];

/** The notes shift only the first target, x·eˣ, by −10. */
const SHIFT = -10;
const CASES = [
  { name: 'original targets', shift: 0, normalize: false },
  { name: 'x·eˣ − 10 (negative)', shift: SHIFT, normalize: false },
  { name: 'x·eˣ − 10, normalised', shift: SHIFT, normalize: true },
] as const;
const OUTPUTS = ['x·eˣ', 'eˣ', 'x²'] as const;

/** The three targets at x, the first shifted by `shift`. */
export function widerTargets(x: number, shift: number): [number, number, number] {
  return [x * Math.exp(x) + shift, Math.exp(x), x * x];
}

/** Mean squared error of predictions (n × 3, row-major) against the targets, in their own units. */
export function widerFitError(
  xs: readonly number[],
  pred: readonly number[],
  shift: number,
): number {
  let s = 0;
  xs.forEach((x, i) => {
    const t = widerTargets(x, shift);
    for (let j = 0; j < 3; j++) s += (pred[3 * i + j]! - t[j]!) ** 2;
  });
  return s / (3 * xs.length);
}

export const widerChapter: Chapter = {
  id: 'chapter-7',
  title: '7. A wider network',
  mount(el, params) {
    const epochs = intParam(params, 'epochs', 1000, 1, 3000);
    el.append(
      prose(
        'Now five hidden layers of 32 units learn three functions at once: x·eˣ, eˣ and x² on [0.1, 2.1]. Every layer, the output included, applies GELU, as in the PyTorch notes; Adam with step 0.01 trains for 1000 epochs.',
        'GELU never goes below about −0.17. When x·eˣ is shifted by −10, as in the notes, its values lie between −9.9 and −1.4: the output layer cannot reach them and that output stays wrong. Standardising the targets (subtract the mean, divide by the spread) and undoing it after prediction fixes that: the network then works in a range it can reach. The charts show all three outputs; the errors below are in the targets’ own units.',
      ),
    );
    const x = linspace(0.1, 2.1, 100);
    const status = statusLine('c7-status');
    const lossPanel = chartPanel('wider-loss', 'Loss of the three runs');
    const fitPanels = CASES.map((c, i) => chartPanel(`wider-fit-${i}`, `Three outputs: ${c.name}`));
    panels = [lossPanel, ...fitPanels];
    const losses: number[][] = CASES.map(() => []);
    const errors: number[] = CASES.map(() => Number.NaN);
    let done = 0;
    runs = CASES.map((c, i) => {
      const y: number[] = [];
      for (const v of x) y.push(...widerTargets(v, c.shift));
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
          if (done === 0)
            status.textContent = `training three networks: epoch ${m.epoch} of ${epochs}`;
          lossPanel.draw(
            lossChartSpec({ runs: CASES.map((k, j) => ({ name: k.name, loss: losses[j]! })) }),
          );
          if (m.prediction) {
            const pred = m.prediction;
            errors[i] = widerFitError(x, pred, c.shift);
            fitPanels[i]!.draw(
              lineChartSpec({
                series: OUTPUTS.flatMap((name, j) => [
                  {
                    name: `${j === 0 && c.shift ? `${name} − ${-c.shift}` : name} (target)`,
                    x,
                    y: x.map((v) => widerTargets(v, c.shift)[j]!),
                  },
                  { name: `network ${j + 1}`, x, y: x.map((_, k) => pred[3 * k + j]!) },
                ]),
                xAxis: { label: 'x' },
                title: c.name,
              }),
            );
          }
        },
        onDone(h2) {
          done++;
          status.dataset[`loss${i}`] = String(h2.loss.at(-1));
          status.dataset[`error${i}`] = String(errors[i]);
          if (done === CASES.length) {
            status.textContent = `done after ${epochs} epochs: mean squared error in the targets’ units: ${CASES.map((k, j) => `${k.name}: ${fmt(errors[j]!)}`).join('; ')}`;
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
