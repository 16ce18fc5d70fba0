import { describe, expect, it } from 'vitest';
import { toPng } from '../src/index.js';
import { namedCharts } from './charts.js';
import { matchSvgSnapshot, normalizeSvg } from './snapshot.js';
import { BAD_GEOMETRY, xmlError } from './xml.js';

describe('SVG snapshots of the named charts', () => {
  for (const [name, draw] of Object.entries(namedCharts)) {
    it(`${name} matches test/output/${name}.svg and is well-formed`, () => {
      const svg = draw();
      expect(xmlError(svg)).toBeNull();
      expect(svg).not.toMatch(BAD_GEOMETRY);
      expect(draw()).toBe(svg); // deterministic
      const r = matchSvgSnapshot(name, svg);
      expect(r.ok, r.message).toBe(true);
    });
  }

  it('normalizeSvg rounds numbers to 2 decimals and splits elements onto lines', () => {
    expect(normalizeSvg('<svg><g><path d="M1.23456,-0.001L2,3.999"/></g></svg>')).toBe(
      '<svg>\n<g>\n<path d="M1.23,0L2,4"/>\n</g>\n</svg>\n',
    );
    // Never inside text: a tspan stays on its text's line.
    expect(normalizeSvg('<svg><text>log <tspan>x</tspan></text></svg>')).toBe(
      '<svg>\n<text>log <tspan>x</tspan></text>\n</svg>\n',
    );
  });
});

describe('an independent SVG parser (resvg) accepts every named chart', () => {
  it('renders each chart to a PNG of the chart size', async () => {
    for (const [name, draw] of Object.entries(namedCharts)) {
      const svg = draw();
      const png = await toPng(svg);
      const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
      const [w, h] = /width="(\d+)" height="(\d+)"/.exec(svg)!.slice(1).map(Number);
      expect([view.getUint32(16), view.getUint32(20)], name).toEqual([w, h]);
    }
  }, 60_000);
});

describe('matchSvgSnapshot', () => {
  it('writes <name>-changed.svg and explains how to update on a mismatch', async () => {
    const { existsSync, readFileSync, rmSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = join(import.meta.dirname, 'output');
    const name = 'zz-selftest';
    writeFileSync(join(dir, `${name}.svg`), normalizeSvg('<svg><path d="M0,0"/></svg>'));
    const update = process.env.UPDATE_SNAPSHOTS;
    delete process.env.UPDATE_SNAPSHOTS;
    try {
      expect(matchSvgSnapshot(name, '<svg><path d="M0.001,0"/></svg>').ok).toBe(true); // rounds
      const r = matchSvgSnapshot(name, '<svg><path d="M1,0"/></svg>');
      expect(r.ok).toBe(false);
      expect(r.message).toContain('UPDATE_SNAPSHOTS=1');
      expect(r.message).toContain('line 2');
      expect(readFileSync(join(dir, `${name}-changed.svg`), 'utf8')).toContain('M1,0');
    } finally {
      if (update !== undefined) process.env.UPDATE_SNAPSHOTS = update;
      rmSync(join(dir, `${name}.svg`), { force: true });
      rmSync(join(dir, `${name}-changed.svg`), { force: true });
    }
    expect(existsSync(join(dir, `${name}-changed.svg`))).toBe(false);
  });
});
