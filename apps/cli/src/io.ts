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

/** Milliseconds as a short duration: `850 ms`, `12.3 s`, `4 min 05 s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/**
 * Training progress on stderr: epoch / total, loss, elapsed time and the estimated time left, as a
 * {@link progressBar}. `stop()` ends a redrawn line so that a message can follow it.
 */
export function trainingProgress(io: Io, label: string, total: number) {
  const bar = progressBar(io, label, total);
  let last = '';
  return {
    update(e: { epoch: number; loss: number; elapsedMs: number }): void {
      const done = e.epoch + 1;
      const eta = (e.elapsedMs / done) * (total - done);
      last = `epoch ${done}/${total}  loss ${Number.isFinite(e.loss) ? e.loss.toExponential(3) : e.loss}  elapsed ${formatDuration(e.elapsedMs)}  ETA ${formatDuration(eta)}`;
      bar.update(done, last);
    },
    done(detail?: string): void {
      bar.done(detail ?? last);
    },
    stop(): void {
      if (io.tty) io.err('\n');
    },
  };
}
