/**
 * The `annlab` command. Every failure is one line on stderr (`annlab: …`) and a non-zero exit code:
 * 2 for usage errors (bad flag, bad number, bad formula), 1 for failures (missing file, WebGPU
 * unavailable, divergence).
 */
import { CliError } from './errors.js';
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

export async function run(argv: string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(HELP);
        return command === undefined ? 2 : 0;
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
          `unknown command "${command}" (commands: lecture, fit, predict, info; try --help)`,
          2,
        );
    }
  } catch (err) {
    const e = err as Error & { code?: string };
    if (err instanceof CliError) {
      io.err(`annlab: ${err.message}\n`);
      return err.exitCode;
    }
    if (typeof e.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS')) {
      io.err(`annlab: ${e.message} (try --help)\n`);
      return 2;
    }
    // Library validation errors (ValidationError, TrainError, …) carry clear messages already.
    io.err(`annlab: ${e.message ?? String(err)}\n`);
    return 1;
  }
}
