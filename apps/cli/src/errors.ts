/** An error the CLI reports as one line on stderr, with its exit code (2: usage, 1: failure). */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: 1 | 2 | 130 = 1,
    /** A stable name for scripts (`--json` prints it): `usage`, `failure`, `interrupted`, … */
    readonly code: string = exitCode === 2 ? 'usage' : exitCode === 130 ? 'interrupted' : 'failure',
  ) {
    super(message);
  }
}

/** A usage error: bad flag, missing argument, malformed number. Exit code 2. */
export function usage(message: string): CliError {
  return new CliError(message, 2);
}

/**
 * One line, safe for a terminal: control characters (a newline, an escape sequence) are written as
 * `\uXXXX`, so no error prints more than one line or moves the cursor.
 */
export function oneLine(text: string): string {
  let out = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    out +=
      code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029
        ? `\\u${code.toString(16).padStart(4, '0')}`
        : c;
  }
  return out;
}
