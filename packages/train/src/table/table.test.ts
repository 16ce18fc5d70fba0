/**
 * Reading tables: the formats d3-dsv handles (BOM, CRLF, quotes, `;` and tab), header detection,
 * column selection, strict numbers, missing values, class labels, and the list of bad input,
 * each with the message that names the source, row and column. Parsed values are exact decimal
 * conversions, so they are compared with atol 0.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TableError } from '../errors.js';
import { readTableFile, writeFileAtomic } from '../node.js';
import { parseCell, sortLabels } from './cells.js';
import { previewTable, readTable, readTableFrom } from './read.js';
import { sniffDelimiter } from './sniff.js';
import { formatTable, predictionTable, tableRecords } from './write.js';

const exact = { rtol: 0, atol: 0 };

/** The TableError a call throws (fails the test when it throws nothing or something else). */
function tableError(f: () => unknown): TableError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TableError);
    return e as TableError;
  }
  throw new Error('expected a TableError, nothing was thrown');
}

describe('parseCell (strict numbers)', () => {
  it('accepts decimal numbers with sign, point, exponent and surrounding spaces', () => {
    expect([
      parseCell('1'),
      parseCell('-2.5'),
      parseCell(' .5 '),
      parseCell('3e-2'),
      parseCell('+4.'),
    ]).toEqual([1, -2.5, 0.5, 0.03, 4]);
  });
  it('rejects text, locale decimals, hex, NaN/Inf spellings, overflow and empty cells', () => {
    for (const s of [
      'abc',
      '1,5',
      '0x10',
      'NaN',
      'Inf',
      '-Infinity',
      '1e999',
      '',
      ' ',
      '1 2',
      '--1',
    ]) {
      expect(Number.isNaN(parseCell(s)), s).toBe(true);
    }
  });
});

describe('sniffDelimiter', () => {
  it('picks the delimiter that splits every row into the same number of fields', () => {
    expect(sniffDelimiter('a,b,c\n1,2,3\n')).toBe(',');
    expect(sniffDelimiter('a;b\n1,5;2,5\n')).toBe(';'); // decimal commas: `,` gives 1 then 3 fields
    expect(sniffDelimiter('a\tb\n1\t2\n')).toBe('\t');
    expect(sniffDelimiter('"x;y",b\n1,2\n')).toBe(','); // a quoted `;` does not count
    expect(sniffDelimiter('a\n1\n')).toBe(','); // one column
  });
});

describe('readTable: formats', () => {
  it('reads named columns from a CSV with a header', () => {
    const t = readTable('a,b,c\n1,2,3\n4,5,6\n', { x: ['a', 'c'], y: 'b' });
    expect(t.rows).toBe(2);
    expect(t.header).toBe(true);
    expect(t.x).toBeAllclose([1, 3, 4, 6], exact);
    expect(t.y!).toBeAllclose([2, 5], exact);
    expect(t.xColumns).toEqual(['a', 'c']);
    expect(t.yColumns).toEqual(['b']);
    expect(t.columns).toEqual(['a', 'b', 'c']);
    expect(t.classes).toBeNull();
  });

  it('handles a BOM, CRLF line ends, quoted fields (delimiter, quote, newline inside) and blank lines', () => {
    const text = '\uFEFF"a","b b","note"\r\n1,2,"x, ""quoted""\r\nline"\r\n\r\n3,4,y\r\n';
    const t = readTable(text, { x: ['a'], y: 'b b' });
    expect(t.columns).toEqual(['a', 'b b', 'note']);
    expect(t.x).toBeAllclose([1, 3], exact);
    expect(t.y!).toBeAllclose([2, 4], exact);
  });

  it('sniffs `;` and tab, and takes an explicit delimiter', () => {
    expect(readTable('a;b\n1;2\n', { x: 'a', y: 'b' }).delimiter).toBe(';');
    const tsv = readTable('a\tb\n1\t2\n', { x: 'a', y: 'b' });
    expect([tsv.delimiter, tsv.x[0], tsv.y![0]]).toEqual(['\t', 1, 2]);
    // forced `,` on a `;` file: one column "a;b", so "a" does not exist
    expect(
      tableError(() => readTable('a;b\n1;2\n', { x: 'a', delimiter: ',', header: true })).message,
    ).toBe('readTable: <string>, column "a": x column "a" does not exist: the columns are "a;b"');
  });

  it('detects a table without a header and selects by 0-based index', () => {
    const t = readTable('1,2\n3,4\n', { x: [0], y: 1 });
    expect(t.header).toBe(false);
    expect(t.columns).toEqual(['c0', 'c1']);
    expect(t.x).toBeAllclose([1, 3], exact);
    // a label column of text in a headerless file: the first row is still data
    const c = readTable('0.5,cat\n0.1,dog\n', { x: 0, y: 1, task: 'classification' });
    expect([c.header, c.rows]).toEqual([false, 2]);
    // header: true / false override the detection
    expect(readTable('1,2\n3,4\n', { x: 0, y: 1, header: true }).rows).toBe(1);
    expect(readTable('1,2\n', { x: 0, y: 1, header: false }).rows).toBe(1);
  });

  it('reads inputs only when y is left out (prediction)', () => {
    const t = readTable('a,b\n1,2\n', { x: ['b', 'a'] });
    expect(t.y).toBeNull();
    expect(t.x).toBeAllclose([2, 1], exact);
  });

  it('grows past its first size estimate (long rows after a short header)', () => {
    const rows = Array.from({ length: 500 }, (_, i) => `${i}.123456789,${-i}.987654321`);
    const t = readTable(`a,b\n${rows.join('\n')}`, { x: 'a', y: 'b' });
    expect(t.rows).toBe(500);
    expect(t.x[499]).toBe(499.123456789);
    expect(t.y![499]).toBe(-499.987654321);
  });
});

