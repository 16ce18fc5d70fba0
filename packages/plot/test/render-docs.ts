/**
 * Renders the README's pictures into docs/*.png from the named snapshot charts, with this
 * package's own toPng. Run from packages/plot after a visual change:
 *   pnpm exec tsx test/render-docs.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toPng } from '../src/index.js';
import { namedCharts } from './charts.js';

/** The charts shown in the README, by snapshot name. */
export const README_FIGURES = [
  'fit-example1',
  'depth-example2',
  'loss-runs',
  'gradient-bars',
  'decision-boundary-xor',
  'loss-histogram',
  'fit-dark',
  'gaps-and-math',
] as const;

if (process.argv[1]?.endsWith('render-docs.ts')) {
  for (const name of README_FIGURES) {
    const file = join(import.meta.dirname, '..', 'docs', `${name}.png`);
    writeFileSync(file, await toPng(namedCharts[name]!()));
    console.log(`wrote ${file}`);
  }
}
