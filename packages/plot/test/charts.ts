/**
 * Named deterministic charts: the snapshot tests compare them with test/output/<name>.svg, and
 * test/render-docs.ts renders the README's pictures from them. Data are closed forms or come from a
 * fixed seed, so every run draws the same charts.
 */
import { seeded } from '@annlab/test-utils';
import {
  chart,
  decisionBoundaryChart,
  depthComparisonChart,
  fitChart,
  gradientBarsChart,
  line,
  lineChart,
  lossChart,
  lossHistogramChart,
  points,
  ruleY,
} from '../src/index.js';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** n points evenly spaced over [a, b]. */
export function linspace(a: number, b: number, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
}

const x200 = linspace(0.5, 3, 200);

/** A width-one network x ↦ w₂ σ(w₁ x + b₁) + b₂ (what Example 1's N = 2 network computes). */
function net2(w1: number, b1: number, w2: number, b2: number) {
  return (x: number) => w2 * sigmoid(w1 * x + b1) + b2;
}

/** Loss curves: exponential decay to a floor with multiplicative noise from a fixed seed. */
function lossCurve(
  seed: number,
  n: number,
  rate: number,
  floor: number,
  start: number,
): Float64Array {
  const r = seeded(seed);
  return Float64Array.from(
    { length: n },
    (_, i) => (start * Math.exp(-i / rate) + floor) * Math.exp(0.15 * r.normal()),
  );
}

/** XOR training points around the four corners (two classes), jittered by a fixed seed. */
function xorPoints() {
  const r = seeded(7);
  const c0 = { name: 'class 0', x: [] as number[], y: [] as number[] };
  const c1 = { name: 'class 1', x: [] as number[], y: [] as number[] };
  for (const [cx, cy] of [
    [0, 0],
    [1, 1],
    [0, 1],
    [1, 0],
  ] as const) {
    const target = cx === cy ? c0 : c1;
    for (let k = 0; k < 8; k++) {
      target.x.push(cx + 0.08 * r.normal());
      target.y.push(cy + 0.08 * r.normal());
    }
  }
  return [c0, c1];
}

/** A smooth XOR classifier output on a grid over [−0.5, 1.5]². */
function xorGrid(nx: number, ny: number) {
  const values = new Float64Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const x = -0.5 + (2 * (i + 0.5)) / nx;
      const y = -0.5 + (2 * (j + 0.5)) / ny;
      // Two hidden units (OR and AND) and an output that fires for OR but not AND.
      const or = sigmoid(10 * (x + y - 0.5));
      const and = sigmoid(10 * (x + y - 1.5));
      values[j * nx + i] = sigmoid(12 * (or - and - 0.5));
    }
  }
  return { x: [-0.5, 1.5] as const, y: [-0.5, 1.5] as const, nx, ny, values };
}

/** Final losses of 300 initialisations: a log-normal bulk, a cluster stuck at a plateau, 4 diverged. */
function finalLosses(): Float64Array {
  const r = seeded(11);
  const out = new Float64Array(300);
  for (let i = 0; i < out.length; i++) {
    out[i] = i % 5 === 0 ? 0.8 * Math.exp(0.1 * r.normal()) : 10 ** (-3 + 0.5 * r.normal());
  }
  out[17] = Number.NaN;
  out[99] = Number.POSITIVE_INFINITY;
  out[150] = Number.NaN;
  out[201] = Number.NaN;
  return out;
}

