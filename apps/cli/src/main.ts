/**
 * The `annlab` command. Every failure is one line on stderr (`annlab: …`) and a non-zero exit code:
 * 2 for usage errors (bad flag, bad number, bad formula), 1 for failures (missing file, WebGPU
 * unavailable, divergence).
 */
import { setAllocationLimit } from '@annlab/core';
import { CliError, oneLine, usage } from './errors.js';
import { type Io, processIo } from './io.js';
import { versions } from './version.js';

export const HELP = `annlab: approximate functions with neural networks

Usage:
  annlab <command> [options]

Commands:
  lecture    reproduce the lecture's examples, figures and checks
  fit        fit a network to a formula
  predict    evaluate a saved model
  info       versions and the WebGPU adapter

Run "annlab <command> --help" for a command's options.
`;

/**
 * Reads `ANNLAB_MAX_ELEMENTS` (the largest array one allocation may request, core's allocation
 * limit, which the CLI's bounds on --depth, --width, --points and --epochs reuse).
 */
function applyLimitsFromEnvironment(): void {
  const text = process.env.ANNLAB_MAX_ELEMENTS;
  if (text === undefined || text === '') return;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw usage(`ANNLAB_MAX_ELEMENTS must be an integer ≥ 1, got ${JSON.stringify(oneLine(text))}`);
  }
  setAllocationLimit(n);
}

export async function run(argv: string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  const json = rest.includes('--json');
  try {
    applyLimitsFromEnvironment();
    switch (command) {
      case undefined:
        // a usage error: help goes to stderr, stdout stays empty for scripts
        io.err(HELP);
        return 2;
      case 'help':
      case '--help':
      case '-h':
        io.out(HELP);
        return 0;
      case '--version':
      case '-v':
        io.out(`${versions()['@annlab/cli']}\n`);
        return 0;
      case 'fit':
        return await (await import('./commands/fit.js')).fitCommand(rest, io);
      case 'predict':
        return await (await import('./commands/predict.js')).predictCommand(rest, io);
      case 'lecture':
        return await (await import('./commands/lecture.js')).lectureCommand(rest, io);
      case 'info':
        return await (await import('./commands/info.js')).infoCommand(rest, io);
      default:
        throw new CliError(
          `unknown command ${JSON.stringify(oneLine(command))} (commands: lecture, fit, predict, info; try --help)`,
          2,
        );
    }
  } catch (err) {
    return report(err, io, json);
  }
}

/**
 * Reports a failure: one line on stderr (`annlab: …`), and under `--json` also
 * `{ "error": { "code", "message" } }` on stdout, with the same exit code.
 */
export function report(err: unknown, io: Io, json: boolean): number {
  const e = err as Error & { code?: unknown };
  let exitCode: number;
  let code: string;
  if (err instanceof CliError) {
    exitCode = err.exitCode;
    code = err.code;
  } else {
    // library validation errors (ValidationError, TrainError, …) carry clear messages already
    exitCode = 1;
    code = typeof e?.name === 'string' && e.name !== 'Error' ? e.name : 'failure';
  }
  const message = oneLine(String(e?.message ?? err));
  io.err(`annlab: ${message}\n`);
  if (json) io.out(`${JSON.stringify({ error: { code, message } })}\n`);
  return exitCode;
}

/**
 * The process entry point (bin/annlab.mjs): a closed stdout (`annlab predict … | head -1`) ends the
 * run quietly instead of with an unhandled EPIPE and a stack trace, then runs the command.
 */
export async function main(argv: string[]): Promise<void> {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED')
        process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  process.exitCode = await run(argv);
}
