/**
 * @annlab/train/node: reading tables from, and writing files to, the file system (Node only). Kept
 * out of the main entry so `@annlab/train` bundles for browsers without `node:fs`.
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { invalidArgument } from '@annlab/core';
import { TableError } from './errors.js';
import {
  DEFAULT_MAX_TABLE_BYTES,
  type ReadTableOptions,
  readTable,
  type TableData,
} from './table/index.js';
import { tooLarge } from './table/read.js';

/**
 * Reads a CSV/TSV file with {@link readTable}'s rules; the path is the source named in messages.
 * A file over `options.maxBytes` (default 256 MiB) is refused from its size, before it is read.
 *
 * @example
 * ```ts
 * import { readTableFile } from '@annlab/train/node';
 * const t = await readTableFile('points.csv', { x: ['a', 'b'], y: 'c' });
 * ```
 */
export async function readTableFile(file: string, options: ReadTableOptions): Promise<TableData> {
  const fn = 'readTableFile';
  if (typeof file !== 'string' || file === '') {
    throw invalidArgument(fn, 'file', file, 'a file path');
  }
  const max = options?.maxBytes ?? DEFAULT_MAX_TABLE_BYTES;
  let size: number;
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new TableError(`${fn}: ${file} is not a file`, file);
    size = s.size;
  } catch (e) {
    if (e instanceof TableError) throw e;
    throw new TableError(`${fn}: cannot read ${file}: ${(e as Error).message}`, file);
  }
  if (size > max) throw tooLarge(fn, file, size, 'bytes', max);
  const text = await readFile(file, 'utf8');
  return readTable(text, {
    ...options,
    name: options?.name ?? file,
    maxBytes: Math.max(max, text.length),
  });
}

/**
 * Writes a file atomically: to a temporary file beside it, then renamed over the target, so a
 * failed write never leaves a half-written file (the old one stays).
 *
 * @example
 * ```ts
 * await writeFileAtomic('predictions.csv', formatTable(table));
 * ```
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  if (typeof file !== 'string' || file === '') {
    throw invalidArgument('writeFileAtomic', 'file', file, 'a file path');
  }
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
