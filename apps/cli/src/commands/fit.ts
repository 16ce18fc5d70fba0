import { stat } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import {
  ACTIVATION_NAMES,
  type ActivationName,
  assertAllocation,
  chainParams,
  loss as coreLoss,
  initChain,
  initMlp,
  key,
  LOSS_NAMES,
  type LossName,
  mlpSpec,
  SizeLimitError,
} from '@annlab/core';
import { parseFormula, sampleFormula } from '@annlab/formula';
import { fitChart, toPng } from '@annlab/plot';
import {
  adam,
  createTrainer,
  DivergenceError,
  fit,
  type GradientTransformation,
  type Model,
  momentum,
  type ProgressEvent,
  predict,
  saveModel,
  sgd,
} from '@annlab/train';
import { removePendingTemporaryFiles, writeFileAtomic } from '@annlab/train/node';
import { CliError, usage } from '../errors.js';
import { openGpu } from '../gpu.js';
import { type Io, trainingProgress } from '../io.js';
import { parseChoice, parseCommand, parseList, parseNumber } from '../parse.js';

/** Most training points (the formula sampler's own limit). */
export const MAX_POINTS = 1_000_000;
/** Most epochs. */
export const MAX_EPOCHS = 10_000_000;
/** Largest |A|, |B| of --domain. */
export const MAX_DOMAIN = 1e12;
/** Per-epoch arrays the training history keeps (loss, updates, times, norms, …), an upper bound. */
const HISTORY_ARRAYS = 8;

export const FIT_HELP = `annlab fit: fit a network to a formula

Usage:
  annlab fit --target EXPR --domain A,B --points M [options]
  annlab fit --data points.csv --x a,b --y c [--task classification]   (annlab fit --data - --help)

Target:
  --target EXPR              the function of x to learn, e.g. "-3x + 2", "log(x)", "x*exp(x)"
  --domain A,B               the interval of x (default 0.5,3)
  --points M                 number of evenly spaced training points (default 200, at most ${MAX_POINTS})

Network:
  --depth N                  number of layers (default 3)
  --width W                  units per hidden layer; 1 is the lecture's width-one chain (default 1)
  --activation NAME          hidden activation: ${ACTIVATION_NAMES.join(', ')} (default sigmoid)
  --output-activation NAME   output activation (default identity)
  --key S                    integer seed of the initial weights and the shuffles (default 0)

Training:
  --loss NAME                ${LOSS_NAMES.join(', ')} (MLPs; the chain uses ½(ŷ − y)²; default mse)
  --optimizer NAME           sgd, momentum, adam (default sgd)
  --lr X                     learning rate (default 0.01)
  --batch full|sgd|K         full batch, per-sample SGD, or mini-batches of K (default sgd)
  --epochs E                 epochs (default 200, at most ${MAX_EPOCHS})
  --normalize                scale x and y on the training data (targets to the output's range)
  --backend cpu|webgpu       where to train (default cpu)

Output:
  --out FILE                 save the model as JSON
  --plot FILE                draw target and fit (.svg or .png)
  --json                     print one JSON object with the results (errors too: {"error": …})
  -h, --help                 this help

Limits: the network, the data and the history are checked against one allocation limit (elements
per array, default 2^27) before anything is allocated; raise it with ANNLAB_MAX_ELEMENTS.
`;

export interface FitSettings {
  target: string;
  domain: [number, number];
  points: number;
  depth: number;
  width: number;
  activation: ActivationName;
  outputActivation: ActivationName;
  loss: LossName;
  optimizer: 'sgd' | 'momentum' | 'adam';
  lr: number;
  batch: 'full' | 'sgd' | number;
  epochs: number;
  key: number;
  normalize: boolean;
  backend: 'cpu' | 'webgpu';
}

function parseBatch(text: string | undefined): 'full' | 'sgd' | number {
  if (text === undefined) return 'sgd';
  if (text === 'full' || text === 'sgd') return text;
  return parseNumber('batch', text, { integer: true, min: 1 });
}

