import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ActivationSpec,
  type ChainParams,
  chainGradient,
  chainParams,
  createMlpWorkspace,
  initChain,
  initMlp,
  key,
  mlpLayout,
  mlpSpec,
  mlpValueAndGradient,
} from '@annlab/core';
import { depthComparisonChart, fitChart, gradientBarsChart, lossChart, toPng } from '@annlab/plot';
import { type ChainModel, fit, predict, sgd } from '@annlab/train';
import { writeFileAtomic } from '@annlab/train/node';
import { usage } from '../errors.js';
import { type Io, progressBar } from '../io.js';
import { parseCommand, parseNumber } from '../parse.js';

export const LECTURE_HELP = `annlab lecture: reproduce the lecture's examples

Usage:
  annlab lecture [--out DIR] [--epochs-scale F] [--json]

Trains Example 1 (f(x) = −3x + 2, N = 3, per-sample SGD, step 0.01, 500 epochs, key 0) and Example 2
(f(x) = log x, N = 1, 2, 3, 300 epochs each) on 200 points in [0.5, 3], checks that the linear-algebra
back-propagation (I − L) dx = D dp equals autodiff, shows vanishing gradients in a 10-layer chain, and
writes every figure as SVG and PNG, summary.json and index.html to DIR (default ./lecture).

  --out DIR            output folder (created if missing)
  --epochs-scale F     multiply every epoch count by F (0 < F ≤ 1; for quick runs)
  --json               print summary.json to stdout as well
  -h, --help           this help
`;

function linspace(a: number, b: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = i === n - 1 ? b : a + ((b - a) * i) / (n - 1);
  return out;
}

function meanHalfSquaredError(pred: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += 0.5 * (pred[i]! - y[i]!) ** 2;
  return s / y.length;
}

/** Largest |triangular − autodiff| and |backprop − autodiff| gradient entry over the data. */
function methodAgreement(params: ChainParams, x: Float64Array, y: Float64Array) {
  let triangular = 0;
  let backprop = 0;
  for (let i = 0; i < x.length; i++) {
    const ad = chainGradient(params, x[i]!, y[i]!, { method: 'autodiff' }).grad;
    const tr = chainGradient(params, x[i]!, y[i]!, { method: 'triangular' }).grad;
    const bp = chainGradient(params, x[i]!, y[i]!, { method: 'backprop' }).grad;
    for (let j = 0; j < ad.length; j++) {
      triangular = Math.max(triangular, Math.abs(tr[j]! - ad[j]!));
      backprop = Math.max(backprop, Math.abs(bp[j]! - ad[j]!));
    }
  }
  return { triangularVsAutodiff: triangular, backpropVsAutodiff: backprop };
}

/** Mean |∂L/∂w_i| per layer of a depth-N chain at its initial weights, over the data. */
function layerGradients(depth: number, hidden: ActivationSpec, x: Float64Array, y: Float64Array) {
  const init = initChain(key(1), depth);
  const params = chainParams(init.w, init.b);
  const activations: ActivationSpec[] = [
    ...Array.from({ length: depth - 1 }, () => hidden),
    'identity',
  ];
  const mean = new Float64Array(depth);
  for (let i = 0; i < x.length; i++) {
    const g = chainGradient(params, x[i]!, y[i]!, { activations });
    for (let l = 0; l < depth; l++) mean[l]! += Math.abs(g.dw[l]!) / x.length;
  }
  return mean;
}

/** Mean |∂L/∂W| per weight layer of the AD blog's 1 → 3 → 3 → 1 leaky-ReLU network (N(0, 1), key 1). */
function leakyNetworkGradients(x: Float64Array, y: Float64Array): Float64Array {
  const spec = mlpSpec([1, 3, 3, 1], 'leakyRelu');
  const params = initMlp(spec, key(1), { init: 'normal' });
  const grad = new Float64Array(params.length);
  const ws = createMlpWorkspace(spec, x.length);
  mlpValueAndGradient(spec, params, x, y, x.length, 'mse', ws, grad);
  return Float64Array.from(mlpLayout(spec).layers, (l) => {
    let s = 0;
    for (let k = 0; k < l.inSize * l.outSize; k++) s += Math.abs(grad[l.wOffset + k]!);
    return s / (l.inSize * l.outSize);
  });
}