describe('readTable: class labels', () => {
  it('maps string labels to sorted indices', () => {
    const t = readTable('x,label\n1,dog\n2,cat\n3,dog\n4,emu\n', {
      x: 'x',
      y: 'label',
      task: 'classification',
    });
    expect(t.classes).toEqual(['cat', 'dog', 'emu']);
    expect(t.y!).toBeAllclose([1, 0, 1, 2], exact);
  });
  it('sorts integer labels numerically (2 before 10)', () => {
    const t = readTable('x,k\n1,10\n2,2\n3,-1\n', { x: 'x', y: 'k', task: 'classification' });
    expect(t.classes).toEqual(['-1', '2', '10']);
    expect(t.y!).toBeAllclose([2, 1, 0], exact);
    expect(sortLabels(['b', 'a', 'b'])).toEqual(['a', 'b']);
  });
  it("keeps a model's mapping and rejects labels outside it", () => {
    const t = readTable('x,k\n1,b\n2,b\n', {
      x: 'x',
      y: 'k',
      task: 'classification',
      classes: ['a', 'b'],
    });
    expect(t.classes).toEqual(['a', 'b']);
    expect(t.y!).toBeAllclose([1, 1], exact);
    const e = tableError(() =>
      readTable('x,k\n1,b\n2,z\n', { x: 'x', y: 'k', task: 'classification', classes: ['a', 'b'] }),
    );
    expect(e.message).toBe(
      'readTable: <string> row 3, column "k": label "z" is not one of the model\'s classes ["a","b"]',
    );
  });
});

describe('readTable: missing values', () => {
  const text = 'a,b,c\n1,2,3\n,5,6\n7,8,\n9,10,11\n';
  it('are an error by default, naming the row and column', () => {
    const e = tableError(() => readTable(text, { x: ['a', 'b'], y: 'c' }));
    expect(e.message).toBe(
      `readTable: <string> row 3, column "a": missing value (an empty cell); pass missing: 'drop' to drop such rows`,
    );
    expect([e.row, e.column, e.source]).toEqual([3, 'a', '<string>']);
  });
  it("are dropped and counted with missing: 'drop'", () => {
    const t = readTable(text, { x: ['a', 'b'], y: 'c', missing: 'drop' });
    expect([t.rows, t.dropped]).toEqual([2, 2]);
    expect(t.x).toBeAllclose([1, 2, 9, 10], exact);
  });
  it('in columns not selected do not matter', () => {
    expect(readTable(text, { x: ['b'] }).rows).toBe(4);
  });
});

