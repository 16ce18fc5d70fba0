import { TableError } from '@annlab/train';
import { describe, expect, it } from 'vitest';
import { csvTable, MAX_CSV_BYTES, readCsvFile } from './io.js';

const text = 'x1;x2;label\r\n0.5;1;cat\r\n-1;2;dog\r\n3;-0.25;cat\r\n';

describe('CSV files in the playground', () => {
  it('reads the columns of a file (delimiter and header sniffed), then the picked columns', async () => {
    const csv = await readCsvFile(new File([text], 'pets.csv', { type: 'text/csv' }));
    expect(csv.columns).toEqual(['x1', 'x2', 'label']);
    const t = csvTable(csv, { x: ['x1', 'x2'], y: 'label' }, true);
    expect(t.rows).toBe(3);
    expect(Array.from(t.x)).toEqual([0.5, 1, -1, 2, 3, -0.25]);
    expect(Array.from(t.y!)).toEqual([0, 1, 0]);
    expect(t.classes).toEqual(['cat', 'dog']);
  });

  it('refuses a target picked as an input, no inputs, text in a number column, a large file', async () => {
    const csv = await readCsvFile(new File([text], 'pets.csv'));
    expect(() => csvTable(csv, { x: ['x1', 'label'], y: 'label' }, true)).toThrow(
      'the target column "label" is also an input',
    );
    expect(() => csvTable(csv, { x: [], y: 'label' }, true)).toThrow('choose at least one input');
    // regression on a label column: train's TableError names the file, row and column
    expect(() => csvTable(csv, { x: ['x1'], y: 'label' }, false)).toThrow(TableError);
    expect(() => csvTable(csv, { x: ['x1'], y: 'label' }, false)).toThrow(
      /pets\.csv row 2, column "label"/,
    );
    const big = new File([new Uint8Array(MAX_CSV_BYTES + 1)], 'big.csv');
    await expect(readCsvFile(big)).rejects.toThrow(`big.csv is ${MAX_CSV_BYTES + 1} bytes`);
    await expect(readCsvFile(new File(['a\n1\n'], 'one.csv'))).rejects.toThrow(
      'one.csv has 1 column',
    );
  });
});