export async function lectureCommand(args: string[], io: Io): Promise<number> {
  const options = {
    out: { type: 'string' },
    'epochs-scale': { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  const values = parseCommand(args, options);
  if (values.help) {
    io.out(LECTURE_HELP);
    return 0;
  }
  const scale = parseNumber('epochs-scale', (values['epochs-scale'] as string) ?? '1', {
    positive: true,
    max: 1,
  });
  const out = (values.out as string | undefined) ?? 'lecture';
  try {
    await mkdir(out, { recursive: true });
  } catch (err) {
    throw usage(
      `--out: cannot create the folder ${JSON.stringify(out)}: ${(err as Error).message}`,
    );
  }
  const epochs = (e: number) => Math.max(1, Math.round(e * scale));

  const x = linspace(0.5, 3, 200);
  const figures: { name: string; title: string }[] = [];
  const save = async (name: string, title: string, svg: string) => {
    await writeFileAtomic(join(out, `${name}.svg`), svg);
    await writeFileAtomic(join(out, `${name}.png`), await toPng(svg));
    figures.push({ name, title });
  };

  // Example 1: f(x) = −3x + 2, N = 3.
  const y1 = Float64Array.from(x, (v) => -3 * v + 2);
  const init1 = initChain(key(0), 3);
  const model1: ChainModel = { kind: 'chain', params: chainParams(init1.w, init1.b) };
  const bar1 = progressBar(io, 'Example 1 (−3x + 2, N = 3)', epochs(500));
  const r1 = fit(
    model1,
    { x, y: y1 },
    {
      epochs: epochs(500),
      optimizer: sgd(0.01),
      batch: 'sgd',
      shuffle: 'fixed',
      key: 0,
      progressEvery: 5,
      onProgress: (e) => bar1.update(e.epoch + 1, `loss ${e.loss.toExponential(3)}`),
    },
  );
  bar1.done();
  const pred1 = predict(r1.model, x);
  const agreement = methodAgreement(r1.model.params, x, y1);
  await save(
    'example1-fit',
    'Example 1: target and network',
    fitChart({
      x,
      target: y1,
      approximation: pred1,
      title: 'Example 1: f(x) = −3x + 2, N = 3',
      targetLabel: 'f(x) = −3x + 2',
      approximationLabel: 'network',
    }),
  );
  await save(
    'example1-loss',
    'Example 1: loss per epoch',
    lossChart({
      runs: { name: 'N = 3', loss: r1.history.loss },
      title: 'Example 1: loss per epoch',
    }),
  );

  // Example 2: f(x) = log x, N = 1, 2, 3.
  const y2 = Float64Array.from(x, Math.log);
  const depths = [1, 2, 3];
  const runs = depths.map((depth) => {
    const init = initChain(key(0), depth);
    const bar = progressBar(io, `Example 2 (log x, N = ${depth})`, epochs(300));
    const r = fit(
      { kind: 'chain', params: chainParams(init.w, init.b) } as ChainModel,
      { x, y: y2 },
      {
        epochs: epochs(300),
        optimizer: sgd(0.01),
        batch: 'sgd',
        shuffle: 'fixed',
        key: 0,
        progressEvery: 5,
        onProgress: (e) => bar.update(e.epoch + 1, `loss ${e.loss.toExponential(3)}`),
      },
    );
    bar.done();
    const pred = predict(r.model, x);
    return { depth, pred, loss: r.history.loss, finalLoss: meanHalfSquaredError(pred, y2) };
  });
  await save(
    'example2-depths',
    'Example 2: depths 1, 2 and 3 against log x',
    depthComparisonChart({
      x,
      target: y2,
      targetLabel: 'log x',
      approximations: runs.map((r) => ({ name: `N = ${r.depth}`, y: r.pred })),
      title: 'Example 2: f(x) = log x',
    }),
  );
  await save(
    'example2-loss',
    'Example 2: loss per epoch by depth',
    lossChart({
      runs: runs.map((r) => ({ name: `N = ${r.depth}`, loss: r.loss })),
      title: 'Example 2: loss per epoch',
    }),
  );

  // Vanishing gradients, as the AD blog teaches them: on a 10-layer chain sigmoid and leaky ReLU both
  // shrink toward the first layer and plain ReLU gives exact zeros; the blog's wider network
  // (2 hidden layers × 3 units, leaky ReLU) has uneven but non-vanishing gradients.
  const sig = layerGradients(10, 'sigmoid', x, y1);
  const leaky = layerGradients(10, 'leakyRelu', x, y1);
  const relu = layerGradients(10, 'relu', x, y1);
  const reluZeroLayers = relu.filter((v) => v === 0).length;
  await save(
    'vanishing-gradients',
    'Vanishing gradients in a 10-layer chain',
    gradientBarsChart({
      series: [
        { name: 'sigmoid chain', values: sig },
        { name: 'leaky ReLU chain', values: leaky },
      ],
      title: 'Mean |∂L/∂wᵢ| per layer, 10-layer chain: both shrink',
      subtitle: `plain ReLU: exactly 0 in ${reluZeroLayers} of 10 layers (not drawn on a log axis)`,
    }),
  );
  const network = leakyNetworkGradients(x, y1);
  await save(
    'leaky-relu-network',
    'Leaky ReLU in a 2 × 3 network: uneven, not vanishing',
    gradientBarsChart({
      series: { name: 'leaky ReLU, 1 → 3 → 3 → 1', values: network },
      title: 'Mean |∂L/∂W| per layer, 2 hidden layers × 3 units',
    }),
  );

  const summary = {
    example1: {
      target: '-3x + 2',
      depth: 3,
      epochs: epochs(500),
      updates: r1.history.updates[r1.history.updates.length - 1],
      finalLoss: meanHalfSquaredError(pred1, y1),
      trainMs: r1.history.wallTimeMs,
      params: { w: Array.from(r1.model.params.w), b: Array.from(r1.model.params.b) },
    },
    example2: runs.map((r) => ({
      target: 'log x',
      depth: r.depth,
      epochs: epochs(300),
      finalLoss: r.finalLoss,
    })),
    linearAlgebraCheck: agreement,
    vanishingGradients: {
      sigmoid: Array.from(sig),
      leakyRelu: Array.from(leaky),
      relu: Array.from(relu),
      reluZeroLayers,
      leakyNetwork: Array.from(network),
    },
    figures: figures.map((f) => `${f.name}.svg`),
  };
  await writeFileAtomic(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  await writeFileAtomic(
    join(out, 'index.html'),
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>annlab: the lecture's examples</title>
<style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem}figure{margin:2rem 0}img{max-width:100%}code{background:#eee;padding:0 .2em}</style>
</head><body>
<h1>The lecture's examples</h1>
<p>Linear-algebra back-propagation against autodiff: largest difference
<code>${agreement.triangularVsAutodiff.toExponential(2)}</code> over ${x.length} points.</p>
<p>Example 1 final loss: <code>${summary.example1.finalLoss.toExponential(4)}</code>.
Example 2 final losses: ${runs.map((r) => `N = ${r.depth}: <code>${r.finalLoss.toExponential(4)}</code>`).join(', ')}.</p>
${figures.map((f) => `<figure><img src="${f.name}.svg" alt="${esc(f.title)}"><figcaption>${esc(f.title)}</figcaption></figure>`).join('\n')}
</body></html>
`,
  );
  io.err(
    `linear algebra vs autodiff: max |difference| = ${agreement.triangularVsAutodiff.toExponential(2)}\n` +
      `wrote ${figures.length * 2} figures, summary.json and index.html to ${out}\n`,
  );
  if (values.json) io.out(`${JSON.stringify(summary)}\n`);
  return 0;
}
