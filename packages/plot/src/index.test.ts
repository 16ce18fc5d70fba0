import { expect, it } from 'vitest';
import { VERSION } from './index.js';

it('exports a version placeholder until the package lands', () => {
  expect(VERSION).toBe('0.0.0');
});
