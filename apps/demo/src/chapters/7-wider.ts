/**
 * Chapter 7: the PyTorch notes' wider network, 1→32→32→32→32→32→3 with GELU after every layer, the
 * last included, learning [x·eˣ, eˣ, x²] with Adam for 1000 epochs; then the same with x·eˣ shifted
 * by −10 (GELU's output cannot go below about −0.17, so that output fails), and normalisation as the
 * fix. All three outputs are plotted; the fit error is measured in the targets' own units.
 */
import { lineChartSpec, lossChartSpec } from '@annlab/plot';
import { common } from '../i18n/common.js';
import { pick } from '../i18n/lang.js';
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

const strings = () =>
  pick({
    en: {
      title: '7. A wider network',
      cases: ['original targets', 'x·eˣ − 10 (negative)', 'x·eˣ − 10, normalised'],
      p1: 'Now five hidden layers of 32 units learn three functions at once: $x e^x$, $e^x$ and $x^2$ on $[0.1, 2.1]$. Every layer, the output included, applies GELU, as in the PyTorch notes; Adam with step 0.01 trains for 1000 epochs.',
      p2: 'GELU never goes below about −0.17. When $x e^x$ is shifted by −10, as in the notes, its values lie between −9.9 and −1.4: the output layer cannot reach them and that output stays wrong. Standardising the targets (subtract the mean, divide by the spread) and undoing it after prediction fixes that: the network then works in a range it can reach. The charts show all three outputs; the errors below are in the targets’ own units.',
      lossPanel: 'Loss of the three runs',
      fitPanel: (name: string) => `Three outputs: ${name}`,
      progress: (e: number, n: number) => `training three networks: epoch ${e} of ${n}`,
      targetOf: (name: string) => `${name} (target)`,
      networkOf: (j: number) => `network ${j}`,
      done: (e: number, parts: string) =>
        `done after ${e} epochs: mean squared error in the targets’ units: ${parts}`,
      training: 'training three networks…',
    },
    'zh-CN': {
      title: '7. 更宽的网络',
      cases: ['原始目标', 'x·eˣ − 10（负值）', 'x·eˣ − 10，标准化后'],
      p1: '现在用 5 个各有 32 个单元的隐藏层同时学习三个函数：$[0.1, 2.1]$ 上的 $x e^x$、$e^x$ 和 $x^2$。与 PyTorch 笔记相同，包括输出层在内的每一层都使用 GELU；用步长 0.01 的 Adam 训练 1000 轮。',
      p2: 'GELU 的值不会低于约 −0.17。按笔记把 $x e^x$ 平移 −10 之后，它的值落在 −9.9 到 −1.4 之间：输出层够不到这些值，这一路输出始终是错的。把目标标准化（减去均值、除以标准差），预测后再变换回来，就能解决：网络于是在它能达到的范围内工作。图中显示全部三路输出；下面的误差以目标本身的单位计。',
      lossPanel: '三次训练的损失',
      fitPanel: (name: string) => `三路输出：${name}`,
      progress: (e: number, n: number) => `正在训练三个网络：第 ${e} / ${n} 轮`,
      targetOf: (name: string) => `${name}（目标）`,
      networkOf: (j: number) => `网络输出 ${j}`,
      done: (e: number, parts: string) => `${e} 轮后完成：以目标单位计的均方误差：${parts}`,
      training: '正在训练三个网络…',
    },
  });

export const widerChapter: Chapter = {
  id: 'chapter-7',
  get title() {
    return strings().title;
  },
  mount(el, params) {
    const S = strings();
    const C = common();
    const epochs = intParam(params, 'epochs', 1000, 1, 3000);
    el.append(prose(S.p1, S.p2));
    const x = linspace(0.1, 2.1, 100);
    const status = statusLine('c7-status');
    const lossPanel = chartPanel('wider-loss', S.lossPanel);
    const fitPanels = CASES.map((_, i) => chartPanel(`wider-fit-${i}`, S.fitPanel(S.cases[i]!)));
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
          if (done === 0) status.textContent = S.progress(m.epoch, epochs);
          lossPanel.draw(
            lossChartSpec({
              runs: CASES.map((_, j) => ({ name: S.cases[j], loss: losses[j]! })),
              xAxis: { label: C.epoch },
              yAxis: { label: C.loss },
            }),
          );
          if (m.prediction) {
            const pred = m.prediction;
            errors[i] = widerFitError(x, pred, c.shift);
            fitPanels[i]!.draw(
              lineChartSpec({
                series: OUTPUTS.flatMap((name, j) => [
                  {
                    name: S.targetOf(j === 0 && c.shift ? `${name} − ${-c.shift}` : name),
                    x,
                    y: x.map((v) => widerTargets(v, c.shift)[j]!),
                  },
                  { name: S.networkOf(j + 1), x, y: x.map((_, k) => pred[3 * k + j]!) },
                ]),
                xAxis: { label: 'x' },
                title: S.cases[i],
              }),
            );
          }
        },
        onDone(h2) {
          done++;
          status.dataset[`loss${i}`] = String(h2.loss.at(-1));
          status.dataset[`error${i}`] = String(errors[i]);
          if (done === CASES.length) {
            status.textContent = S.done(
              epochs,
              S.cases.map((k, j) => `${k}: ${fmt(errors[j]!)}`).join('; '),
            );
            status.dataset.state = 'done';
          }
        },
        onError(msg) {
          status.textContent = msg;
          status.dataset.state = 'error';
        },
      });
    });
    status.textContent = S.training;
    el.append(status, h('div', { class: 'charts' }, lossPanel.el, ...fitPanels.map((p) => p.el)));
  },
  unmount() {
    for (const r of runs) r.stop();
    runs = [];
    for (const p of panels) p.destroy();
    panels = [];
  },
};
