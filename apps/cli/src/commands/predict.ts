import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadModel, type Model, predict } from '@annlab/train';
import { CliError, usage } from '../errors.js';
import type { Io } from '../io.js';
import { joinOptionValues, parseList } from '../parse.js';

export const PREDICT_HELP = `annlab predict: evaluate a saved model

Usage:
  annlab predict --model model.json --x 0.5,1,1.5 [--json]

  --model FILE   a model saved by "annlab fit --out FILE"
  --x LIST       comma-separated inputs
  --json         print {"x": [...], "y": [...]}
  -h, --help     this help
`;

export async function loadModelFile(path: string): Promise<Model> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(
      code === 'ENOENT'
        ? `model file not found: ${path}`
        : `cannot read model file ${path}: ${(err as Error).message}`,
    );
  }
  try {
    return loadModel(text);
  } catch (err) {
    throw new CliError(`malformed model file ${path}: ${(err as Error).message}`);
  }
}

export async function predictCommand(args: string[], io: Io): Promise<number> {
  const options = {
    model: { type: 'string' },
    x: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  const { values } = parseArgs({
    args: joinOptionValues(args, options),
    options,
    strict: true,
  });
  if (values.help) {
    io.out(PREDICT_HELP);
    return 0;
  }
  if (!values.model) throw usage('predict: --model FILE is required (try --help)');
  const xs = parseList('x', values.x);
  const model = await loadModelFile(values.model);
  const ys = predict(model, xs);
  if (values.json) io.out(`${JSON.stringify({ x: xs, y: Array.from(ys) })}\n`);
  else for (let i = 0; i < xs.length; i++) io.out(`${xs[i]}\t${ys[i]}\n`);
  return 0;
}
