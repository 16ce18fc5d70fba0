import { stat } from 'node:fs/promises';
import {
  formatTable,
  loadModel,
  MAX_CHECKPOINT_CHARS,
  type Model,
  predict,
  predictionTable,
  predictProba,
  tableRecords,
} from '@annlab/train';
import { parseColumns, parseDelimiter, readDataTable } from '../data.js';
import { CliError, usage } from '../errors.js';
import type { Io } from '../io.js';
import { parseCommand, parseList } from '../parse.js';

export const PREDICT_HELP = `annlab predict: evaluate a saved model

Usage:
  annlab predict --model model.json --x 0.5,1,1.5 [--json]
  annlab predict --model model.json --x "0.5,1;2,3"      (a model with 2 inputs: rows split by ;)
  annlab predict --model model.json --data in.csv [--x a,b] [--out out.csv] [--json]

  --model FILE   a model saved by "annlab fit --out FILE" (at most ANNLAB_MAX_MODEL_BYTES bytes,
                 default ${MAX_CHECKPOINT_CHARS})
  --x LIST       the inputs: for a one-input model, comma-separated values, one row each; for a
                 model with k inputs, rows of k comma-separated values separated by ";"
  --json         print {"x": [...], "y": [...]}; with several inputs or outputs, rows of numbers
  --data FILE    a CSV/TSV file of inputs (- for stdin); its columns must match the model's inputs,
                 or be chosen with --x a,b (names or 0-based indices). Writes CSV with a header:
                 the inputs, then the outputs (y0, y1, …) or, for a classifier, class and probability;
                 --json writes an array of objects instead
  --out FILE     where --data's predictions go (- or absent: stdout)
  --delimiter D  ",", ";" or "tab" for --data (default: sniffed); the output uses the same
  -h, --help     this help

Output: one line per input row, the inputs then every output, separated by tabs.
`;

/** The largest model file predict reads (bytes), from ANNLAB_MAX_MODEL_BYTES or the default. */
function maxModelBytes(): number {
  const text = process.env.ANNLAB_MAX_MODEL_BYTES;
  if (text === undefined || text === '') return MAX_CHECKPOINT_CHARS;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw usage(`ANNLAB_MAX_MODEL_BYTES must be an integer ≥ 1, got ${JSON.stringify(text)}`);
  }
  return n;
}

export async function loadModelFile(path: string): Promise<Model> {
  const limit = maxModelBytes();
  let text: string;
  try {
    // the size is checked before reading: a 52 MB file is refused without reading it
    const info = await stat(path);
    if (info.size > limit) {
      throw new CliError(
        `model file ${path} has ${info.size} bytes, over the limit of ${limit} (ANNLAB_MAX_MODEL_BYTES)`,
      );
    }
    const { readFile } = await import('node:fs/promises');
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof CliError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(
      code === 'ENOENT'
        ? `model file not found: ${path}`
        : `cannot read model file ${path}: ${(err as Error).message}`,
    );
  }
  try {
    return loadModel(text, { maxChars: limit });
  } catch (err) {
    throw new CliError(`malformed model file ${path}: ${(err as Error).message}`);
  }
}

/**
 * The input rows, `inputs` values each. The source is `--x` today; a data file is another source
 * returning the same rows.
 */
export function inputRows(values: { x?: string }, inputs: number): number[][] {
  if (values.x === undefined) throw usage('predict: --x LIST is required (try --help)');
  if (inputs === 1) return parseList('x', values.x).map((v) => [v]);
  return values.x.split(';').map((row, r) => {
    const items = parseList('x', row);
    if (items.length !== inputs) {
      throw usage(
        `--x: row ${r + 1} has ${items.length} value(s), but the model takes ${inputs} inputs (rows of ${inputs} comma-separated values, separated by ";")`,
      );
    }
    return items;
  });
}