describe('readTable: bad input (the issue list), one clear error each', () => {
  const opts = { x: ['a'], y: 'b', name: 'points.csv' } as const;
  const cases: [string, string, string][] = [
    ['an empty file', '', 'readTable: points.csv: the table is empty'],
    ['only blank lines', '\n\r\n  \n', 'readTable: points.csv: the table is empty'],
    [
      'a header only',
      'a,b\n',
      'readTable: points.csv: the table has a header row but no data rows',
    ],
    [
      'ragged rows',
      'a,b\n1,2\n3\n',
      'readTable: points.csv row 3: has 1 field, but row 1 has 2 (ragged rows)',
    ],
    [
      'text in a numeric column',
      'a,b\n1,2\n3,abc\n',
      'readTable: points.csv row 3, column "b": "abc" is not a number',
    ],
    [
      'a NaN cell',
      'a,b\n1,2\nNaN,4\n',
      'readTable: points.csv row 3, column "a": "NaN" is not a finite number',
    ],
    [
      'an Inf cell',
      'a,b\n1,-Inf\n',
      'readTable: points.csv row 2, column "b": "-Inf" is not a finite number',
    ],
    [
      'an overflowing cell',
      'a,b\n1,1e999\n',
      'readTable: points.csv row 2, column "b": "1e999" is out of the float64 range',
    ],
    [
      'a column name that does not exist',
      'a,c\n1,2\n',
      'readTable: points.csv, column "b": y column "b" does not exist: the columns are "a", "c"',
    ],
    [
      '0 rows after dropping missing values',
      'a,b\n1,\n,2\n',
      'readTable: points.csv: no rows are left after dropping 2 rows with missing values',
    ],
  ];
  it.each(cases)('%s', (_, text, message) => {
    const missing = message.includes('dropping') ? 'drop' : 'error';
    expect(tableError(() => readTable(text, { ...opts, missing })).message).toBe(message);
  });

  it('a column index out of range, or a name in a table without a header', () => {
    expect(tableError(() => readTable('1,2\n', { x: [5] })).message).toBe(
      'readTable: <string>: x column index 5 is out of range: the table has 2 columns (0..1)',
    );
    expect(tableError(() => readTable('1,2\n3,4\n', { x: ['a'] })).message).toContain(
      'the first row was read as data, not a header; select columns by 0-based index or pass header: true',
    );
  });

  it('labels with a single class', () => {
    const e = tableError(() => readTable('a,b\n1,x\n2,x\n', { ...opts, task: 'classification' }));
    expect(e.message).toBe(
      'readTable: points.csv, column "b": the labels have a single class "x"; classification needs at least 2',
    );
  });

  it('more classes than outputs', () => {
    const e = tableError(() =>
      readTable('a,b\n1,x\n2,y\n3,z\n', { ...opts, task: 'classification', outputs: 2 }),
    );
    expect(e.message).toBe(
      `readTable: points.csv, column "b": the labels have 3 classes, more than the model's 2 outputs`,
    );
  });

  it('a text over the size limit is refused before parsing, naming the limit', () => {
    const e = tableError(() => readTable('a,b\n1,2\n', { ...opts, maxBytes: 4 }));
    expect(e.message).toBe(
      'readTable: points.csv is 8 characters (0.000 MiB), over the limit of 4 (0.000 MiB); raise options.maxBytes or split the file',
    );
  });

  it('bad options name the option', () => {
    expect(() => readTable('a\n1\n', { x: [] })).toThrow(
      'readTable: options.x must be a column name or index, or a non-empty array of them, got Array(0)',
    );
    expect(() =>
      readTable('a,b\n1,2\n', { x: 'a', y: ['a', 'b'], task: 'classification' }),
    ).toThrow('readTable: options.y must be one label column for classification');
    expect(() => readTable('a\n1\n', { x: 'a', delimiter: '|' as ',' })).toThrow(
      "readTable: options.delimiter must be ',', ';', '\\t' or 'auto', got \"|\"",
    );
  });
});

