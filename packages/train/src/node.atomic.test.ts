/**
 * writeFileAtomic, the one writer of every file annlab keeps (issue 12, item 1): a failed write leaves
 * the old file as it was and no temporary file behind.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from './node.js';

describe('writeFileAtomic', () => {
  it('replaces the file with the new contents and leaves no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'annlab-atomic-'));
    const path = join(dir, 'model.json');
    writeFileSync(path, 'old');
    await writeFileAtomic(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(['model.json']);
  });
  it('a failed write keeps the old file and removes its temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'annlab-atomic-'));
    const path = join(dir, 'model.json');
    writeFileSync(path, 'old');
    // a target that is a folder makes the rename fail after the temporary file was written
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    writeFileSync(join(folder, 'inside'), 'x');
    await expect(writeFileAtomic(folder, 'new')).rejects.toThrow();
    expect(readFileSync(join(folder, 'inside'), 'utf8')).toBe('x');
    expect(readdirSync(dir).sort()).toEqual(['folder', 'model.json']);
    await expect(writeFileAtomic(path, 42 as unknown as string)).rejects.toThrow(
      'writeFileAtomic: data must be a string or a Uint8Array, got 42',
    );
    expect(readFileSync(path, 'utf8')).toBe('old');
    // a folder that does not exist: nothing is created
    await expect(writeFileAtomic(join(dir, 'missing', 'm.json'), 'x')).rejects.toThrow(/ENOENT/);
  });
});
