export { HELP, main, run } from './main.js';