describe('readTableFrom (File/Blob) and readTableFile (Node path)', () => {
  it('reads a File, named in messages, and refuses a large Blob from its size', async () => {
    const file = new File(['a,b\n1,2\n3,x\n'], 'upload.csv');
    await expect(readTableFrom(file, { x: 'a', y: 'b' })).rejects.toThrow(
      'readTable: upload.csv row 3, column "b": "x" is not a number',
    );
    const ok = await readTableFrom(new Blob(['a,b\n1,2\n']), { x: 'a', y: 'b' });
    expect(ok.rows).toBe(1);
    // a Blob claims its size before any byte is read: 1 GiB is refused up front
    const big = { size: 2 ** 30 } as Blob;
    Object.setPrototypeOf(big, Blob.prototype);
    await expect(readTableFrom(big, { x: 'a' })).rejects.toThrow(
      'readTableFrom: <blob> is 1073741824 bytes (1024 MiB), over the limit of 268435456 (256 MiB); raise options.maxBytes or split the file',
    );
  });

  it('reads a path, and refuses a file over the limit from its size', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'annlab-table-'));
    try {
      const file = path.join(dir, 'points.csv');
      await writeFile(file, 'a;b\r\n1;2\r\n');
      const t = await readTableFile(file, { x: 'a', y: 'b' });
      expect([t.rows, t.x[0], t.y![0], t.delimiter]).toEqual([1, 1, 2, ';']);
      await expect(readTableFile(file, { x: 'a', maxBytes: 5 })).rejects.toThrow(
        `readTableFile: ${file} is 10 bytes (0.000 MiB), over the limit of 5`,
      );
      await expect(readTableFile(path.join(dir, 'none.csv'), { x: 'a' })).rejects.toThrow(
        `readTableFile: cannot read ${path.join(dir, 'none.csv')}`,
      );
      // the atomic writer leaves only the target behind
      await writeFileAtomic(path.join(dir, 'out.csv'), 'x\n1\n');
      expect(await readFile(path.join(dir, 'out.csv'), 'utf8')).toBe('x\n1\n');
      expect((await readdir(dir)).sort()).toEqual(['out.csv', 'points.csv']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('previewTable', () => {
  it('gives the columns and first rows for a column picker', () => {
    const p = previewTable('x;y;label\n1;2;a\n3;4;b\n5;6;a\n', { maxRows: 2 });
    expect(p).toEqual({
      columns: ['x', 'y', 'label'],
      rows: [
        ['1', '2', 'a'],
        ['3', '4', 'b'],
      ],
      delimiter: ';',
      header: true,
    });
  });
});

describe('writing predictions', () => {
  it('regression: inputs then outputs, round-trip numbers, quoted where needed', () => {
    const t = predictionTable({
      rows: 2,
      x: [1, 2, 3, 4],
      xColumns: ['a', 'b,c'],
      outputs: [0.1, 1 / 3],
      outputColumns: ['y'],
    });
    const csv = formatTable(t);
    expect(csv).toBe(`a,"b,c",y\n1,2,0.1\n3,4,${1 / 3}\n`);
    // read back: the same numbers, bit for bit
    const back = readTable(csv, { x: ['a', 'b,c'], y: 'y' });
    expect(back.y!).toBeAllclose([0.1, 1 / 3], exact);
  });
  it('classification: the arg-max class and its probability; records for JSON', () => {
    const t = predictionTable({
      rows: 2,
      outputs: [0.2, 0.7, 0.1, 0.5, 0.25, 0.25],
      classes: ['a', 'b', 'c'],
    });
    expect(tableRecords(t)).toEqual([
      { class: 'b', probability: 0.7 },
      { class: 'a', probability: 0.5 },
    ]);
    expect(formatTable(t, '\t')).toBe('class\tprobability\nb\t0.7\na\t0.5\n');
  });
  it('refuses shapes that do not agree', () => {
    expect(() => predictionTable({ rows: 2, outputs: [1, 2, 3] })).toThrow(
      'predictionTable: outputs must hold rows × outputs values (a multiple of 2), got 3',
    );
    expect(() =>
      predictionTable({ rows: 1, outputs: [0.5, 0.5], classes: ['a', 'b', 'c'] }),
    ).toThrow('predictionTable: classes has 3 labels but outputs has 2 per row');
  });
});
