/**
 * SVG file snapshots (after observablehq/plot's test/plot-snapshot.js): the chart's SVG, with every
 * number rounded to 2 decimals and one element per line, is compared with test/output/<name>.svg.
 * On a mismatch <name>-changed.svg is written beside it (gitignored) and the test fails;
 * `UPDATE_SNAPSHOTS=1` rewrites the expected files. A missing file is written, except under CI.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OUTPUT = join(import.meta.dirname, 'output');

/** Rounds every decimal number to 2 decimals and puts elements on their own lines. */
export function normalizeSvg(svg: string): string {
  const lines = svg
    .replace(/-?\d+\.\d+(?:e[+-]?\d+)?/g, (s) => {
      const r = Math.round(Number(s) * 100) / 100;
      return String(r === 0 ? 0 : r);
    })
    // New line before block-level elements only (never inside <text>, where it would add space).
    .replace(/>(?=<(?:g|\/g|path|rect|line|text|defs|clipPath|title|\/svg)[\s>/])/g, '>\n');
  return `${lines.trimEnd()}\n`;
}

export interface SnapshotResult {
  readonly ok: boolean;
  readonly message: string;
}

/** Compares (or writes) the snapshot `name`. */
export function matchSvgSnapshot(name: string, svg: string): SnapshotResult {
  const expectedPath = join(OUTPUT, `${name}.svg`);
  const changedPath = join(OUTPUT, `${name}-changed.svg`);
  const actual = normalizeSvg(svg);
  if (process.env.UPDATE_SNAPSHOTS || (!existsSync(expectedPath) && !process.env.CI)) {
    writeFileSync(expectedPath, actual);
    rmSync(changedPath, { force: true });
    return { ok: true, message: `wrote ${expectedPath}` };
  }
  if (!existsSync(expectedPath)) {
    return {
      ok: false,
      message: `missing snapshot ${expectedPath}; run the tests without CI set to create it`,
    };
  }
  const expected = readFileSync(expectedPath, 'utf8');
  if (expected === actual) {
    rmSync(changedPath, { force: true });
    return { ok: true, message: 'match' };
  }
  writeFileSync(changedPath, actual);
  const a = expected.split('\n');
  const b = actual.split('\n');
  const line = a.findIndex((l, k) => l !== b[k]);
  return {
    ok: false,
    message:
      `SVG snapshot ${name} changed (first difference at line ${line + 1}):\n` +
      `  expected: ${(a[line] ?? '').slice(0, 160)}\n  actual:   ${(b[line] ?? '').slice(0, 160)}\n` +
      `Wrote ${changedPath}; compare the two files, and if the change is intended run ` +
      '`UPDATE_SNAPSHOTS=1 pnpm exec vitest run test/snapshots.test.ts` in packages/plot.',
  };
}
