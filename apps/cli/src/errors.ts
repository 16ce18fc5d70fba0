/** An error the CLI reports as one line on stderr, with its exit code (2: usage, 1: failure). */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

/** A usage error: bad flag, missing argument, malformed number. Exit code 2. */
export function usage(message: string): CliError {
  return new CliError(message, 2);
}