/** Reads and validates the flags of `annlab fit`. */
export function fitSettings(values: Record<string, string | boolean | undefined>): FitSettings {
  const s = (name: string) => values[name] as string | undefined;
  if (s('target') === undefined) throw usage('fit: --target EXPR is required (try --help)');
  const domain = parseList('domain', s('domain') ?? '0.5,3');
  if (domain.length !== 2 || !(domain[0]! < domain[1]!)) {
    throw usage(`--domain must be two numbers A,B with A < B, got "${s('domain')}"`);
  }
  if (Math.abs(domain[0]!) > MAX_DOMAIN || Math.abs(domain[1]!) > MAX_DOMAIN) {
    throw usage(`--domain must lie within [−${MAX_DOMAIN}, ${MAX_DOMAIN}], got "${s('domain')}"`);
  }
  const settings: FitSettings = {
    target: s('target')!,
    domain: [domain[0]!, domain[1]!],
    points: parseNumber('points', s('points') ?? '200', { integer: true, min: 2, max: MAX_POINTS }),
    depth: parseNumber('depth', s('depth') ?? '3', { integer: true, min: 1 }),
    width: parseNumber('width', s('width') ?? '1', { integer: true, min: 1 }),
    activation: parseChoice('activation', s('activation'), ACTIVATION_NAMES, 'sigmoid'),
    outputActivation: parseChoice(
      'output-activation',
      s('output-activation'),
      ACTIVATION_NAMES,
      'identity',
    ),
    loss: parseChoice('loss', s('loss'), LOSS_NAMES, 'mse'),
    optimizer: parseChoice(
      'optimizer',
      s('optimizer'),
      ['sgd', 'momentum', 'adam'] as const,
      'sgd',
    ),
    lr: parseNumber('lr', s('lr') ?? '0.01', { positive: true }),
    batch: parseBatch(s('batch')),
    epochs: parseNumber('epochs', s('epochs') ?? '200', { integer: true, min: 1, max: MAX_EPOCHS }),
    key: parseNumber('key', s('key') ?? '0', { integer: true, min: 0 }),
    normalize: values.normalize === true,
    backend: parseChoice('backend', s('backend'), ['cpu', 'webgpu'] as const, 'cpu'),
  };
  if (typeof settings.batch === 'number' && settings.batch > settings.points) {
    throw usage(
      `--batch ${settings.batch} is larger than the ${settings.points} training points (--points); use --batch full for one batch of all points`,
    );
  }
  checkSizes(settings);
  return settings;
}

/** Parameters of the network the settings describe: 2N for the chain, else the MLP's weights and biases. */
export function parameterCount(settings: Pick<FitSettings, 'depth' | 'width'>): number {
  const { depth: n, width: w } = settings;
  if (w === 1) return 2 * n;
  if (n === 1) return 2;
  // 1 → W, (N − 2) × (W → W), W → 1
  return 2 * w + (n - 2) * (w * w + w) + w + 1;
}

/**
 * The CLI's bounds, through core's one allocation check (so `ANNLAB_MAX_ELEMENTS` moves both): the
 * parameters, the activations of one pass over the data, and the history are each one array.
 */
function checkSizes(s: FitSettings): void {
  const check = (flags: string, what: string, elements: number) => {
    try {
      assertAllocation('fit', what, elements);
    } catch (err) {
      if (!(err instanceof SizeLimitError)) throw err;
      throw usage(
        `${flags}: ${what} needs ${elements.toExponential(2)} elements, over the allocation limit of ${err.limit} (raise it with ANNLAB_MAX_ELEMENTS)`,
      );
    }
  };
  const params = parameterCount(s);
  check(`--depth ${s.depth} --width ${s.width}`, `the network (${params} parameters)`, params);
  check(
    `--points ${s.points} --width ${s.width} --depth ${s.depth}`,
    'one pass over the data (points × width × depth activations)',
    s.points * s.width * s.depth,
  );
  check(`--epochs ${s.epochs}`, 'the training history', s.epochs * HISTORY_ARRAYS);
}

function optimizerFor(settings: FitSettings): GradientTransformation {
  switch (settings.optimizer) {
    case 'adam':
      return adam(settings.lr);
    case 'momentum':
      return momentum(settings.lr);
    default:
      return sgd(settings.lr);
  }
}

/** The initial model: the lecture's chain for width 1, otherwise an MLP 1→W×(N−1)→1. */
export function initialModel(settings: FitSettings): Model {
  const k = key(settings.key);
  if (settings.width === 1) {
    const init = initChain(k, settings.depth);
    const activations = [
      ...Array.from({ length: settings.depth - 1 }, () => settings.activation),
      settings.outputActivation,
    ];
    return { kind: 'chain', params: chainParams(init.w, init.b), activations };
  }
  const sizes = [1, ...Array.from({ length: settings.depth - 1 }, () => settings.width), 1];
  const spec = mlpSpec(sizes, settings.activation, settings.outputActivation);
  return { kind: 'mlp', spec, params: initMlp(spec, k) as Float64Array };
}

export interface FitSummary {
  target: string;
  finalLoss: number;
  rmse: number;
  epochs: number;
  updates: number;
  trainMs: number;
  backend: 'cpu' | 'webgpu';
  model: 'chain' | 'mlp';
  parameters: number;
  adapter?: string;
}

