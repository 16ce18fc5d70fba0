/**
 * The chapters for the router and the navigation: id and title up front, the module itself loaded on
 * first visit (`load`), so each chapter is its own chunk and the first screen loads only what it
 * shows. registry.test.ts checks every id and title against the module's own.
 */
import type { Chapter } from './types.js';

/** A chapter known to the navigation before its module is loaded. */
export interface ChapterEntry {
  readonly id: string;
  readonly title: string;
  /** Imports the chapter's module (a separate chunk) and returns the chapter. */
  readonly load: () => Promise<Chapter>;
}

export const chapterEntries: readonly ChapterEntry[] = [
  {
    id: 'chapter-1',
    title: '1. One neuron',
    load: async () => (await import('./1-neuron.js')).neuronChapter,
  },
  {
    id: 'chapter-2',
    title: '2. A deep network of width one',
    load: async () => (await import('./2-chain.js')).chainChapter,
  },
  {
    id: 'chapter-3',
    title: '3. Examples 1 and 2',
    load: async () => (await import('./3-examples.js')).examplesChapter,
  },
  {
    id: 'chapter-4',
    title: '4. Batch, SGD, mini-batch',
    load: async () => (await import('./4-batch.js')).batchChapter,
  },
  {
    id: 'chapter-5',
    title: '5. Vanishing gradients',
    load: async () => (await import('./5-vanishing.js')).vanishingChapter,
  },
  { id: 'chapter-6', title: '6. XOR', load: async () => (await import('./6-xor.js')).xorChapter },
  {
    id: 'chapter-7',
    title: '7. A wider network',
    load: async () => (await import('./7-wider.js')).widerChapter,
  },
  {
    id: 'chapter-8',
    title: '8. Numerics',
    load: async () => (await import('./8-numerics.js')).numericsChapter,
  },
  {
    id: 'playground',
    title: '9. Playground',
    load: async () => (await import('./9-playground.js')).playgroundChapter,
  },
];
