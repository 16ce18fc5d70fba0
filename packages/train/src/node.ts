/**
 * @annlab/train/node: reading tables from, and writing files to, the file system (Node only). Kept
 * out of the main entry so `@annlab/train` bundles for browsers without `node:fs`.
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { invalidArgument } from '@annlab/core/internal';
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

/** Temporary files of writes in progress, removed by {@link removePendingTemporaryFiles}. */
const pending = new Set<string>();

/**
 * The one way annlab writes a file a user keeps: to a temporary file `.<name>.<random>.tmp` beside
 * it, flushed to disk (fsync), then renamed over the target. A rename within a folder is atomic, so
 * an interrupted or failed write leaves the old file (or none), never a cut-off one; on failure the
 * temporary file is removed and the error rethrown.
 *
 * @example
 * ```ts
 * await writeFileAtomic('predictions.csv', formatTable(table));
 * await writeFileAtomic('model.json', saveModel(model));
 * ```
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  if (typeof file !== 'string' || file === '') {
    throw invalidArgument('writeFileAtomic', 'file', file, 'a file path');
  }
  if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
    throw invalidArgument('writeFileAtomic', 'data', data, 'a string or a Uint8Array');
  }
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  pending.add(tmp);
  try {
    const handle = await open(tmp, 'wx', 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  } finally {
    pending.delete(tmp);
  }
}

/**
 * Removes, synchronously, the temporary files of {@link writeFileAtomic} calls still in progress:
 * for a signal handler about to exit (their targets keep their old contents).
 *
 * @example
 * ```ts
 * process.on('SIGINT', () => { removePendingTemporaryFiles(); process.exit(130); });
 * ```
 */
export function removePendingTemporaryFiles(): void {
  for (const tmp of pending) rmSync(tmp, { force: true });
  pending.clear();
}
