/**
 * The one way annlab writes a file a user keeps: to a temporary file beside the target, flushed to
 * disk, then renamed over it. A rename within a directory is atomic, so an interrupted or failed write
 * leaves the old file (or no file) at `path`, never a cut-off one.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temporary files still being written, removed by {@link removePendingTemporaryFiles}. */
const pending = new Set<string>();

/**
 * Writes `data` to `path` atomically: temp file `.<name>.<random>.tmp` in the same directory, fsync,
 * rename. On failure the temp file is removed and the error rethrown; the old file is untouched.
 *
 * @example
 * ```ts
 * await writeFileAtomic('model.json', saveModel(model));
 * ```
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  pending.add(temp);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  } finally {
    pending.delete(temp);
  }
}

/**
 * Removes the temporary files of writes still in progress (synchronously, for a signal handler that
 * is about to exit): the targets keep their old contents.
 */
export function removePendingTemporaryFiles(rmSync: (p: string, o: { force: boolean }) => void) {
  for (const temp of pending) rmSync(temp, { force: true });
  pending.clear();
}