/**
 * The training loss at the final parameters, the same figure on every backend: the chain's mean
 * ½(ŷ − y)² (the lecture's loss), an MLP's loss as configured (original units of y).
 */
function finalLossOf(
  kind: Model['kind'],
  settings: FitSettings,
  pred: ArrayLike<number>,
  y: ArrayLike<number>,
): number {
  const n = y.length;
  if (kind === 'chain') return coreLoss('halfSquaredError').value(pred, y, n) / n;
  return coreLoss(settings.loss).value(pred, y, n);
}

function rmseOf(pred: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (pred[i]! - y[i]!) ** 2;
  return Math.sqrt(s / y.length);
}

/** Why a run stopped early, for the CLI's own message: Ctrl-C, or divergence (last good kept). */
export interface EarlyStop {
  readonly kind: 'interrupted' | 'diverged';
  /** 0-based epoch in which training stopped. */
  readonly epoch: number;
}

/**
 * Trains on the CPU through @annlab/train's trainer, asynchronously, so that `signal` (Ctrl-C) stops
 * it at the next yield. On divergence the trainer's parameters are the last good ones (from the start
 * of the failing epoch); they are kept, not thrown away.
 */
async function trainCpu(
  settings: FitSettings,
  model: Model,
  x: Float64Array,
  y: Float64Array,
  io: Io | undefined,
  signal: AbortSignal | undefined,
) {
  const bar = io ? trainingProgress(io, 'training', settings.epochs) : undefined;
  const trainer = createTrainer(
    model,
    { x, y },
    {
      epochs: settings.epochs,
      optimizer: optimizerFor(settings),
      batch: settings.batch,
      key: settings.key,
      normalize: settings.normalize,
      ...(model.kind === 'mlp' ? { loss: settings.loss } : {}),
      progressEvery: Math.max(1, Math.floor(settings.epochs / 100)),
    },
  );
  let stop: EarlyStop | undefined;
  let result: ReturnType<typeof trainer.result>;
  try {
    try {
      result = await trainer.run({
        ...(signal ? { signal } : {}),
        ...(bar ? { onProgress: (e: ProgressEvent) => bar.update(e) } : {}),
      });
      if (result.stopReason === 'aborted') stop = { kind: 'interrupted', epoch: trainer.epoch };
    } catch (err) {
      if (!(err instanceof DivergenceError)) throw err;
      result = trainer.result();
      stop = { kind: 'diverged', epoch: err.epoch };
    }
  } finally {
    trainer.dispose();
  }
  if (stop) bar?.stop();
  else bar?.done();
  return {
    model: result.model as Model,
    updates: result.history.updates[result.history.updates.length - 1] ?? 0,
    trainMs: result.history.wallTimeMs,
    stop,
  };
}

/**
 * Trains on WebGPU through @annlab/train's `fit` with a WebGPU backend: parameters stay on the GPU,
 * the loss is read back every few epochs for progress. The width-one chain is trained as the MLP
 * 1 → 1 → … → 1 it is; its loss, the batch mean of ½(ŷ − y)², is `mse` / 2, so SGD and momentum take
 * half the learning rate on `mse` (Adam is invariant to the loss's scale).
 */
