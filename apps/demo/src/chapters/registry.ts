/**
 * The chapters for the router and the navigation: id and title up front, the module itself loaded on
 * first visit (`load`), so each chapter is its own chunk and the first screen loads only what it
 * shows. registry.test.ts checks every id and title against the module's own.
 */
import { pick } from '../i18n/lang.js';
import type { Chapter } from './types.js';

/** A chapter known to the navigation before its module is loaded. */
export interface ChapterEntry {
  readonly id: string;
  readonly title: string;
  /** Imports the chapter's module (a separate chunk) and returns the chapter. */
  readonly load: () => Promise<Chapter>;
}

/** An entry whose title follows the page's language (`pick`). */
function entry(id: string, en: string, zh: string, load: () => Promise<Chapter>): ChapterEntry {
  return {
    id,
    get title() {
      return pick({ en, 'zh-CN': zh });
    },
    load,
  };
}

export const chapterEntries: readonly ChapterEntry[] = [
  entry(
    'chapter-1',
    '1. One neuron',
    '1. 单个神经元',
    async () => (await import('./1-neuron.js')).neuronChapter,
  ),
  entry(
    'chapter-2',
    '2. A deep network of width one',
    '2. 宽度为一的深层网络',
    async () => (await import('./2-chain.js')).chainChapter,
  ),
  entry(
    'chapter-3',
    '3. Examples 1 and 2',
    '3. 例 1 与例 2',
    async () => (await import('./3-examples.js')).examplesChapter,
  ),
  entry(
    'chapter-4',
    '4. Batch, SGD, mini-batch',
    '4. 批量、随机梯度下降、小批量',
    async () => (await import('./4-batch.js')).batchChapter,
  ),
  entry(
    'chapter-5',
    '5. Vanishing gradients',
    '5. 梯度消失',
    async () => (await import('./5-vanishing.js')).vanishingChapter,
  ),
  entry(
    'chapter-6',
    '6. XOR',
    '6. 异或（XOR）',
    async () => (await import('./6-xor.js')).xorChapter,
  ),
  entry(
    'chapter-7',
    '7. A wider network',
    '7. 更宽的网络',
    async () => (await import('./7-wider.js')).widerChapter,
  ),
  entry(
    'chapter-8',
    '8. Numerics',
    '8. 数值方法',
    async () => (await import('./8-numerics.js')).numericsChapter,
  ),
  entry(
    'playground',
    '9. Playground',
    '9. 试验场',
    async () => (await import('./9-playground.js')).playgroundChapter,
  ),
];