export async function predictCommand(args: string[], io: Io): Promise<number> {
  const options = {
    model: { type: 'string' },
    x: { type: 'string' },
    data: { type: 'string' },
    out: { type: 'string' },
    delimiter: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  const values = parseCommand(args, options) as {
    model?: string;
    x?: string;
    data?: string;
    out?: string;
    delimiter?: string;
    json?: boolean;
    help?: boolean;
  };
  if (values.help) {
    io.out(PREDICT_HELP);
    return 0;
  }
  if (!values.model) throw usage('predict: --model FILE is required (try --help)');
  if (values.data !== undefined) return predictData(values as typeof values & { data: string }, io);
  if (values.out !== undefined) throw usage('predict: --out goes with --data (try --help)');
  if (values.x === undefined) throw usage('predict: --x LIST is required (try --help)');
  // the numbers are checked before the file is read: a typo in --x is a usage error (exit 2)
  for (const row of values.x.split(';')) parseList('x', row);
  const model = await loadModelFile(values.model);
  const inputs = model.kind === 'mlp' ? model.spec.sizes[0]! : 1;
  const outputs = model.kind === 'mlp' ? model.spec.sizes[model.spec.sizes.length - 1]! : 1;
  const rows = inputRows(values, inputs);
  // predict refuses non-finite outputs with a NonFiniteError naming the row (exit 1)
  const flat = predict(model, inputs === 1 ? rows.map((r) => r[0]!) : rows);
  const ys = rows.map((_, i) => Array.from(flat.subarray(i * outputs, (i + 1) * outputs)));
  if (values.json) {
    const x = inputs === 1 ? rows.map((r) => r[0]!) : rows;
    const y = outputs === 1 ? ys.map((r) => r[0]!) : ys;
    io.out(`${JSON.stringify({ x, y })}\n`);
  } else {
    for (let i = 0; i < rows.length; i++) io.out(`${[...rows[i]!, ...ys[i]!].join('\t')}\n`);
  }
  return 0;
}

/** Whether a model's outputs are logits of classes (its training loss, or stored class labels). */
function isClassifier(model: Model): boolean {
  if (model.kind !== 'mlp') return false;
  const loss = model.training?.loss;
  return loss === 'softmaxCrossEntropy' || loss === 'bceWithLogits' || model.classes !== undefined;
}

/** `predict --data`: a table in, predictions out as CSV (or JSON records), one row per input row. */
async function predictData(
  values: {
    model?: string;
    data: string;
    x?: string;
    out?: string;
    delimiter?: string;
    json?: boolean;
  },
  io: Io,
): Promise<number> {
  const model = await loadModelFile(values.model!);
  const inputs = model.kind === 'mlp' ? model.spec.sizes[0]! : 1;
  const outputs = model.kind === 'mlp' ? model.spec.sizes[model.spec.sizes.length - 1]! : 1;
  const columns = values.x === undefined ? undefined : parseColumns('x', values.x);
  if (columns !== undefined && columns.length !== inputs) {
    throw usage(
      `--x: ${columns.length} column(s) chosen, but the model takes ${inputs} inputs (its shape is ${inputs} → ${outputs})`,
    );
  }
  const delimiter = parseDelimiter(values.delimiter);
  const table = await readDataTable(values.data, delimiter, (preview) => {
    if (columns !== undefined) return { x: columns };
    if (preview.columns.length !== inputs) {
      throw new CliError(
        `the model takes ${inputs} inputs (shape ${inputs} → ${outputs}), but ${values.data} has ${preview.columns.length} columns (${preview.columns.map((c) => JSON.stringify(c)).join(', ')}); choose ${inputs} with --x`,
        2,
      );
    }
    return { x: preview.columns.map((_, i) => i) };
  });
  const X = { data: table.x, rows: table.rows, cols: inputs };
  let out: ReturnType<typeof predictionTable>;
  if (isClassifier(model)) {
    const p = predictProba(model, X);
    // one output (bceWithLogits): the probability of class 1, as two columns [1 − p, p]
    const proba =
      outputs === 1
        ? Float64Array.from({ length: 2 * table.rows }, (_, k) =>
            k % 2 ? p[k >> 1]! : 1 - p[k >> 1]!,
          )
        : p;
    const k = outputs === 1 ? 2 : outputs;
    const classes =
      model.kind === 'mlp' && model.classes
        ? model.classes
        : Array.from({ length: k }, (_, i) => String(i));
    out = predictionTable({
      rows: table.rows,
      x: table.x,
      xColumns: table.xColumns,
      outputs: proba,
      classes,
    });
  } else {
    const y = predict(model, inputs === 1 ? table.x : X);
    out = predictionTable({
      rows: table.rows,
      x: table.x,
      xColumns: table.xColumns,
      outputs: y,
      outputColumns: outputs === 1 ? ['y'] : Array.from({ length: outputs }, (_, k) => `y${k}`),
    });
  }
  const text = values.json
    ? `${JSON.stringify(tableRecords(out))}\n`
    : formatTable(out, table.delimiter);
  if (values.out === undefined || values.out === '-') io.out(text);
  else {
    const { checkOutputPath, writeOutput } = await import('./fit.js');
    await checkOutputPath('out', values.out);
    await writeOutput('out', values.out, text);
  }
  return 0;
}