async function trainWebGpu(
  settings: FitSettings,
  model: Model,
  x: Float64Array,
  y: Float64Array,
  io: Io | undefined,
  signal: AbortSignal | undefined,
) {
  const { createGpuMlpTrainer } = await import('@annlab/gpu');
  const gpu = await openGpu();
  const asMlp: Model =
    model.kind === 'mlp'
      ? model
      : {
          kind: 'mlp',
          spec: mlpSpec(
            Array.from({ length: settings.depth + 1 }, () => 1),
            settings.activation,
            settings.outputActivation,
          ),
          params: interleave(model.params.w, model.params.b),
        };
  const chain = model.kind === 'chain';
  const lr = chain && settings.optimizer !== 'adam' ? settings.lr / 2 : settings.lr;
  const bar = io ? trainingProgress(io, 'training (webgpu)', settings.epochs) : undefined;
  try {
    let stop: EarlyStop | undefined;
    let result: Awaited<ReturnType<typeof fit>>;
    try {
      result = await fit(
        asMlp,
        { x, y },
        {
          epochs: settings.epochs,
          optimizer: optimizerFor({ ...settings, lr }),
          batch: settings.batch,
          key: settings.key,
          normalize: settings.normalize,
          loss: chain ? 'mse' : settings.loss,
          progressEvery: Math.max(1, Math.floor(settings.epochs / 20)),
          ...(bar ? { onProgress: (e: ProgressEvent) => bar.update(e) } : {}),
          ...(signal ? { signal } : {}),
          backend: {
            kind: 'webgpu',
            createTrainer: (spec, params, options) =>
              createGpuMlpTrainer(gpu, spec, params, options),
          },
        },
      );
      if (result.stopReason === 'aborted') stop = { kind: 'interrupted', epoch: result.epochs };
    } catch (err) {
      // without normalisation the last good parameters are the whole model; with it, the GPU
      // trainer does not hand back its scaling, so nothing can be kept
      if (!(err instanceof DivergenceError) || settings.normalize) throw err;
      stop = { kind: 'diverged', epoch: err.epoch };
      result = {
        model: { ...asMlp, params: err.lastGoodParams },
        history: { updates: new Float64Array([err.step]), wallTimeMs: Number.NaN },
      } as unknown as Awaited<ReturnType<typeof fit>>;
    }
    if (stop) bar?.stop();
    else bar?.done();
    const a = gpu.adapter;
    const adapter =
      `${a.vendor || 'unknown'} ${a.architecture || ''}${a.isFallbackAdapter ? ' (fallback: the CPU)' : ''}`.trim();
    return {
      model: result.model as Model,
      updates: result.history.updates[result.history.updates.length - 1] ?? 0,
      trainMs: result.history.wallTimeMs,
      adapter,
      stop,
    };
  } finally {
    gpu.dispose();
  }
}

function interleave(w: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const out = new Float64Array(w.length * 2);
  for (let i = 0; i < w.length; i++) {
    out[2 * i] = w[i]!;
    out[2 * i + 1] = b[i]!;
  }
  return out;
}

/** Runs a fit end to end (no printing): the core of `annlab fit`, also used by tests. */
export async function runFit(settings: FitSettings, io?: Io, signal?: AbortSignal) {
  let formula: ReturnType<typeof parseFormula>;
  let data: { x: Float64Array; y: Float64Array };
  try {
    formula = parseFormula(settings.target);
    data = sampleFormula(formula, settings.domain[0], settings.domain[1], settings.points);
  } catch (err) {
    throw new CliError(
      (err as Error).message.replace(/^(parseFormula|sampleFormula): /, 'bad formula: '),
      2,
    );
  }
  const model = initialModel(settings);
  const trained =
    settings.backend === 'webgpu'
      ? await trainWebGpu(settings, model, data.x, data.y, io, signal)
      : await trainCpu(settings, model, data.x, data.y, io, signal);
  let pred: Float64Array;
  try {
    pred = predict(trained.model, data.x);
  } catch (err) {
    // predict refuses non-finite outputs: parameters that overflow without the guard noticing
    throw new CliError(`training diverged: ${(err as Error).message}; try a smaller --lr`);
  }
  const summary: FitSummary = {
    target: formula.normalized,
    finalLoss: finalLossOf(model.kind, settings, pred, data.y),
    rmse: rmseOf(pred, data.y),
    epochs: settings.epochs,
    updates: trained.updates,
    trainMs: Math.round(trained.trainMs * 100) / 100,
    backend: settings.backend,
    model: model.kind,
    parameters:
      trained.model.kind === 'chain'
        ? trained.model.params.data.length
        : trained.model.params.length,
    ...('adapter' in trained ? { adapter: trained.adapter as string } : {}),
  };
  if (!trained.stop && (!Number.isFinite(summary.finalLoss) || !Number.isFinite(summary.rmse))) {
    throw new CliError(`training diverged (final loss ${summary.finalLoss}); try a smaller --lr`);
  }
  return { summary, model: trained.model, data, pred, formula, stop: trained.stop };
}

/** The CLI's one-line report of a run that stopped early, after the last good parameters were saved. */
function earlyStopError(stop: EarlyStop, epochs: number, out: string | undefined): CliError {
  const at = `in epoch ${stop.epoch + 1} of ${epochs}`;
  if (stop.kind === 'interrupted') {
    return new CliError(
      `interrupted (Ctrl-C) ${at}; ${out ? `saved the parameters reached so far to ${JSON.stringify(out)}` : 'nothing saved (no --out)'}`,
      130,
      'interrupted',
    );
  }
  return new CliError(
    `training diverged ${at} (the loss or the parameters became non-finite); ${out ? `saved the last good parameters, from the start of epoch ${stop.epoch + 1}, to ${JSON.stringify(out)}` : 'nothing saved (no --out)'}; try a smaller --lr`,
    1,
    'diverged',
  );
}

