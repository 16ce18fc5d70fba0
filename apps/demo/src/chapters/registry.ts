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
  /** The title in the page's language (as the module's own `title`). */
  readonly title: string;
  readonly titles: { readonly en: string; readonly 'zh-CN': string };
  /** Imports the chapter's module (a separate chunk) and returns the chapter. */
  readonly load: () => Promise<Chapter>;
}

type EntrySource = Omit<ChapterEntry, 'title'>;

const sources: readonly EntrySource[] = [
  {
    id: 'chapter-1',
    titles: { en: '1. One neuron', 'zh-CN': '1. 单个神经元' },
    load: async () => (await import('./1-neuron.js')).neuronChapter,
  },
  {
    id: 'chapter-2',
    titles: { en: '2. A deep network of width one', 'zh-CN': '2. 宽度为一的深层网络' },
    load: async () => (await import('./2-chain.js')).chainChapter,
  },
  {
    id: 'chapter-3',
    titles: { en: '3. Examples 1 and 2', 'zh-CN': '3. 例 1 与例 2' },
    load: async () => (await import('./3-examples.js')).examplesChapter,
  },
  {
    id: 'chapter-4',
    titles: { en: '4. Batch, SGD, mini-batch', 'zh-CN': '4. 批量、随机梯度下降、小批量' },
    load: async () => (await import('./4-batch.js')).batchChapter,
  },
  {
    id: 'chapter-5',
    titles: { en: '5. Vanishing gradients', 'zh-CN': '5. 梯度消失' },
    load: async () => (await import('./5-vanishing.js')).vanishingChapter,
  },
  {
    id: 'chapter-6',
    titles: { en: '6. XOR', 'zh-CN': '6. 异或（XOR）' },
    load: async () => (await import('./6-xor.js')).xorChapter,
  },
  {
    id: 'chapter-7',
    titles: { en: '7. A wider network', 'zh-CN': '7. 更宽的网络' },
    load: async () => (await import('./7-wider.js')).widerChapter,
  },
  {
    id: 'chapter-8',
    titles: { en: '8. Numerics', 'zh-CN': '8. 数值方法' },
    load: async () => (await import('./8-numerics.js')).numericsChapter,
  },
  {
    id: 'playground',
    titles: { en: '9. Playground', 'zh-CN': '9. 试验场' },
    load: async () => (await import('./9-playground.js')).playgroundChapter,
  },
];

/** The registry, each title read in the page's language when asked for. */
export const chapterEntries: readonly ChapterEntry[] = sources.map((e) => ({
  ...e,
  get title() {
    return pick(e.titles);
  },
}));
