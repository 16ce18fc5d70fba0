/**
 * `annlab fit --data FILE --x a,b --y c`: fits an MLP to the columns of a CSV/TSV file, for
 * regression (numbers) or classification (labels → classes, softmax cross-entropy). Inputs (and
 * regression targets) are standardised on the data, the scaling stored with the model, and a
 * classifier's labels stored as its `classes`.
 */
import { ACTIVATION_NAMES, initMlp, key, mlpSpec } from '@annlab/core';
import {
  accuracy,
  adam,
  createTrainer,
  DivergenceError,
  type GradientTransformation,
  type MlpModel,
  momentum,
  type ProgressEvent,
  predict,
  predictClass,
  saveModel,
  sgd,
} from '@annlab/train';
import { parseColumns, parseDelimiter, readDataTable } from '../data.js';
import { CliError, usage } from '../errors.js';
import { type Io, trainingProgress } from '../io.js';
import { parseChoice, parseCommand, parseNumber } from '../parse.js';
import { checkOutputPath, MAX_EPOCHS, writeOutput } from './fit.js';

export const FIT_DATA_HELP = `annlab fit --data: fit a network to the columns of a CSV/TSV file

Usage:
  annlab fit --data points.csv --x a,b --y c [--task regression|classification] [options]

Data:
  --data FILE           a CSV or TSV file, or - for stdin (at most ANNLAB_MAX_DATA_BYTES, 256 MiB)
  --x COLS              input columns, by header name (or 0-based index), comma-separated
  --y COL               the target column (regression: one or more, comma-separated)
  --delimiter D         ",", ";" or "tab" (default: sniffed from the first rows)
  --task T              regression (numbers, default) or classification (labels, strings or integers)
  --missing M           error (default) or drop: rows with an empty cell in a chosen column

Network and training:
  --width W             units per hidden layer (default 16)
  --depth N             layers, the output layer included (default 3)
  --activation NAME     hidden activation (default tanh)
  --optimizer NAME      sgd, momentum, adam (default adam)
  --lr X                learning rate (default 0.01)
  --batch full|K        full batch or mini-batches of K (default 32)
  --epochs E            epochs (default 200)
  --l1 X, --l2 X        L1 / L2 penalty on the weights (default 0)
  --key S               integer seed (default 0)

Output:
  --out FILE            save the model (with its scaling and class labels) as JSON
  --json                print one JSON object with the results
`;