/** The format `--plot` writes, from its extension (any case); anything else is a usage error. */
export function plotFormat(path: string): 'svg' | 'png' {
  const ext = extname(path).toLowerCase();
  if (ext === '.svg' || ext === '.png') return ext.slice(1) as 'svg' | 'png';
  throw usage(`--plot must end in .svg or .png, got ${JSON.stringify(path)}`);
}

/**
 * Checks an output path before any training: its folder exists and the path is not a folder, so a
 * bad path fails in a second, naming the flag, and never after a long run.
 */
export async function checkOutputPath(flag: string, path: string): Promise<void> {
  const dir = dirname(path);
  const folder = await stat(dir).catch(() => undefined);
  if (!folder?.isDirectory()) {
    throw usage(
      `--${flag}: the folder ${JSON.stringify(dir)} does not exist (for ${JSON.stringify(path)})`,
    );
  }
  const target = await stat(path).catch(() => undefined);
  if (target?.isDirectory())
    throw usage(`--${flag}: ${JSON.stringify(path)} is a folder, not a file`);
}

/** Writes a result file atomically; a failure names the flag and leaves any old file as it was. */
export async function writeOutput(flag: string, path: string, data: string | Uint8Array) {
  try {
    await writeFileAtomic(path, data);
  } catch (err) {
    throw new CliError(
      `--${flag}: cannot write ${JSON.stringify(path)}: ${(err as Error).message}`,
    );
  }
}

export async function fitCommand(args: string[], io: Io): Promise<number> {
  // a data file instead of a formula: its own flags (see fitData.ts)
  if (args.some((a) => a === '--data' || a.startsWith('--data='))) {
    return (await import('./fitData.js')).fitDataCommand(args, io);
  }
  const options = {
    target: { type: 'string' },
    domain: { type: 'string' },
    points: { type: 'string' },
    depth: { type: 'string' },
    width: { type: 'string' },
    activation: { type: 'string' },
    'output-activation': { type: 'string' },
    loss: { type: 'string' },
    optimizer: { type: 'string' },
    lr: { type: 'string' },
    batch: { type: 'string' },
    epochs: { type: 'string' },
    key: { type: 'string' },
    backend: { type: 'string' },
    normalize: { type: 'boolean' },
    out: { type: 'string' },
    plot: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  const values = parseCommand(args, options) as {
    out?: string;
    plot?: string;
    json?: boolean;
    help?: boolean;
  } & Record<string, string | boolean | undefined>;
  if (values.help) {
    io.out(FIT_HELP);
    return 0;
  }
  const settings = fitSettings(values);
  const plotAs = values.plot !== undefined ? plotFormat(values.plot) : undefined;
  if (values.out !== undefined) await checkOutputPath('out', values.out);
  if (values.plot !== undefined) await checkOutputPath('plot', values.plot);
  // Ctrl-C stops training at the next yield; a second Ctrl-C (while saving) exits at once, leaving
  // the old file: writes are atomic and their temporary files are removed
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) controller.abort();
    else {
      removePendingTemporaryFiles();
      process.exit(130);
    }
  };
  process.on('SIGINT', onSigint);
  let run: Awaited<ReturnType<typeof runFit>>;
  try {
    run = await runFit(settings, values.json ? undefined : io, controller.signal);
    if (values.out) await writeOutput('out', values.out, saveModel(run.model));
  } finally {
    process.off('SIGINT', onSigint);
  }
  const { summary, data, pred, formula, stop } = run;
  if (stop) throw earlyStopError(stop, settings.epochs, values.out);
  if (values.plot) {
    const svg = fitChart({
      x: data.x,
      target: data.y,
      approximation: pred,
      title: `Fit of ${formula.normalized}`,
      targetLabel: formula.normalized,
      approximationLabel: `network (${summary.model}, depth ${settings.depth})`,
    });
    await writeOutput('plot', values.plot, plotAs === 'png' ? await toPng(svg) : svg);
  }
  if (values.json) {
    io.out(`${JSON.stringify(summary)}\n`);
  } else {
    io.out(
      `target      ${summary.target}\nmodel       ${summary.model} (${summary.parameters} parameters)\n` +
        `backend     ${summary.backend}${summary.adapter ? ` [${summary.adapter}]` : ''}\n` +
        `epochs      ${summary.epochs} (${summary.updates} updates, ${summary.trainMs} ms)\n` +
        `final loss  ${summary.finalLoss.toExponential(4)}\nrmse        ${summary.rmse.toExponential(4)}\n` +
        (values.out ? `model       ${values.out}\n` : '') +
        (values.plot ? `plot        ${values.plot}\n` : ''),
    );
  }
  return 0;
}
