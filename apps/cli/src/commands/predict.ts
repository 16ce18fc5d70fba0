import { stat } from 'node:fs/promises';
import { loadModel, MAX_CHECKPOINT_CHARS, type Model, predict } from '@annlab/train';
import { CliError, usage } from '../errors.js';
import type { Io } from '../io.js';
import { parseCommand, parseList } from '../parse.js';

export const PREDICT_HELP = `annlab predict: evaluate a saved model

Usage:
  annlab predict --model model.json --x 0.5,1,1.5 [--json]
  annlab predict --model model.json --x "0.5,1;2,3"      (a model with 2 inputs: rows split by ;)

  --model FILE   a model saved by "annlab fit --out FILE" (at most ANNLAB_MAX_MODEL_BYTES bytes,
                 default ${MAX_CHECKPOINT_CHARS})
  --x LIST       the inputs: for a one-input model, comma-separated values, one row each; for a
                 model with k inputs, rows of k comma-separated values separated by ";"
  --json         print {"x": [...], "y": [...]}; with several inputs or outputs, rows of numbers
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
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  const values = parseCommand(args, options) as {
    model?: string;
    x?: string;
    json?: boolean;
    help?: boolean;
  };
  if (values.help) {
    io.out(PREDICT_HELP);
    return 0;
  }
  if (!values.model) throw usage('predict: --model FILE is required (try --help)');
  if (values.x === undefined) throw usage('predict: --x LIST is required (try --help)');
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
