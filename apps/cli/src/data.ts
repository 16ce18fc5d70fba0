/**
 * Data files for `fit --data` and `predict --data`: a path or `-` (stdin), read with
 * `@annlab/train`'s table reader (d3-dsv; BOM, CRLF, quotes, `,` `;` tab sniffed), size-checked first.
 */
import { readFile, stat } from 'node:fs/promises';
import {
  DEFAULT_MAX_TABLE_BYTES,
  previewTable,
  type ReadTableOptions,
  readTable,
  type TableData,
  type TablePreview,
} from '@annlab/train';
import { CliError, usage } from './errors.js';

/** `--delimiter`: `,`, `;`, `tab` (or a literal tab), or absent (sniffed). */
export function parseDelimiter(text: string | undefined): ',' | ';' | '\t' | 'auto' {
  if (text === undefined) return 'auto';
  if (text === ',' || text === ';') return text;
  if (text === 'tab' || text === '\t' || text === '\\t') return '\t';
  throw usage(`--delimiter must be ",", ";" or "tab", got ${JSON.stringify(text)}`);
}

/** Column names from `--x a,b` (names, or 0-based indices written as digits). */
export function parseColumns(flag: string, text: string | undefined): (string | number)[] {
  if (text === undefined || text.trim() === '')
    throw usage(`--${flag} needs column names, e.g. --${flag} a,b`);
  return text.split(',').map((part, i) => {
    const name = part.trim();
    if (name === '')
      throw usage(`--${flag}: item ${i + 1} is empty (column names separated by commas)`);
    return /^\d+$/.test(name) ? Number(name) : name;
  });
}

/** Reads all of stdin as UTF-8, refusing more than `max` bytes as soon as they arrive. */
async function readStdin(max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > max) {
      throw new CliError(
        `--data -: stdin has more than ${max} bytes, over the limit (ANNLAB_MAX_DATA_BYTES)`,
      );
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The size limit of a data file (ANNLAB_MAX_DATA_BYTES, default 256 MiB). */
export function maxDataBytes(): number {
  const text = process.env.ANNLAB_MAX_DATA_BYTES;
  if (text === undefined || text === '') return DEFAULT_MAX_TABLE_BYTES;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw usage(`ANNLAB_MAX_DATA_BYTES must be an integer ≥ 1, got ${JSON.stringify(text)}`);
  }
  return n;
}

/**
 * Reads `--data` (a path, or `-` for stdin): the size is checked before reading (from the file's
 * size, or while stdin arrives), then `options` is made from a preview of the columns (so a command
 * can check them against a model) and the table read. Table errors (empty, ragged, a bad cell, an
 * unknown column, …) become one-line failures naming the file, row and column (exit 1).
 */
export async function readDataTable(
  path: string,
  delimiter: ',' | ';' | '\t' | 'auto',
  options: (preview: TablePreview) => Omit<ReadTableOptions, 'delimiter' | 'name' | 'maxBytes'>,
): Promise<TableData> {
  const maxBytes = maxDataBytes();
  const name = path === '-' ? '<stdin>' : path;
  let text: string;
  if (path === '-') text = await readStdin(maxBytes);
  else {
    const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
      throw new CliError(
        err.code === 'ENOENT'
          ? `data file not found: ${path}`
          : `cannot read data file ${path}: ${err.message}`,
      );
    });
    if (!info.isFile()) throw new CliError(`--data: ${path} is not a file`);
    if (info.size > maxBytes) {
      throw new CliError(
        `data file ${path} has ${info.size} bytes, over the limit of ${maxBytes} (ANNLAB_MAX_DATA_BYTES); nothing was read`,
      );
    }
    text = await readFile(path, 'utf8');
  }
  try {
    const preview = previewTable(text, { delimiter, maxRows: 0 });
    return readTable(text, {
      ...options(preview),
      delimiter,
      name,
      maxBytes: Math.max(maxBytes, text.length),
    });
  } catch (err) {
    if (err instanceof CliError) throw err;
    const e = err as Error;
    const message = e.message
      .replace(/^(readTable|previewTable): /, '')
      .replace("pass missing: 'drop'", 'pass --missing drop');
    // previewTable does not know the file's name
    throw new CliError(
      message
        .replace(/^<string>/, name)
        .replace(/^the table is empty/, `${name}: the table is empty`),
      1,
      e.name === 'TableError' ? 'data' : 'failure',
    );
  }
}
