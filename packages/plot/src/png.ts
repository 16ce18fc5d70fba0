/**
 * PNG export. In Node, {@link toPng} renders through @resvg/resvg-js (an optional peer dependency,
 * loaded with a dynamic import so that browser bundles never pull it in). In the browser,
 * {@link svgToPngBlob} draws the SVG on a canvas.
 */
import { invalid, PlotExportError } from './errors.js';

/** Options of {@link toPng}. */
export interface PngOptions {
  /** Output width in pixels (height follows the aspect ratio); default: the SVG's own width. */
  readonly width?: number;
  /** Background colour painted under the SVG (default: transparent; charts paint their own). */
  readonly background?: string;
  /** Extra font files to load (system fonts are always loaded). */
  readonly fontFiles?: readonly string[];
}

interface ResvgModule {
  Resvg: new (
    svg: string,
    options: Record<string, unknown>,
  ) => { render(): { asPng(): Uint8Array; width: number; height: number } };
}

/** Loads the renderer; throws a {@link PlotExportError} that says how to install it. */
export async function loadRenderer(specifier = '@resvg/resvg-js'): Promise<ResvgModule> {
  try {
    const mod = (await import(/* @vite-ignore */ specifier)) as ResvgModule & {
      default?: ResvgModule;
    };
    const resvg = mod.Resvg ? mod : mod.default;
    if (!resvg?.Resvg) throw new Error(`${specifier} has no Resvg export`);
    return resvg;
  } catch (cause) {
    throw new PlotExportError(
      `toPng: PNG export in Node needs the optional peer dependency ${specifier}, which could not be loaded (${(cause as Error).message}); install it with \`npm install @resvg/resvg-js\`, or use svgToPngBlob in the browser`,
      { cause },
    );
  }
}

function checkPng(fn: string, svg: unknown, options: PngOptions): void {
  if (typeof svg !== 'string' || !/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(svg)) {
    throw invalid(
      fn,
      'svg',
      typeof svg === 'string' ? `${svg.slice(0, 20)}…` : svg,
      'an SVG string',
    );
  }
  if (options === null || typeof options !== 'object')
    throw invalid(fn, 'options', options, 'an object');
  const w = options.width;
  if (w !== undefined && (!Number.isInteger(w) || w < 1 || w > 16384)) {
    throw invalid(fn, 'options.width', w, 'an integer number of pixels in [1, 16384]');
  }
}

/**
 * Renders an SVG string to PNG bytes in Node through @resvg/resvg-js, with the system's fonts.
 *
 * @example
 * import { writeFile } from 'node:fs/promises';
 * await writeFile('fit.png', await toPng(fitChart(options), { width: 1280 }));
 */
export async function toPng(svg: string, options: PngOptions = {}): Promise<Uint8Array> {
  checkPng('toPng', svg, options);
  const { Resvg } = await loadRenderer();
  const renderer = new Resvg(svg, {
    fitTo: options.width ? { mode: 'width', value: options.width } : { mode: 'original' },
    background: options.background,
    font: {
      loadSystemFonts: true,
      fontFiles: options.fontFiles ? [...options.fontFiles] : [],
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
  });
  const png = renderer.render().asPng();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

/**
 * Renders an SVG string to a PNG blob in the browser by drawing it on a canvas (for a download
 * button in the demo).
 *
 * @example
 * const blob = await svgToPngBlob(lossChart({ runs }), { width: 1280 });
 * link.href = URL.createObjectURL(blob);
 */
export async function svgToPngBlob(svg: string, options: { width?: number } = {}): Promise<Blob> {
  checkPng('svgToPngBlob', svg, options);
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () =>
        reject(new PlotExportError('svgToPngBlob: the browser could not load the SVG'));
      image.src = url;
    });
    const w0 = image.naturalWidth || image.width;
    const h0 = image.naturalHeight || image.height;
    const width = options.width ?? w0;
    const height = Math.round((h0 * width) / w0);
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    if (!context) throw new PlotExportError('svgToPngBlob: no 2D canvas context');
    context.drawImage(image, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (b) => (b ? resolve(b) : reject(new PlotExportError('svgToPngBlob: canvas.toBlob failed'))),
        'image/png',
      ),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
