import { describe, expect, it } from 'vitest';
import { lineChart } from './charts/line.js';
import { PlotExportError } from './errors.js';
import { loadRenderer, toPng } from './png.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from a PNG's IHDR chunk, after checking signature, chunk order and IEND. */
function pngSize(png: Uint8Array): [number, number] {
  expect(Array.from(png.subarray(0, 8))).toEqual(PNG_SIGNATURE);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect(new TextDecoder().decode(png.subarray(12, 16))).toBe('IHDR');
  expect(new TextDecoder().decode(png.subarray(png.length - 8, png.length - 4))).toBe('IEND');
  return [view.getUint32(16), view.getUint32(20)];
}

const svg = lineChart({
  title: 'PNG export',
  width: 320,
  height: 200,
  series: { name: 'x²', x: [0, 1, 2, 3], y: [0, 1, 4, 9] },
});

describe('toPng', () => {
  it('renders a valid PNG of the SVG size', async () => {
    const png = await toPng(svg);
    expect(png).toBeInstanceOf(Uint8Array);
    expect(pngSize(png)).toEqual([320, 200]);
    expect(png.length).toBeGreaterThan(2000);
  });

  it('scales to the requested width, keeping the aspect ratio', async () => {
    expect(pngSize(await toPng(svg, { width: 640 }))).toEqual([640, 400]);
  });

  it('validates its inputs', async () => {
    await expect(toPng('<div/>')).rejects.toThrow(
      'toPng: svg must be an SVG string, got "<div/>…"',
    );
    await expect(toPng(svg, { width: 0 })).rejects.toThrow(
      'toPng: options.width must be an integer number of pixels in [1, 16384], got 0',
    );
  });

  it('says how to install the renderer when it is missing', async () => {
    const err = await loadRenderer('@resvg/not-installed').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlotExportError);
    expect((err as Error).message).toContain('npm install @resvg/resvg-js');
    expect((err as Error).message).toContain('svgToPngBlob');
  });
});