export async function fitDataCommand(args: string[], io: Io): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(FIT_DATA_HELP);
    return 0;
  }
  const options = {
    data: { type: 'string' },
    x: { type: 'string' },
    y: { type: 'string' },
    delimiter: { type: 'string' },
    task: { type: 'string' },
    missing: { type: 'string' },
    width: { type: 'string' },
    depth: { type: 'string' },
    activation: { type: 'string' },
    optimizer: { type: 'string' },
    lr: { type: 'string' },
    batch: { type: 'string' },
    epochs: { type: 'string' },
    l1: { type: 'string' },
    l2: { type: 'string' },
    key: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  const v = parseCommand(args, options) as Record<string, string | undefined> & {
    json?: boolean;
    help?: boolean;
  };
  if (v.help) {
    io.out(FIT_DATA_HELP);
    return 0;
  }
  const path = v.data!;
  if (v.x === undefined) throw usage('fit --data: --x COLS (the input columns) is required');
  if (v.y === undefined) throw usage('fit --data: --y COL (the target column) is required');
  const task = parseChoice('task', v.task, ['regression', 'classification'] as const, 'regression');
  const xCols = parseColumns('x', v.x);
  const yCols = parseColumns('y', v.y);
  if (task === 'classification' && yCols.length !== 1) {
    throw usage(`--y: classification takes one label column, got ${yCols.length}`);
  }
  const width = parseNumber('width', v.width ?? '16', { integer: true, min: 1, max: 4096 });
  const depth = parseNumber('depth', v.depth ?? '3', { integer: true, min: 1, max: 64 });
  const activation = parseChoice('activation', v.activation, ACTIVATION_NAMES, 'tanh');
  const optimizerName = parseChoice(
    'optimizer',
    v.optimizer,
    ['sgd', 'momentum', 'adam'] as const,
    'adam',
  );
  const lr = parseNumber('lr', v.lr ?? '0.01', { positive: true });
  const epochs = parseNumber('epochs', v.epochs ?? '200', {
    integer: true,
    min: 1,
    max: MAX_EPOCHS,
  });
  const l1 = parseNumber('l1', v.l1 ?? '0', { min: 0 });
  const l2 = parseNumber('l2', v.l2 ?? '0', { min: 0 });
  const seed = parseNumber('key', v.key ?? '0', { integer: true, min: 0 });
  const batchText = v.batch ?? '32';
  const batch =
    batchText === 'full' ? 'full' : parseNumber('batch', batchText, { integer: true, min: 1 });
  const missing = parseChoice('missing', v.missing, ['error', 'drop'] as const, 'error');
  if (v.out !== undefined) await checkOutputPath('out', v.out);

  const table = await readDataTable(path, parseDelimiter(v.delimiter), () => ({
    x: xCols,
    y: yCols,
    task,
    missing,
  }));
  const inputs = table.xColumns.length;
  const outputs = task === 'classification' ? table.classes!.length : table.yColumns.length;
  const sizes = [inputs, ...Array.from({ length: Math.max(0, depth - 1) }, () => width), outputs];
  const spec = mlpSpec(sizes, activation, 'identity');
  const model: MlpModel = {
    kind: 'mlp',
    spec,
    params: initMlp(spec, key(seed)) as Float64Array,
    ...(table.classes ? { classes: table.classes } : {}),
  };
  const y = table.y!;
  const trainerBatch = batch === 'full' || batch >= table.rows ? 'full' : batch;
  const opt: GradientTransformation =
    optimizerName === 'adam' ? adam(lr) : optimizerName === 'momentum' ? momentum(lr) : sgd(lr);
  const bar = v.json ? undefined : trainingProgress(io, 'training', epochs);
  const trainer = createTrainer(
    model,
    {
      x: { data: table.x, rows: table.rows, cols: inputs },
      y: task === 'classification' ? y : { data: y, rows: table.rows, cols: outputs },
    },
    {
      epochs,
      optimizer: opt,
      batch: trainerBatch,
      key: seed,
      loss: task === 'classification' ? 'softmaxCrossEntropy' : 'mse',
      normalize: true,
      l1,
      l2,
      progressEvery: Math.max(1, Math.floor(epochs / 100)),
    },
  );
  let result: ReturnType<typeof trainer.result>;
  try {
    result = await trainer.run(bar ? { onProgress: (e: ProgressEvent) => bar.update(e) } : {});
  } catch (err) {
    if (err instanceof DivergenceError) {
      bar?.stop();
      throw new CliError(
        `training diverged in epoch ${err.epoch + 1} of ${epochs}; try a smaller --lr`,
        1,
        'diverged',
      );
    }
    throw err;
  } finally {
    trainer.dispose();
  }
  bar?.done();
  const trained = {
    ...(result.model as MlpModel),
    ...(table.classes ? { classes: table.classes } : {}),
  };
  const X = { data: table.x, rows: table.rows, cols: inputs };
  const summary: Record<string, unknown> = {
    data: path,
    task,
    rows: table.rows,
    dropped: table.dropped,
    x: table.xColumns,
    y: table.yColumns,
    ...(table.classes ? { classes: table.classes } : {}),
    finalLoss: result.history.loss[result.history.loss.length - 1] ?? null,
    epochs: result.epochs,
    trainMs: Math.round(result.history.wallTimeMs * 100) / 100,
    parameters: trained.params.length,
  };
  if (task === 'classification') {
    summary.accuracy = accuracy(predictClass(trained, X), y);
  } else {
    const pred = predict(trained, X);
    let s = 0;
    for (let i = 0; i < y.length; i++) s += (pred[i]! - y[i]!) ** 2;
    summary.rmse = Math.sqrt(s / y.length);
  }
  if (v.out !== undefined) await writeOutput('out', v.out, saveModel(trained));
  if (v.json) io.out(`${JSON.stringify(summary)}\n`);
  else {
    const lines = [
      `data        ${path} (${table.rows} rows${table.dropped ? `, ${table.dropped} dropped for missing values` : ''})`,
      `columns     x: ${table.xColumns.join(', ')}; y: ${table.yColumns.join(', ')}`,
      ...(table.classes ? [`classes     ${table.classes.join(', ')}`] : []),
      `model       mlp ${sizes.join('→')} (${trained.params.length} parameters)`,
      `epochs      ${result.epochs} (${summary.trainMs} ms)`,
      `final loss  ${Number(summary.finalLoss).toExponential(4)}`,
      task === 'classification'
        ? `accuracy    ${(100 * (summary.accuracy as number)).toFixed(1)} % (training data)`
        : `rmse        ${(summary.rmse as number).toExponential(4)}`,
      ...(v.out ? [`model       ${v.out}`] : []),
    ];
    io.out(`${lines.join('\n')}\n`);
  }
  return 0;
}