/** name → SVG of every snapshot chart. */
export const namedCharts: Record<string, () => string> = {
  'fit-example1': () => {
    const f = net2(0.5, -0.875, -24, 8.75);
    const samples = x200.filter((_, i) => i % 10 === 0);
    return fitChart({
      title: 'Example 1: target and approximation',
      subtitle: 'width-one network, N = 2 layers, after 500 epochs of SGD',
      x: x200,
      target: (x) => -3 * x + 2,
      targetLabel: 'f(x) = −3x + 2',
      approximation: x200.map(f),
      approximationLabel: 'network, N = 2',
      samples: { x: samples, y: samples.map((x) => -3 * x + 2) },
    });
  },
  'depth-example2': () =>
    depthComparisonChart({
      title: 'Example 2: depth N = 1, 2, 3 against log x',
      x: x200,
      target: Math.log,
      targetLabel: 'log x',
      approximations: [
        { name: 'N = 1', y: x200.map((x) => 0.43 * x - 0.37) },
        { name: 'N = 2', y: x200.map(net2(1.6, -0.9, 2.2, -1.2)) },
        { name: 'N = 3', y: x200.map((x) => Math.log(x) + 0.03 * Math.sin(5 * x)) },
      ],
      legend: 'bottom-right',
    }),
  'loss-runs': () =>
    lossChart({
      title: 'Training loss, three runs',
      runs: [
        { name: 'SGD, step 0.01', loss: lossCurve(1, 500, 120, 2e-3, 3) },
        { name: 'SGD, step 0.05', loss: lossCurve(2, 500, 40, 4e-4, 3) },
        { name: 'Adam', loss: lossCurve(3, 500, 15, 3e-5, 3) },
      ],
      reference: { value: 1e-3, label: 'tolerance 10⁻³' },
    }),
  'gradient-bars': () =>
    gradientBarsChart({
      title: 'Vanishing gradients: mean |∂L/∂W| per layer',
      series: [
        { name: 'sigmoid', values: [2.1e-6, 1.3e-5, 6.8e-5, 3.9e-4, 2.2e-3, 1.1e-2] },
        { name: 'tanh', values: [4.2e-4, 1.1e-3, 2.6e-3, 6.1e-3, 1.4e-2, 3.1e-2] },
        { name: 'ReLU', values: [1.9e-2, 2.4e-2, 2.0e-2, 2.7e-2, 2.5e-2, 3.3e-2] },
      ],
    }),
  'decision-boundary-xor': () =>
    decisionBoundaryChart({
      title: 'XOR: decision boundary of a 2-2-1 network',
      grid: xorGrid(60, 60),
      points: xorPoints(),
      legend: 'none',
      width: 520,
      height: 480,
    }),
  'loss-histogram': () =>
    lossHistogramChart({
      title: 'Final loss over 300 initialisations',
      losses: finalLosses(),
    }),
  'fit-dark': () =>
    fitChart({
      title: 'x·eˣ on the dark theme',
      theme: 'dark',
      x: linspace(0.1, 2.1, 100),
      target: (x) => x * Math.exp(x),
      targetLabel: 'x·eˣ',
      approximation: linspace(0.1, 2.1, 100).map(
        (x) => x * Math.exp(x) * (1 + 0.04 * Math.cos(4 * x)),
      ),
    }),
  'gaps-and-math': () => {
    const x = linspace(-2, 2, 41);
    const y = x.map((v) => -3 * v + 2);
    y[10] = Number.NaN;
    y[25] = Number.POSITIVE_INFINITY;
    y[26] = Number.NEGATIVE_INFINITY;
    return chart({
      title: 'Gaps at NaN and ±Infinity; <escaped> & "quoted"',
      x: { label: 'x' },
      y: { label: '-3x + 2' },
      marks: [
        line({ name: '-3x + 2 (hyphen typed)', x, y }),
        points({ name: 'samples', x: [-1.5, 0, 1.5], y: [6.5, 2, -2.5] }),
        ruleY(0, { label: 'y = 0' }),
      ],
    });
  },
  empty: () => lineChart({ title: 'No data yet', series: [{ name: 'loss', x: [], y: [] }] }),
  'long-series-decimated': () => {
    const n = 100_000;
    const x = linspace(0, 1, n);
    const r = seeded(5);
    const y = x.map((v) => Math.sin(12 * v) + 0.2 * r.normal());
    return lineChart({
      title: '100,000 points, decimated',
      series: [{ name: 'noisy sin', x, y, width: 1 }],
    });
  },
};
