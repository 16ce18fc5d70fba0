export { HELP, run } from './main.js';
