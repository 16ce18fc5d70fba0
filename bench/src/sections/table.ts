/**
 * Reading a table: time and memory of `readTableFile` (@annlab/train/node) on a CSV of
 * 10⁶ rows × 10 columns (quick mode: 10⁵ rows), numbers with 9 significant digits drawn from a fixed
 * key. The file is written to a temporary directory, then read in a child process: one warm-up read,
 * then the median of `runs` timed reads; memory is the process's peak resident set size (maxRSS)
 * above its size before the first read, so it counts the file's text, d3-dsv's row arrays and the
 * float64 result together.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { source } from '../data.js';
import { median } from '../harness.js';

/** One table-reading entry. */
export interface TableRow {
  rows: number;
  columns: number;
  fileBytes: number;
  /** Median seconds of the timed reads. */
  seconds: number;
  /** Peak resident set size above the size before reading, in bytes. */
  peakBytes: number;
  runs: number;
}

/** The CSV text: a header x0..x9, then `rows` rows of normals with 9 significant digits. */
function csvText(rows: number): string {
  const r = source(1300);
  const cols = 10;
  const values = r.normals(rows * cols);
  const lines: string[] = [Array.from({ length: cols }, (_, c) => `x${c}`).join(',')];
  for (let i = 0; i < rows; i++) {
    const cells: string[] = [];
    for (let c = 0; c < cols; c++) cells.push(values[i * cols + c]!.toPrecision(9));
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** Runs the table section. */
export async function runTable(opts: {
  quick: boolean;
  runs: number;
  log: (line: string) => void;
}): Promise<TableRow[]> {
  const rows = opts.quick ? 100_000 : 1_000_000;
  const dir = await mkdtemp(path.join(tmpdir(), 'annlab-bench-table-'));
  try {
    const file = path.join(dir, 'table.csv');
    await writeFile(file, csvText(rows));
    const fileBytes = (await stat(file)).size;
    const child = fileURLToPath(new URL('./tableChild.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [...process.execArgv, child, file, String(opts.runs)],
      { maxBuffer: 1 << 20 },
    );
    const out = JSON.parse(stdout.trim().split('\n').pop()!) as {
      rows: number;
      seconds: number[];
      rssBefore: number;
      maxRss: number;
    };
    if (out.rows !== rows) throw new Error(`bench table: read ${out.rows} rows, wrote ${rows}`);
    const row: TableRow = {
      rows,
      columns: 10,
      fileBytes,
      seconds: median(out.seconds),
      peakBytes: out.maxRss - out.rssBefore,
      runs: out.seconds.length,
    };
    opts.log(
      `  ${rows} rows × 10 columns (${(fileBytes / 2 ** 20).toFixed(0)} MiB): ${row.seconds.toFixed(2)} s, peak +${(row.peakBytes / 2 ** 20).toFixed(0)} MiB`,
    );
    return [row];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The section's markdown. */
export function renderTable(rows: readonly TableRow[]): string[] {
  const out = [
    '## Reading a CSV table (issue #13)',
    '',
    "`readTableFile` from `@annlab/train/node`: 9 input columns and 1 target column, numbers with 9 significant digits; median of the timed reads after a warm-up, in a child process. Memory: that process's peak resident set size above its size before the first read (the file's text, d3-dsv's rows and the float64 arrays).",
    '',
    '| rows × columns | file | time | rows/s | peak memory | timed reads |',
    '|---|--:|--:|--:|--:|--:|',
  ];
  for (const r of rows) {
    out.push(
      `| ${r.rows.toLocaleString('en-US')} × ${r.columns} | ${(r.fileBytes / 2 ** 20).toFixed(0)} MiB | ${r.seconds.toFixed(2)} s | ${(r.rows / r.seconds / 1e6).toFixed(2)} M | ${(r.peakBytes / 2 ** 20).toFixed(0)} MiB | ${r.runs} |`,
    );
  }
  out.push('');
  return out;
}
