import { expect } from 'vitest';
import { toBeAllclose } from './matchers.js';

expect.extend({ toBeAllclose });
