/**
 * End-to-end: `annlab fit --data` trains on a CSV and `annlab predict --data` writes predictions as
 * CSV (the built binary, spawned). Then the bad-input table of the README: each case is one line on
 * stderr naming the file, row and column where they apply, and no --out file is written.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'bin', 'annlab.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'annlab-cli-data-'));
const file = (name: string, text: string) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

function annlab(args: string[], opts: { input?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    timeout: 110_000,
    input: opts.input,
    env: { ...process.env, ...opts.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Three arms of points, labelled by arm (red, green, blue): separable by a small MLP. */
function armsCsv(): string {
  const names = ['red', 'green', 'blue'];
  let s = 'a,b,label\r\n';
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < 50; i++) {
      const r = 0.2 + (0.8 * i) / 50;
      const t = 2 * r + (2 * Math.PI * c) / 3;
      s += `${(r * Math.cos(t)).toFixed(6)},${(r * Math.sin(t)).toFixed(6)},${names[c]}\r\n`;
    }
  }
  return s;
}

beforeAll(() => {
  if (!existsSync(join(import.meta.dirname, '..', 'dist', 'main.js'))) {
    throw new Error('apps/cli is not built: run `pnpm --filter @annlab/cli build`');
  }
});

describe('fit --data and predict --data', () => {
  it('classification: trains on a CSV, saves the classes, writes predictions as CSV with headers', () => {
    const data = file('arms.csv', armsCsv());
    const model = join(tmp, 'arms.json');
    const fit = annlab([
      'fit',
      '--data',
      data,
      '--x',
      'a,b',
      '--y',
      'label',
      '--task',
      'classification',
      '--width',
      '32',
      '--epochs',
      '150',
      '--lr',
      '0.02',
      '--out',
      model,
      '--json',
    ]);
    expect(fit.stderr).toBe('');
    expect(fit.code).toBe(0);
    const summary = JSON.parse(fit.stdout);
    expect(summary.rows).toBe(150);
    expect(summary.classes).toEqual(['blue', 'green', 'red']);
    // training accuracy on three separable arms
    expect(summary.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(JSON.parse(readFileSync(model, 'utf8')).classes).toEqual(['blue', 'green', 'red']);

    const out = join(tmp, 'pred.csv');
    const pred = annlab(['predict', '--model', model, '--data', data, '--x', 'a,b', '--out', out]);
    expect(pred.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('a,b,class,probability');
    expect(lines).toHaveLength(151);
    // the predicted class of each row against its label in the file
    const labels = armsCsv()
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(',')[2]);
    const predicted = lines.slice(1).map((l) => l.split(',')[2]);
    const hits = predicted.filter((c, i) => c === labels[i]).length;
    expect(hits / 150).toBeGreaterThanOrEqual(0.95);
    for (const l of lines.slice(1)) {
      const p = Number(l.split(',')[3]);
      expect(p > 1 / 3 && p <= 1).toBe(true); // the arg-max of 3 probabilities
    }

    // stdin in, stdout out; --json gives an array of objects
    const j = annlab(['predict', '--model', model, '--data', '-', '--json'], {
      input: 'a,b\n0.1,0.2\n',
    });
    expect(j.code).toBe(0);
    const records = JSON.parse(j.stdout);
    expect(records).toHaveLength(1);
    expect(Object.keys(records[0])).toEqual(['a', 'b', 'class', 'probability']);
  });

  it('regression: semicolons and decimal points, one output column "y" in the original units', () => {
    let s = 'x;z;t\n';
    for (let i = 0; i < 60; i++) {
      const x = -1 + (2 * i) / 59;
      s += `${x};${x * x};${2 * x + 1}\n`;
    }
    const data = file('lin.csv', s);
    const model = join(tmp, 'lin.json');
    const fit = annlab([
      'fit',
      '--data',
      data,
      '--x',
      'x,z',
      '--y',
      't',
      '--epochs',
      '300',
      '--lr',
      '0.02',
      '--out',
      model,
      '--json',
    ]);
    expect(fit.code).toBe(0);
    expect(JSON.parse(fit.stdout).rmse).toBeLessThan(0.05);
    const pred = annlab(['predict', '--model', model, '--data', '-'], { input: 'x;z\n0.5;0.25\n' });
    expect(pred.code).toBe(0);
    const [head, row] = pred.stdout.trimEnd().split('\n');
    expect(head).toBe('x;z;y'); // the input's delimiter
    expect(Number(row!.split(';')[2])).toBeCloseTo(2, 1); // 2·0.5 + 1, within 0.05
  });
});

describe('bad input: one line naming file, row and column; nothing written', () => {
  const cases: [string, string, string[], RegExp][] = [
    ['an empty file', '', [], /empty\.csv: the table is empty/],
    [
      'a header only',
      'a,b,label\n',
      [],
      /header-only\.csv: the table has a header row but no data rows/,
    ],
    [
      'ragged rows',
      'a,b,label\n1,2,x\n3,4\n',
      [],
      /ragged\.csv row 3: has 2 fields, but row 1 has 3/,
    ],
    [
      'text in a numeric column',
      'a,b,label\n1,2,x\n3,abc,y\n',
      [],
      /text\.csv row 3, column "b": "abc" is not a number/,
    ],
    [
      'a NaN cell',
      'a,b,label\n1,NaN,x\n',
      [],
      /nan\.csv row 2, column "b": "NaN" is not a finite number/,
    ],
    [
      'an Inf cell',
      'a,b,label\n1,2,x\nInf,2,y\n',
      [],
      /inf\.csv row 3, column "a": "Inf" is not a finite number/,
    ],
    [
      'an unknown column',
      'a,c,label\n1,2,x\n',
      [],
      /unknown\.csv, column "b": x column "b" does not exist: the columns are "a", "c", "label"/,
    ],
    [
      'a single class',
      'a,b,label\n1,2,x\n3,4,x\n',
      [],
      /single\.csv, column "label": the labels have a single class "x"/,
    ],
    [
      '0 rows after dropping',
      'a,b,label\n1,,x\n,2,y\n',
      ['--missing', 'drop'],
      /dropped\.csv: no rows are left after dropping 2 rows with missing values/,
    ],
    ['a missing value', 'a,b,label\n1,,x\n', [], /missing\.csv row 2, column "b": missing value/],
  ];
  it.each(cases)('%s', (what, text, extra, message) => {
    const name = `${what === 'an empty file' ? 'empty' : what === 'a header only' ? 'header-only' : what === 'ragged rows' ? 'ragged' : what === 'text in a numeric column' ? 'text' : what === 'a NaN cell' ? 'nan' : what === 'an Inf cell' ? 'inf' : what === 'an unknown column' ? 'unknown' : what === 'a single class' ? 'single' : what === '0 rows after dropping' ? 'dropped' : 'missing'}.csv`;
    const data = file(name, text);
    const out = join(tmp, `${name}.json`);
    const r = annlab([
      'fit',
      '--data',
      data,
      '--x',
      'a,b',
      '--y',
      'label',
      '--task',
      'classification',
      '--epochs',
      '2',
      '--out',
      out,
      ...extra,
    ]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^annlab: /);
    expect(lines[0]).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it('a file over the size limit is refused from its size, before reading', () => {
    const data = file('big.csv', 'a,b,label\n1,2,x\n3,4,y\n');
    const r = annlab(['fit', '--data', data, '--x', 'a,b', '--y', 'label'], {
      env: { ANNLAB_MAX_DATA_BYTES: '10' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /big\.csv has 22 bytes, over the limit of 10 \(ANNLAB_MAX_DATA_BYTES\); nothing was read/,
    );
  });

  it('predict refuses a table whose columns do not fit the model, naming the shapes', () => {
    const model = join(tmp, 'arms.json');
    const data = file('three.csv', 'a,b,c\n1,2,3\n');
    const r = annlab(['predict', '--model', model, '--data', data]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /the model takes 2 inputs \(shape 2 → 3\), but .*three\.csv has 3 columns \("a", "b", "c"\); choose 2 with --x/,
    );
    const r2 = annlab(['predict', '--model', model, '--data', data, '--x', 'a']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(
      /--x: 1 column\(s\) chosen, but the model takes 2 inputs \(its shape is 2 → 3\)/,
    );
  });
});
