/** Where a command writes: stdout for results, stderr for progress and errors. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal (progress bars redraw in place). */
  readonly tty: boolean;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  tty: Boolean(process.stderr.isTTY),
};

/**
 * A progress bar on stderr: redrawn in place on a terminal, otherwise a line at each quarter, so logs
 * stay short.
 */
export function progressBar(io: Io, label: string, total: number) {
  let lastQuarter = -1;
  return {
    update(done: number, detail = ''): void {
      const frac = total > 0 ? Math.min(1, done / total) : 1;
      if (io.tty) {
        const width = 30;
        const filled = Math.round(frac * width);
        io.err(
          `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% ${detail}  `,
        );
      } else {
        const quarter = Math.floor(frac * 4);
        if (quarter > lastQuarter) {
          lastQuarter = quarter;
          io.err(`${label}: ${(frac * 100).toFixed(0)}% ${detail}\n`);
        }
      }
    },
    done(detail = ''): void {
      if (io.tty) io.err(`\r${label} done ${detail}${' '.repeat(40)}\n`);
      else if (lastQuarter < 4) io.err(`${label}: 100% ${detail}\n`);
    },
  };
}
