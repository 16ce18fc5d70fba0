export { writeFileAtomic } from './atomic.js';
export { HELP, main, run } from './main.js';
